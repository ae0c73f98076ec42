#include "tests/support/prosody.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

// A Lua string literal.
std::string Quote(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

const char* Bool(bool value) { return value ? "true" : "false"; }

// How Prosody's datamanager names a directory or file: every character
// but ASCII letters and digits as %xx (lower-case hex).
std::string DataManagerEncode(const std::string& name) {
  static const char kHex[] = "0123456789abcdef";
  std::string encoded;
  for (unsigned char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9')) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xf];
    }
  }
  return encoded;
}

bool IsExecutable(const std::string& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

bool TcpPortAccepts(const std::string& address, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  bool ok = ::inet_pton(AF_INET, address.c_str(), &to.sin_addr) == 1 &&
            ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
  ::close(fd);
  return ok;
}

ProsodyProcess::ProsodyProcess(std::string dir, ProsodyOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {}

ProsodyProcess::~ProsodyProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    WaitForExit(pid_, std::chrono::seconds(5));
  }
}

std::string ProsodyProcess::Binary() {
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (!dir.empty() && IsExecutable(dir + "/prosody")) {
        return dir + "/prosody";
      }
    }
  }
  return IsExecutable("/usr/bin/prosody") ? "/usr/bin/prosody" : "";
}

std::string ProsodyProcess::Config() const {
  const ProsodyOptions& o = options_;
  std::ostringstream lua;
  lua << "-- Written by the xmppfed test harness (tests/support/prosody.cc).\n"
      << "daemonize = false\n"
      << "run_as_root = true -- alone in the test's private namespaces\n"
      << "pidfile = " << Quote(dir_ + "/prosody.pid") << "\n"
      << "data_path = " << Quote(dir_ + "/data") << "\n"
      << "log = { debug = " << Quote(log_path()) << " }\n"
      << "modules_enabled = { \"roster\", \"saslauth\", \"tls\", "
         "\"dialback\", \"disco\", \"ping\""
      << (o.s2s_bidi ? ", \"s2s_bidi\"" : "") << " }\n"
      << "-- A message for a user who is offline bounces at once.\n"
      << "modules_disabled = { \"offline\" }\n"
      << "authentication = \"internal_plain\"\n"
      << "storage = \"internal\"\n"
      << "interfaces = { " << Quote(o.address) << " }\n"
      << "c2s_interfaces = { " << Quote(o.address) << " }\n"
      << "c2s_ports = { " << o.c2s_port << " }\n"
      << "c2s_direct_tls_ports = { }\n"
      << "legacy_ssl_ports = { }\n"
      << "s2s_interfaces = { " << Quote(o.address) << " }\n"
      << "s2s_ports = { " << o.s2s_port << " }\n"
      << "c2s_require_encryption = true\n"
      << "s2s_require_encryption = " << Bool(o.s2s_require_encryption) << "\n"
      << "s2s_secure_auth = " << Bool(o.s2s_secure_auth) << "\n"
      << "-- Names from the namespace's hosts file, where lua-unbound is\n"
      << "-- installed (else net.dns asks the resolv.conf nameserver).\n"
      << "unbound = " << o.unbound << "\n"
      << "dns_timeout = 5\n"
      << "-- Empty: the certificate is the one in ssl below.\n"
      << "certificates = " << Quote(dir_ + "/certs") << "\n"
      << "ssl = {\n"
      << "  certificate = " << Quote(o.certificates.cert) << ",\n"
      << "  key = " << Quote(o.certificates.key) << ",\n";
  if (!o.trusted_ca.empty()) {
    lua << "  cafile = " << Quote(o.trusted_ca) << ",\n";
  }
  lua << "}\n";
  if (!o.components.empty()) {
    lua << "component_interfaces = { " << Quote(o.component_address) << " }\n"
        << "component_ports = { " << o.component_port << " }\n";
  }
  lua << o.extra_config << "\n"
      << "VirtualHost " << Quote(o.domain) << "\n";
  for (const auto& [domain, secret] : o.components) {
    // Components inherit tls, saslauth and dialback, but not the check of
    // peers' certificates that SASL EXTERNAL needs.
    lua << "Component " << Quote(domain) << "\n"
        << "  component_secret = " << Quote(secret) << "\n"
        << "  modules_enabled = { \"s2s_auth_certs\" }\n";
  }
  return lua.str();
}

void ProsodyProcess::WriteAccounts() const {
  const std::string host_dir =
      dir_ + "/data/" + DataManagerEncode(options_.domain);
  ::mkdir((dir_ + "/data").c_str(), 0700);
  ::mkdir(host_dir.c_str(), 0700);
  ::mkdir((host_dir + "/accounts").c_str(), 0700);
  for (const auto& [user, password] : options_.users) {
    std::ofstream out(host_dir + "/accounts/" + DataManagerEncode(user) +
                      ".dat");
    out << "return {\n\t[\"password\"] = " << Quote(password) << ";\n};\n";
  }
}

::testing::AssertionResult ProsodyProcess::Start(
    std::chrono::milliseconds timeout) {
  const std::string binary = Binary();
  if (binary.empty()) {
    return ::testing::AssertionFailure() << "prosody is not installed";
  }
  {
    std::ofstream out(config_path(), std::ios::trunc);
    out << Config();
  }
  WriteAccounts();
  ::mkdir((dir_ + "/certs").c_str(), 0700);
  std::string error;
  pid_ =
      StartBackground(binary, {"--config", config_path(), "-F"},
                      dir_ + "/prosody.out", dir_ + "/prosody.out", {}, &error);
  if (pid_ < 0) {
    return ::testing::AssertionFailure() << "cannot start prosody: " << error;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::optional<ExitStatus> ended = PollExit(pid_)) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "prosody exited at start (" << *ended << "):\n"
             << Log();
    }
    if (TcpPortAccepts(options_.address, options_.s2s_port) &&
        TcpPortAccepts(options_.address, options_.c2s_port)) {
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ::testing::AssertionFailure()
         << "prosody did not listen on " << options_.address << " within "
         << timeout.count() << " ms:\n"
         << Log();
}

ExitStatus ProsodyProcess::Stop(std::chrono::milliseconds timeout) {
  ExitStatus status;
  if (pid_ <= 0) return status;
  ::kill(pid_, SIGTERM);
  std::optional<ExitStatus> ended = WaitForExit(pid_, timeout);
  if (!ended) {
    ::kill(pid_, SIGKILL);
    ended = WaitForExit(pid_, std::chrono::seconds(5));
    if (ended) ended->timed_out = true;
  }
  pid_ = -1;
  return ended.value_or(status);
}

std::string ProsodyProcess::Log() const {
  return ReadFileOrEmpty(log_path()) + ReadFileOrEmpty(dir_ + "/prosody.out");
}

}  // namespace xmppfed::testing
