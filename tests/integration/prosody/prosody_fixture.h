// The agent as example.test federating with a real Prosody 0.12 as
// partner.test, inside a private network and mount namespace each test makes
// (tests/support/namespace.h): the agent on 127.0.0.2, Prosody on
// 127.0.0.3, both on the standard port 5269, each name resolved the way a
// deployment resolves it (a DNS server on 127.0.0.1:53 with the
// _xmpp-server._tcp SRV and A records of both domains, and /etc/hosts).
// Each side has certificates from its own CA and trusts the other's. The
// agent's internal gateway is a libstrophe component client; Prosody's user
// bob@partner.test is a libstrophe client on its c2s port. Both logs are
// printed when a test fails, or always with XMPPFED_TEST_SHOW_LOGS set.
#ifndef XMPPFED_TESTS_INTEGRATION_PROSODY_PROSODY_FIXTURE_H_
#define XMPPFED_TESTS_INTEGRATION_PROSODY_PROSODY_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/certificates.h"
#include "tests/support/cli.h"
#include "tests/support/component_client.h"
#include "tests/support/fake_dns_server.h"
#include "tests/support/json.h"
#include "tests/support/prosody.h"
#include "tests/support/temp_dir.h"
#include "tests/support/xmpp_client.h"

namespace xmppfed::testing {

inline constexpr char kAgentDomain[] = "example.test";
inline constexpr char kAgentAddress[] = "127.0.0.2";
inline constexpr char kProsodyDomain[] = "partner.test";
inline constexpr char kProsodyAddress[] = "127.0.0.3";
inline constexpr uint16_t kS2sPort = 5269;
inline constexpr uint16_t kC2sPort = 5222;
inline constexpr uint16_t kComponentPort = 5347;
// Prosody's XEP-0114 components (prosody_components_), on 127.0.0.1.
inline constexpr uint16_t kProsodyComponentPort = 5348;
inline constexpr char kBobPassword[] = "bob-password-for-tests";

// The policy for partner.test of the dialback tests: TLS required, no SASL,
// dialback over TLS.
inline const std::vector<std::string> kDialbackOverTls = {
    "--tls-negotiation",
    "Required",
    "--sasl-negotiation",
    "NotSupported",
    "--support-dialback-negotiation",
    "true",
    "--partner-type",
    "Federated"};

class ProsodyInteropTest : public ::testing::Test {
 protected:
  // Skips the test (with the reason) without Prosody, without root or
  // where no namespace can be made; else enters the namespace, makes both
  // sides' certificates and starts the DNS server.
  void SetUp() override;
  void TearDown() override;

  // Starts the agent as example.test on 127.0.0.2:5269 (component listener
  // 127.0.0.1:5347), trusting partner.test's CA.
  void StartAgent(std::vector<std::string> extra_args = {});
  // new-partner partner.test with these options; no --proxy-fqdn: the
  // agent finds partner.test through DNS.
  void AddPartner(std::vector<std::string> options);
  // Starts Prosody as partner.test (with the user bob) on 127.0.0.3,
  // trusting example.test's CA, with these of its s2s options.
  void StartProsody(bool s2s_require_encryption, bool s2s_secure_auth,
                    bool s2s_bidi = false);
  void ConnectGateway();
  void ConnectBob();

  // The live sessions of the agent (get-session -o json), and those of one
  // direction that are authenticated.
  std::vector<JsonValue> Sessions() const;
  std::vector<JsonValue> Established(const std::string& direction) const;
  // Waits until an authenticated session of `direction` is listed; returns
  // it (null JSON when none came within 10 s).
  JsonValue WaitForEstablished(const std::string& direction) const;

  // bob (on Prosody) -> alice@example.test (the gateway): the XML the
  // gateway got ("" when nothing came).
  std::string FromBob(const std::string& id, const std::string& body);
  // alice@example.test (the gateway) -> bob@partner.test: the XML bob got.
  std::string ToBob(const std::string& id, const std::string& body);

  // The agent's and Prosody's logs, for failure messages.
  std::string Logs() const;

  CliResult Cli(const std::vector<std::string>& args) const {
    return RunCli(args, agent_->socket_path());
  }

  // The priority of both domains' _xmpp-server._tcp SRV records.
  uint16_t xmpp_server_srv_priority_ = 0;
  // Lua for Prosody's global section (ProsodyOptions::extra_config).
  std::string prosody_extra_config_;
  // ProsodyOptions::unbound; "" keeps its default.
  std::string prosody_unbound_;

  // False: no DNS server at all; /etc/resolv.conf names one that cannot be
  // reached from the namespace, so names resolve only from /etc/hosts.
  bool serve_dns_ = true;
  // External components Prosody hosts beside partner.test: (domain, secret).
  std::vector<std::pair<std::string, std::string>> prosody_components_;

  std::unique_ptr<TempDir> namespace_dir_;
  std::unique_ptr<TempDir> agent_dir_;
  std::unique_ptr<TempDir> prosody_dir_;
  Certificates agent_certificates_;
  Certificates prosody_certificates_;
  std::unique_ptr<FakeDnsServer> dns_;
  std::unique_ptr<AgentProcess> agent_;
  std::unique_ptr<ProsodyProcess> prosody_;
  std::unique_ptr<ComponentClient> gateway_;
  std::unique_ptr<XmppClient> bob_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_PROSODY_PROSODY_FIXTURE_H_
