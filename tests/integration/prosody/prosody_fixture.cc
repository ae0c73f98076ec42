#include "tests/integration/prosody/prosody_fixture.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "tests/support/namespace.h"

namespace xmppfed::testing {
namespace {

constexpr char kComponentSecret[] = "component-secret-for-tests";

}  // namespace

void ProsodyInteropTest::SetUp() {
  if (ProsodyProcess::Binary().empty()) {
    GTEST_SKIP() << "Prosody is not installed (Debian package prosody)";
  }
  namespace_dir_ = std::make_unique<TempDir>("netns");
  PrivateNetworkOptions network;
  network.hosts = {{kAgentAddress, kAgentDomain},
                   {kProsodyAddress, kProsodyDomain}};
  // 192.0.2.53 (documentation range): no route to it from the namespace.
  network.nameserver = serve_dns_ ? "127.0.0.1" : "192.0.2.53";
  if (std::string why = EnterPrivateNetwork(namespace_dir_->path(), network);
      !why.empty()) {
    GTEST_SKIP() << "no private network namespace for Prosody: " << why;
  }

  if (serve_dns_) {
    dns_ = std::make_unique<FakeDnsServer>(53);
    ASSERT_TRUE(dns_->ok()) << "cannot bind 127.0.0.1:53 in the namespace";
    for (auto [domain, address] :
         {std::pair{kAgentDomain, kAgentAddress},
          std::pair{kProsodyDomain, kProsodyAddress}}) {
      dns_->AddSrv(std::string("_xmpp-server._tcp.") + domain,
                   xmpp_server_srv_priority_, 0, kS2sPort, domain);
      dns_->AddA(domain, address);
    }
  }

  agent_dir_ = std::make_unique<TempDir>("agent");
  prosody_dir_ = std::make_unique<TempDir>("prosody");
  agent_certificates_ = MakeCertificates(
      agent_dir_->path(), std::string(kAgentDomain) + " CA", {kAgentDomain});
  prosody_certificates_ =
      MakeCertificates(prosody_dir_->path(),
                       std::string(kProsodyDomain) + " CA", {kProsodyDomain});
}

void ProsodyInteropTest::TearDown() {
  bob_.reset();
  gateway_.reset();
  if (prosody_ && prosody_->running()) {
    ExitStatus status = prosody_->Stop();
    EXPECT_FALSE(status.timed_out) << "Prosody did not stop: " << status;
  }
  if (agent_ && agent_->running()) {
    ExitStatus status = agent_->Terminate();
    EXPECT_TRUE(status.exited && status.code == 0)
        << "the agent did not stop cleanly: " << status << "\n"
        << agent_->Log();
  }
  if (HasFailure() || std::getenv("XMPPFED_TEST_SHOW_LOGS") != nullptr) {
    std::cerr << Logs();
  }
  dns_.reset();
}

void ProsodyInteropTest::StartAgent(std::vector<std::string> extra_args) {
  std::string secret_file =
      agent_dir_->WriteFile("component.secret", std::string(kComponentSecret));
  agent_ = std::make_unique<AgentProcess>(agent_dir_->path());
  std::vector<std::string> args = {
      "--socket",
      agent_->socket_path(),
      "--store",
      agent_->store_uri(),
      "--domain",
      kAgentDomain,
      "--tls-cert",
      agent_certificates_.cert,
      "--tls-key",
      agent_certificates_.key,
      "--ca-file",
      prosody_certificates_.ca_cert,
      "--s2s-listen",
      std::string(kAgentAddress) + ":" + std::to_string(kS2sPort),
      "--component-listen",
      "127.0.0.1:" + std::to_string(kComponentPort),
      "--component-secret-file",
      secret_file};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  agent_->ReplaceArgs(args);
  ASSERT_TRUE(agent_->Start());
}

void ProsodyInteropTest::AddPartner(std::vector<std::string> options) {
  std::vector<std::string> args = {"new-partner", kProsodyDomain, "--quiet"};
  args.insert(args.end(), options.begin(), options.end());
  CliResult result = Cli(args);
  ASSERT_EQ(result.exit_code, 0) << result;
}

void ProsodyInteropTest::StartProsody(bool s2s_require_encryption,
                                      bool s2s_secure_auth, bool s2s_bidi) {
  ProsodyOptions options;
  options.domain = kProsodyDomain;
  options.address = kProsodyAddress;
  options.s2s_port = kS2sPort;
  options.c2s_port = kC2sPort;
  options.certificates = prosody_certificates_;
  options.trusted_ca = agent_certificates_.ca_cert;
  options.s2s_require_encryption = s2s_require_encryption;
  options.s2s_secure_auth = s2s_secure_auth;
  options.s2s_bidi = s2s_bidi;
  options.users = {{"bob", kBobPassword}};
  options.components = prosody_components_;
  options.component_port = kProsodyComponentPort;
  options.extra_config = prosody_extra_config_;
  if (!prosody_unbound_.empty()) options.unbound = prosody_unbound_;
  prosody_ = std::make_unique<ProsodyProcess>(prosody_dir_->path(), options);
  ASSERT_TRUE(prosody_->Start());
}

void ProsodyInteropTest::ConnectGateway() {
  gateway_ = std::make_unique<ComponentClient>(kAgentDomain, kComponentSecret,
                                               "127.0.0.1", kComponentPort);
  ASSERT_TRUE(gateway_->Connect()) << gateway_->failure() << "\n"
                                   << agent_->Log();
}

void ProsodyInteropTest::ConnectBob() {
  bob_ = std::make_unique<XmppClient>(
      std::string("bob@") + kProsodyDomain + "/interop", kBobPassword,
      kProsodyAddress, kC2sPort, prosody_certificates_.ca_cert);
  ASSERT_TRUE(bob_->Connect()) << bob_->failure() << "\n" << prosody_->Log();
}

std::vector<JsonValue> ProsodyInteropTest::Sessions() const {
  CliResult result = Cli({"get-session", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  JsonValue list;
  EXPECT_TRUE(ParseJson(result.out, &list)) << result;
  return Elements(list);
}

std::vector<JsonValue> ProsodyInteropTest::Established(
    const std::string& direction) const {
  std::vector<JsonValue> found;
  for (const JsonValue& session : Sessions()) {
    if (Str(session, "direction") == direction &&
        !Str(session, "auth").empty()) {
      found.push_back(session);
    }
  }
  return found;
}

JsonValue ProsodyInteropTest::WaitForEstablished(
    const std::string& direction) const {
  for (int i = 0; i < 100; ++i) {
    std::vector<JsonValue> found = Established(direction);
    if (!found.empty()) return found.front();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return JsonValue();
}

std::string ProsodyInteropTest::FromBob(const std::string& id,
                                        const std::string& body) {
  bob_->Send("<message to='alice@" + std::string(kAgentDomain) +
             "' type='chat' id='" + id + "'><body>" + body +
             "</body></message>");
  return gateway_
      ->WaitFor([&](const std::string& xml) {
        return xml.find("<body>" + body + "</body>") != std::string::npos;
      })
      .value_or("");
}

std::string ProsodyInteropTest::ToBob(const std::string& id,
                                      const std::string& body) {
  gateway_->Send("<message from='alice@" + std::string(kAgentDomain) +
                 "/desk' to='bob@" + kProsodyDomain + "' type='chat' id='" +
                 id + "'><body>" + body + "</body></message>");
  return bob_
      ->WaitFor([&](const std::string& xml) {
        return xml.find("<body>" + body + "</body>") != std::string::npos;
      })
      .value_or("");
}

std::string ProsodyInteropTest::Logs() const {
  std::string logs;
  if (agent_) logs += "--- example.test (agent) log:\n" + agent_->Log();
  if (prosody_) logs += "--- partner.test (Prosody) log:\n" + prosody_->Log();
  return logs;
}

}  // namespace xmppfed::testing
