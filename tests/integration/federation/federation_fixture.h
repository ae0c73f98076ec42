// Two real agents federating on loopback, as the operator would run them:
// example.test and partner.test, each with certificates from its own CA
// (made by the test with openssl), each trusting the other's CA, each with
// a libstrophe component client as its internal chat gateway.
#ifndef XMPPFED_TESTS_INTEGRATION_FEDERATION_FEDERATION_FIXTURE_H_
#define XMPPFED_TESTS_INTEGRATION_FEDERATION_FEDERATION_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/certificates.h"
#include "tests/support/cli.h"
#include "tests/support/component_client.h"
#include "tests/support/json.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {

// Waits up to `limit` for `condition` (polled every 50 ms); its last value.
template <typename F>
bool Eventually(F condition,
                std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

inline constexpr char kComponentSecret[] = "component-secret-for-tests";

// One agent with its domain, certificates, ports and gateway.
struct Site {
  std::string domain;
  // The agent's --store; "" for an SQLite store in `dir`.
  std::string store_uri;
  std::unique_ptr<TempDir> dir;
  Certificates certificates;
  std::unique_ptr<AgentProcess> agent;
  uint16_t s2s_port = 0;
  // --s2s-tls-listen's port (XEP-0368 direct TLS); 0 when off.
  uint16_t s2s_tls_port = 0;
  uint16_t component_port = 0;
  std::unique_ptr<ComponentClient> gateway;

  CliResult Cli(const std::vector<std::string>& args) const {
    return RunCli(args, agent->socket_path());
  }
};

class FederationTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Both agents started, each a Federated partner of the other (TLS and
  // SASL as `options` say, the defaults otherwise), both gateways
  // connected unless `connect_gateways` is false.
  void StartFederatedPair(std::vector<std::string> options = {},
                          bool connect_gateways = true);

  // Starts the agent of `site` (trusting `trusted_ca`) and reads its ports.
  void StartAgent(Site& site, const std::string& trusted_ca,
                  std::vector<std::string> extra_args = {});
  // Connects the site's gateway (component client); fails the test if the
  // agent refuses it.
  void ConnectGateway(Site& site);
  // new-partner on `site` for `other`, reached at its S2S port.
  void AddPartner(const Site& site, const Site& other,
                  std::vector<std::string> options);
  // The live sessions of `site` (get-session -o json).
  std::vector<JsonValue> Sessions(const Site& site) const;

  // Waits (up to 10 s) until the agent of `site` logged `text`: the agent
  // may log an event just after the bytes that let the test go on.
  static bool WaitForLog(const Site& site, const std::string& text);

  // Sends a message from `from`'s gateway to `to`'s gateway and waits for
  // it there; returns the XML received ("" when it did not arrive).
  std::string Relay(Site& from, Site& to, const std::string& body);

  Site example_;
  Site partner_;
};

// True when `received` holds a <stream:error/> with this condition.
bool HasStreamError(const std::string& received, const std::string& condition);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_FEDERATION_FEDERATION_FIXTURE_H_
