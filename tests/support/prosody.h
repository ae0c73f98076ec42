// A real Prosody (0.12, the Debian package) as a foreign federation peer for
// one test: its configuration, data, pid file and log all live in a
// directory the test owns. Run it inside a private network namespace
// (tests/support/namespace.h): it listens on the standard ports of one
// loopback address and runs as root there (run_as_root), resolving peers
// through the namespace's /etc/resolv.conf (and /etc/hosts where Prosody
// has lua-unbound).
#ifndef XMPPFED_TESTS_SUPPORT_PROSODY_H_
#define XMPPFED_TESTS_SUPPORT_PROSODY_H_

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/certificates.h"
#include "tests/support/subprocess.h"

namespace xmppfed::testing {

struct ProsodyOptions {
  // The one VirtualHost.
  std::string domain = "partner.test";
  // Where c2s and s2s listen.
  std::string address = "127.0.0.3";
  uint16_t s2s_port = 5269;
  uint16_t c2s_port = 5222;
  // Its own certificate and key (for `domain`), and the CA it trusts for
  // its peers' certificates.
  Certificates certificates;
  std::string trusted_ca;
  // Prosody's own s2s policy options.
  bool s2s_require_encryption = true;
  bool s2s_secure_auth = false;
  // Loads mod_s2s_bidi (XEP-0288; not loaded by default in 0.12).
  bool s2s_bidi = false;
  // Accounts (user, password) on `domain`, for c2s clients.
  std::vector<std::pair<std::string, std::string>> users;
  // Its resolver's settings (lua-unbound): names from the namespace's hosts
  // file. Tests whose DNS server must answer Prosody's SRV lookups widen it.
  std::string unbound = "{ hoststxt = \"/etc/hosts\" }";
  // Lua appended to the global section, before the VirtualHost.
  std::string extra_config;
  // External components (XEP-0114), each a host of its own: (domain,
  // secret). They listen on component_address:component_port and federate
  // as the VirtualHost does (STARTTLS, SASL EXTERNAL, dialback).
  std::vector<std::pair<std::string, std::string>> components;
  std::string component_address = "127.0.0.1";
  uint16_t component_port = 0;
};

class ProsodyProcess {
 public:
  ProsodyProcess(std::string dir, ProsodyOptions options);
  // Kills Prosody if it still runs.
  ~ProsodyProcess();

  ProsodyProcess(const ProsodyProcess&) = delete;
  ProsodyProcess& operator=(const ProsodyProcess&) = delete;

  // The prosody program on PATH (or Debian's /usr/bin/prosody); "" when
  // Prosody is not installed.
  static std::string Binary();

  // Writes the configuration and the accounts, starts Prosody and waits
  // until both its c2s and s2s ports accept connections. Fails (with its
  // log) when it exits first or the deadline passes.
  ::testing::AssertionResult Start(
      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGTERM, then waits (SIGKILL after `timeout`).
  ExitStatus Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  bool running() const { return pid_ > 0; }
  const ProsodyOptions& options() const { return options_; }
  std::string config_path() const { return dir_ + "/prosody.cfg.lua"; }
  std::string log_path() const { return dir_ + "/prosody.log"; }
  // Prosody's log (debug level) and whatever it wrote to stdout/stderr.
  std::string Log() const;

 private:
  std::string Config() const;
  void WriteAccounts() const;

  std::string dir_;
  ProsodyOptions options_;
  pid_t pid_ = -1;
};

// True when a TCP connection to address:port succeeds right now.
bool TcpPortAccepts(const std::string& address, uint16_t port);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_PROSODY_H_
