// RFC 6120 §3.2 as a deployment without working DNS meets it: inside the
// namespace no DNS server can be reached, and example.test and partner.test
// are only in its /etc/hosts. The SRV lookups fail, and both sides fall back
// to the domain's address on port 5269 (Prosody through unbound's hosts
// file, the agent through c-ares'): outbound, and for the dialback check the
// agent makes back to the domain a stream claims to come from.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/prosody/prosody_fixture.h"

namespace xmppfed::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class HostsFileOnlyTest : public ProsodyInteropTest {
 protected:
  HostsFileOnlyTest() { serve_dns_ = false; }

  void SetUp() override {
    ProsodyInteropTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    StartAgent();
    AddPartner(kDialbackOverTls);
    StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/false);
    ConnectGateway();
    ConnectBob();
  }
};

// The gateway writes first: the agent's stream to partner.test goes to the
// address /etc/hosts gives it, on 5269.
TEST_F(HostsFileOnlyTest, OutboundStreamFindsThePartnerInTheHostsFile) {
  std::string arrived = ToBob("h1", "found-without-dns");
  ASSERT_NE(arrived, "") << "bob got nothing";
  EXPECT_TRUE(Has(arrived, "from=\"alice@example.test/desk\"")) << arrived;

  JsonValue outbound = WaitForEstablished("Outbound");
  EXPECT_EQ(Str(outbound, "remoteDomain"), kProsodyDomain);
  EXPECT_EQ(Str(outbound, "peerAddress"),
            std::string(kProsodyAddress) + ":" + std::to_string(kS2sPort));
  EXPECT_EQ(Str(outbound, "auth"), "DialbackTls");
}

// Prosody writes first: its stream claims partner.test, and the agent
// verifies the dialback key with partner.test's authoritative server,
// found through /etc/hosts as well.
TEST_F(HostsFileOnlyTest, DialbackCheckFindsTheOriginatingDomainInHostsFile) {
  std::string arrived = FromBob("h2", "verified-without-dns");
  ASSERT_NE(arrived, "") << "the gateway got nothing";
  EXPECT_TRUE(Has(arrived, "from=\"bob@partner.test/interop\"")) << arrived;

  JsonValue inbound = WaitForEstablished("Inbound");
  EXPECT_EQ(Str(inbound, "remoteDomain"), kProsodyDomain);
  EXPECT_EQ(Str(inbound, "auth"), "DialbackTls");
  // The verification's own stream went to partner.test's address.
  EXPECT_TRUE(Has(agent_->Log(), "remote=partner.test purpose=verify peer=" +
                                     std::string(kProsodyAddress) + ":" +
                                     std::to_string(kS2sPort)))
      << agent_->Log();
}

}  // namespace
}  // namespace xmppfed::testing
