// The negotiation table of SPEC §2, row by row and in both directions,
// against peers that support all, or not TLS, or not SASL EXTERNAL, or not
// dialback (the peer is the other agent, whose policy row for us leaves
// that method out), and certificate cases end to end: what is negotiated,
// where the row allows a fallback to dialback, and the refusal (a bounce to
// the sender's gateway, and the stream error) where it does not.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::testing {
namespace {

// What a stream from one site to the other ends as: the auth get-session
// shows, or kRefused (the stanza is bounced), or kPolicyViolation (refused,
// and the receiving agent ended the stream with <policy-violation/>).
constexpr char kSasl[] = "SaslExternal";
constexpr char kDialbackTls[] = "DialbackTls";
constexpr char kDialbackTcp[] = "DialbackTcp";
constexpr char kRefused[] = "Refused";
constexpr char kPolicyViolation[] = "PolicyViolation";

struct Policy {
  const char* tls;
  const char* sasl;
  const char* dialback;
};

std::vector<std::string> PolicyArgs(const Policy& policy) {
  return {"--tls-negotiation",
          policy.tls,
          "--sasl-negotiation",
          policy.sasl,
          "--support-dialback-negotiation",
          policy.dialback};
}

// The streams of `site` with `remote` in `direction` that authenticated.
std::vector<JsonValue> Established(const std::vector<JsonValue>& sessions,
                                   const std::string& direction,
                                   const std::string& remote) {
  std::vector<JsonValue> found;
  for (const JsonValue& session : sessions) {
    if (Str(session, "direction") == direction &&
        Str(session, "remoteDomain") == remote &&
        !Str(session, "auth").empty()) {
      found.push_back(session);
    }
  }
  return found;
}

class NegotiationTest : public FederationTest {
 protected:
  // Each direction negotiates a stream of its own: with XEP-0288 the
  // answer would ride on the first stream (bidi_test.cc covers that).
  void OneStreamEachWay() {
    for (const Site* site : {&example_, &partner_}) {
      CliResult off = site->Cli(
          {"set-gateway-config", "--enable-bidirectional-streams", "false"});
      ASSERT_EQ(off.exit_code, 0) << off;
    }
  }

  // Sends a message from `from`'s gateway to `to`'s and checks that the
  // stream ended as `expected` says.
  void ExpectStream(Site& from, Site& to, const std::string& id,
                    const std::string& expected) {
    size_t from_mark = from.agent->Log().size();
    size_t to_mark = to.agent->Log().size();
    auto logs = [&] {
      return "\n" + from.domain + " log:\n" +
             from.agent->Log().substr(from_mark) + "\n" + to.domain +
             " log:\n" + to.agent->Log().substr(to_mark);
    };
    if (expected != kRefused && expected != kPolicyViolation) {
      ASSERT_NE(Relay(from, to, id), "") << "expected " << expected << logs();
      std::vector<JsonValue> out =
          Established(Sessions(from), "Outbound", to.domain);
      ASSERT_EQ(out.size(), 1u) << logs();
      EXPECT_EQ(Str(out[0], "auth"), expected) << logs();
      std::vector<JsonValue> in =
          Established(Sessions(to), "Inbound", from.domain);
      ASSERT_EQ(in.size(), 1u) << logs();
      EXPECT_EQ(Str(in[0], "auth"), expected) << logs();
      return;
    }
    from.gateway->Send("<message from='alice@" + from.domain + "' to='bob@" +
                       to.domain + "' id='" + id + "'><body>" + id +
                       "</body></message>");
    std::optional<std::string> bounce =
        from.gateway->WaitFor([&](const std::string& xml) {
          return xml.find("id=\"" + id + "\"") != std::string::npos &&
                 xml.find("type=\"error\"") != std::string::npos;
        });
    ASSERT_TRUE(bounce.has_value()) << "expected a refusal" << logs();
    EXPECT_NE(bounce->find("remote-server-not-found"), std::string::npos)
        << *bounce;
    EXPECT_TRUE(Established(Sessions(from), "Outbound", to.domain).empty())
        << logs();
    EXPECT_NE(from.agent->Log().find("s2s.outbound.failed", from_mark),
              std::string::npos)
        << logs();
    if (expected == kPolicyViolation) {
      // The receiving side's close line names the stream error.
      bool found = false;
      for (int i = 0; i < 50 && !found; ++i) {
        found = to.agent->Log().find("reason=\"policy-violation", to_mark) !=
                std::string::npos;
        if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      EXPECT_TRUE(found) << logs();
    }
  }

  // Closes every stream between the two sites and waits until they are gone.
  void DropStreams() {
    example_.Cli({"remove-session", "--partner", partner_.domain, "--force"});
    partner_.Cli({"remove-session", "--partner", example_.domain, "--force"});
    for (int i = 0; i < 100; ++i) {
      if (Sessions(example_).empty() && Sessions(partner_).empty()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "streams still open";
  }

  void SetPolicy(const Site& site, const Site& other, const Policy& policy) {
    std::vector<std::string> args = {"set-partner", other.domain};
    for (const std::string& arg : PolicyArgs(policy)) args.push_back(arg);
    CliResult result = site.Cli(args);
    ASSERT_EQ(result.exit_code, 0) << result;
  }
};

// One valid row of the table at example.test, against each kind of peer.
struct MatrixRow {
  Policy row;
  // The outcome example.test -> partner.test, then partner.test ->
  // example.test, with a peer supporting everything, no TLS, no SASL, no
  // dialback.
  const char* outcomes[4][2];
};

// The peers, as partner.test's row for example.test.
constexpr Policy kPeers[4] = {
    {"Optional", "Optional", "true"},          // everything
    {"NotSupported", "NotSupported", "true"},  // no TLS (so no SASL)
    {"Optional", "NotSupported", "true"},      // no SASL EXTERNAL
    {"Optional", "Optional", "false"},         // no dialback
};
constexpr const char* kPeerNames[4] = {"everything", "no TLS", "no SASL",
                                       "no dialback"};

const MatrixRow kMatrix[] = {
    {{"Required", "Required", "true"},
     {{kSasl, kSasl},
      {kRefused, kRefused},
      {kRefused, kPolicyViolation},
      {kSasl, kSasl}}},
    {{"Required", "Required", "false"},
     {{kSasl, kSasl},
      {kRefused, kRefused},
      {kRefused, kPolicyViolation},
      {kSasl, kSasl}}},
    {{"Required", "Optional", "true"},
     {{kSasl, kSasl},
      {kRefused, kRefused},
      {kDialbackTls, kDialbackTls},
      {kSasl, kSasl}}},
    {{"Required", "Optional", "false"},
     {{kSasl, kSasl},
      {kRefused, kRefused},
      {kRefused, kPolicyViolation},
      {kSasl, kSasl}}},
    {{"Required", "NotSupported", "true"},
     {{kDialbackTls, kDialbackTls},
      {kRefused, kRefused},
      {kDialbackTls, kDialbackTls},
      {kPolicyViolation, kRefused}}},
    {{"Optional", "Required", "true"},
     {{kSasl, kSasl},
      {kDialbackTcp, kDialbackTcp},
      {kDialbackTls, kDialbackTls},
      {kSasl, kSasl}}},
    {{"Optional", "Required", "false"},
     {{kSasl, kSasl},
      {kRefused, kRefused},
      {kRefused, kPolicyViolation},
      {kSasl, kSasl}}},
    {{"Optional", "Optional", "true"},
     {{kSasl, kSasl},
      {kDialbackTcp, kDialbackTcp},
      {kDialbackTls, kDialbackTls},
      {kSasl, kSasl}}},
    {{"Optional", "Optional", "false"},
     {{kSasl, kSasl},
      {kRefused, kRefused},
      {kRefused, kPolicyViolation},
      {kSasl, kSasl}}},
    {{"Optional", "NotSupported", "true"},
     {{kDialbackTls, kDialbackTls},
      {kDialbackTcp, kDialbackTcp},
      {kDialbackTls, kDialbackTls},
      {kPolicyViolation, kRefused}}},
    {{"NotSupported", "NotSupported", "true"},
     {{kDialbackTcp, kDialbackTcp},
      {kDialbackTcp, kDialbackTcp},
      {kDialbackTcp, kDialbackTcp},
      {kRefused, kRefused}}},
};

class NegotiationMatrixTest : public NegotiationTest {
 protected:
  void SetUp() override {
    NegotiationTest::SetUp();
    StartFederatedPair();
    OneStreamEachWay();
  }
};

// One pair of agents for all 44 cases: each case sets both policies, drops
// the streams of the case before, and sends one message each way.
TEST_F(NegotiationMatrixTest, EveryValidRowAgainstEveryKindOfPeer) {
  int n = 0;
  for (const MatrixRow& row : kMatrix) {
    for (int peer = 0; peer < 4; ++peer) {
      std::string name = std::string(row.row.tls) + "/" + row.row.sasl + "/" +
                         row.row.dialback + " vs a peer with " +
                         kPeerNames[peer];
      SCOPED_TRACE(name);
      SetPolicy(example_, partner_, row.row);
      SetPolicy(partner_, example_, kPeers[peer]);
      DropStreams();
      ++n;
      ExpectStream(example_, partner_, "out-" + std::to_string(n),
                   row.outcomes[peer][0]);
      ExpectStream(partner_, example_, "in-" + std::to_string(n),
                   row.outcomes[peer][1]);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_EQ(n, 44);
}

// partner.test presents a certificate that cannot (or, for the SRV-ID and
// XmppAddr cases, can) authenticate it; example.test's verdict decides
// between SASL EXTERNAL, the dialback fallback and a refusal.
struct CertificateCase {
  const char* name;
  // partner.test's leaf: DNS names and extra subjectAltNames.
  std::vector<std::string> dns_names;
  std::vector<std::string> extra_alt_names;
  int valid_days;
  // example.test trusts partner.test's CA.
  bool trusted;
  // Both sites' row.
  Policy policy;
  // example.test -> partner.test, partner.test -> example.test.
  const char* out;
  const char* in;
};

class CertificateTest : public NegotiationTest,
                        public ::testing::WithParamInterface<CertificateCase> {
 protected:
  void SetUp() override {
    NegotiationTest::SetUp();
    const CertificateCase& c = GetParam();
    CertificateOptions options;
    options.valid_days = c.valid_days;
    options.extra_alt_names = c.extra_alt_names;
    partner_.certificates = MakeCertificates(
        partner_.dir->path(), "partner.test case CA", c.dns_names, options);
    std::string trusted = partner_.certificates.ca_cert;
    if (!c.trusted) {
      trusted = MakeCertificates(example_.dir->path(), "impostor CA",
                                 {"partner.test"})
                    .ca_cert;
    }
    StartAgent(example_, trusted);
    StartAgent(partner_, example_.certificates.ca_cert);
    std::vector<std::string> policy = PolicyArgs(c.policy);
    policy.push_back("--partner-type");
    policy.push_back("Federated");
    AddPartner(example_, partner_, policy);
    AddPartner(partner_, example_, policy);
    ConnectGateway(example_);
    ConnectGateway(partner_);
    OneStreamEachWay();
  }
};

TEST_P(CertificateTest, NegotiatesAsTheCertificateAllows) {
  ExpectStream(example_, partner_, "out", GetParam().out);
  ExpectStream(partner_, example_, "in", GetParam().in);
}

constexpr Policy kSaslElseDialback = {"Optional", "Optional", "true"};
constexpr Policy kSaslOnly = {"Required", "Optional", "false"};
constexpr char kXmppAddrOf[] = "otherName:1.3.6.1.5.5.7.8.5;UTF8:";
constexpr char kSrvIdOf[] = "otherName:1.3.6.1.5.5.7.8.7;IA5STRING:";

INSTANTIATE_TEST_SUITE_P(
    Certificates, CertificateTest,
    ::testing::Values(
        // Valid identities other than a DNS-ID.
        CertificateCase{"SrvIdOnly",
                        {},
                        {std::string(kSrvIdOf) + "_xmpp-server.partner.test"},
                        2,
                        true,
                        kSaslOnly,
                        kSasl,
                        kSasl},
        CertificateCase{"XmppAddrOnly",
                        {},
                        {std::string(kXmppAddrOf) + "partner.test"},
                        2,
                        true,
                        kSaslOnly,
                        kSasl,
                        kSasl},
        // Not valid for partner.test: with dialback allowed, dialback over
        // TLS both ways (EXTERNAL not offered to partner.test, not tried
        // by example.test)...
        CertificateCase{"ExpiredFallsBackToDialback",
                        {"partner.test"},
                        {},
                        -1,
                        true,
                        kSaslElseDialback,
                        kDialbackTls,
                        kDialbackTls},
        CertificateCase{"UntrustedCaFallsBackToDialback",
                        {"partner.test"},
                        {},
                        2,
                        false,
                        kSaslElseDialback,
                        kDialbackTls,
                        kDialbackTls},
        CertificateCase{"NameMismatchFallsBackToDialback",
                        {"xmpp.partner.test"},
                        {},
                        2,
                        true,
                        kSaslElseDialback,
                        kDialbackTls,
                        kDialbackTls},
        CertificateCase{"WildcardDoesNotCoverTheBareDomain",
                        {"*.partner.test"},
                        {},
                        2,
                        true,
                        kSaslElseDialback,
                        kDialbackTls,
                        kDialbackTls},
        // ...and with SASL the only way, refused: example.test does not
        // try EXTERNAL with a server it cannot authenticate (TLS Required
        // also refuses that server), and does not offer it to a peer whose
        // certificate is not valid (policy-violation).
        CertificateCase{"ExpiredRefusedWhenSaslIsRequired",
                        {"partner.test"},
                        {},
                        -1,
                        true,
                        kSaslOnly,
                        kRefused,
                        kPolicyViolation},
        CertificateCase{"UntrustedCaRefusedWhenSaslIsRequired",
                        {"partner.test"},
                        {},
                        2,
                        false,
                        kSaslOnly,
                        kRefused,
                        kPolicyViolation},
        CertificateCase{"NameMismatchRefusedWhenSaslIsRequired",
                        {"xmpp.partner.test"},
                        {},
                        2,
                        true,
                        kSaslOnly,
                        kRefused,
                        kPolicyViolation}),
    [](const ::testing::TestParamInfo<CertificateCase>& info) {
      return info.param.name;
    });

// What a plaintext peer sees: no SASL before TLS, STARTTLS mandatory when
// the row allows nothing without it, and <auth/> on a plaintext stream
// refused.
TEST_F(NegotiationTest, SaslIsNeverOfferedBeforeTls) {
  StartAgent(partner_, example_.certificates.ca_cert);
  // example.test never runs here: no proxyFqdn to reach it.
  std::vector<std::string> args = {"new-partner", "example.test", "--quiet"};
  for (const std::string& arg : PolicyArgs({"Optional", "Optional", "false"}))
    args.push_back(arg);
  CliResult added = partner_.Cli(args);
  ASSERT_EQ(added.exit_code, 0) << added;
  RawStream raw(partner_.s2s_port);
  ASSERT_TRUE(raw.connected());
  raw.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(raw.ReadUntil("</stream:features>")) << raw.received();
  EXPECT_NE(raw.received().find("<starttls xmlns='urn:ietf:params:xml:ns:"
                                "xmpp-tls'><required/></starttls>"),
            std::string::npos)
      << raw.received();
  EXPECT_EQ(raw.received().find("xmpp-sasl"), std::string::npos)
      << raw.received();
  raw.Send(
      "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
      "mechanism='EXTERNAL'>ZXhhbXBsZS50ZXN0</auth>");
  ASSERT_TRUE(raw.ReadUntil("</failure>")) << raw.received();
  EXPECT_NE(raw.received().find("<encryption-required/>"), std::string::npos)
      << raw.received();
  EXPECT_NE(partner_.agent->Log().find("s2s.inbound.sasl_failed"),
            std::string::npos);
}

}  // namespace
}  // namespace xmppfed::testing
