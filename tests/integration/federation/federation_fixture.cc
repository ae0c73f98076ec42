#include "tests/integration/federation/federation_fixture.h"

#include <chrono>
#include <thread>

namespace xmppfed::testing {
namespace {

uint16_t PortOf(const std::string& address) {
  size_t colon = address.rfind(':');
  return colon == std::string::npos
             ? 0
             : static_cast<uint16_t>(std::stoi(address.substr(colon + 1)));
}

}  // namespace

void FederationTest::SetUp() {
  for (auto [site, domain] : {std::pair{&example_, "example.test"},
                              std::pair{&partner_, "partner.test"}}) {
    site->domain = domain;
    site->dir = std::make_unique<TempDir>();
    site->certificates = MakeCertificates(
        site->dir->path(), std::string(domain) + " CA", {domain});
  }
}

void FederationTest::TearDown() {
  for (Site* site : {&example_, &partner_}) {
    site->gateway.reset();
    if (site->agent && site->agent->running()) {
      ExitStatus status = site->agent->Terminate();
      EXPECT_TRUE(status.exited && status.code == 0)
          << site->domain << " did not stop cleanly: " << status << "\n"
          << site->agent->Log();
    }
  }
}

void FederationTest::StartFederatedPair(std::vector<std::string> options,
                                        bool connect_gateways) {
  StartAgent(example_, partner_.certificates.ca_cert);
  StartAgent(partner_, example_.certificates.ca_cert);
  options.insert(options.end(), {"--partner-type", "Federated"});
  AddPartner(example_, partner_, options);
  AddPartner(partner_, example_, options);
  if (connect_gateways) {
    ConnectGateway(example_);
    ConnectGateway(partner_);
  }
}

bool HasStreamError(const std::string& received, const std::string& condition) {
  return received.find("<stream:error>") != std::string::npos &&
         received.find("<" + condition +
                       " xmlns='urn:ietf:params:xml:ns:xmpp-streams") !=
             std::string::npos;
}

void FederationTest::StartAgent(Site& site, const std::string& trusted_ca,
                                std::vector<std::string> extra_args) {
  std::string secret_file =
      site.dir->WriteFile("component.secret", std::string(kComponentSecret));
  site.agent = std::make_unique<AgentProcess>(site.dir->path());
  std::vector<std::string> args = {
      "--socket",
      site.agent->socket_path(),
      "--store",
      site.store_uri.empty() ? site.agent->store_uri() : site.store_uri,
      "--domain",
      site.domain,
      "--tls-cert",
      site.certificates.cert,
      "--tls-key",
      site.certificates.key,
      "--ca-file",
      trusted_ca,
      "--s2s-listen",
      "127.0.0.1:0",
      "--component-listen",
      "127.0.0.1:0",
      "--component-secret-file",
      secret_file};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  site.agent->ReplaceArgs(args);
  ASSERT_TRUE(site.agent->Start());
  CliResult info = site.Cli({"get-agent", "-o", "json"});
  ASSERT_EQ(info.exit_code, 0) << info;
  JsonValue agent;
  ASSERT_TRUE(ParseJson(info.out, &agent));
  if (const JsonValue* listeners = Member(agent, "listeners")) {
    for (const JsonValue& listener : Elements(*listeners)) {
      if (Str(listener, "name") == "s2s") {
        site.s2s_port = PortOf(Str(listener, "address"));
      }
      if (Str(listener, "name") == "s2s-tls") {
        site.s2s_tls_port = PortOf(Str(listener, "address"));
      }
      if (Str(listener, "name") == "component") {
        site.component_port = PortOf(Str(listener, "address"));
      }
    }
  }
  ASSERT_NE(site.s2s_port, 0) << info.out;
  ASSERT_NE(site.component_port, 0) << info.out;
}

void FederationTest::ConnectGateway(Site& site) {
  site.gateway = std::make_unique<ComponentClient>(
      site.domain, kComponentSecret, "127.0.0.1", site.component_port);
  ASSERT_TRUE(site.gateway->Connect()) << site.gateway->failure() << "\n"
                                       << site.agent->Log();
}

void FederationTest::AddPartner(const Site& site, const Site& other,
                                std::vector<std::string> options) {
  std::vector<std::string> args = {
      "new-partner", other.domain, "--proxy-fqdn",
      "127.0.0.1:" + std::to_string(other.s2s_port), "--quiet"};
  args.insert(args.end(), options.begin(), options.end());
  CliResult result = site.Cli(args);
  ASSERT_EQ(result.exit_code, 0) << result;
}

std::vector<JsonValue> FederationTest::Sessions(const Site& site) const {
  CliResult result = site.Cli({"get-session", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  JsonValue list;
  EXPECT_TRUE(ParseJson(result.out, &list)) << result;
  return Elements(list);
}

bool FederationTest::WaitForLog(const Site& site, const std::string& text) {
  for (int i = 0; i < 100; ++i) {
    if (site.agent->Log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string FederationTest::Relay(Site& from, Site& to,
                                  const std::string& body) {
  from.gateway->Send("<message from='alice@" + from.domain + "' to='bob@" +
                     to.domain + "' type='chat' id='" + body + "'><body>" +
                     body + "</body></message>");
  std::optional<std::string> arrived =
      to.gateway->WaitFor([&](const std::string& xml) {
        return xml.find("<body>" + body + "</body>") != std::string::npos;
      });
  return arrived.value_or("");
}

}  // namespace xmppfed::testing
