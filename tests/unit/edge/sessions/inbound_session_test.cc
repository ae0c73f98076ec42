// InboundSession over a socketpair, the edge around it faked: one dialback
// stream carrying the domains of two partners, each stanza handed on with
// the partner of its `from` domain, a policy change judged domain by
// domain, and a partner's limit counted when a domain is proved.
#include "agent/edge/sessions/inbound_session.h"

#include <gtest/gtest.h>

#include "tests/unit/edge/sessions/fake_edge_services.h"

namespace xmppfed::edge::testing {
namespace {

constexpr char kHeader[] =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' "
    "xmlns:db='jabber:server:dialback' from='fed.test' to='local.test' "
    "version='1.0'>";

v1::Partner DialbackPartner(const std::string& identity, v1::PartnerType type) {
  v1::Partner partner;
  partner.set_identity(identity);
  partner.set_partner_type(type);
  partner.set_tls_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  partner.set_support_dialback_negotiation(true);
  return partner;
}

snapshot::PolicySnapshot TwoPartners() {
  snapshot::PolicySnapshot policy({"local.test"});
  policy.UpsertPartner(DialbackPartner("fed.test", v1::PARTNER_TYPE_FEDERATED));
  policy.UpsertPartner(
      DialbackPartner("pub.test", v1::PARTNER_TYPE_PUBLIC_UNVERIFIED));
  policy.SetGateway(v1::GatewayConfig(), "secret-for-the-tests");
  return policy;
}

class InboundSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services_.set_policy(TwoPartners());
    session_ =
        std::make_unique<InboundSession>(&services_, peer_.TakeSessionFd());
    ASSERT_TRUE(session_->Start().ok());
    peer_.Write(kHeader);
    ASSERT_TRUE(peer_.PumpUntil(services_, "</stream:features>"))
        << peer_.Read();
  }

  // Asks for `domain` with dialback and answers the verification.
  void Prove(const std::string& domain, VerifyOutcome outcome) {
    size_t asked = services_.verifications.size();
    peer_.Write("<db:result from='" + domain +
                "' to='local.test'>key</db:result>");
    for (int i = 0; i < 200 && services_.verifications.size() == asked; ++i) {
      services_.Pump();
    }
    ASSERT_EQ(services_.verifications.size(), asked + 1);
    EXPECT_EQ(services_.verifications.back().originating, domain);
    services_.verifications.back().done(outcome);
    services_.Pump();
  }

  void SendMessage(const std::string& from, const std::string& id) {
    peer_.Write("<message from='" + from + "' to='bob@local.test' id='" + id +
                "'/>");
    for (int i = 0; i < 50; ++i) services_.Pump();
  }

  FakeEdgeServices services_;
  PeerSocket peer_;
  std::unique_ptr<InboundSession> session_;
};

TEST_F(InboundSessionTest, EachStanzaGoesOnWithThePartnerOfItsFromDomain) {
  Prove("fed.test", VerifyOutcome::kValid);
  ASSERT_TRUE(peer_.PumpUntil(
      services_, "<db:result from='local.test' to='fed.test' type='valid'/>"));
  Prove("pub.test", VerifyOutcome::kValid);
  ASSERT_TRUE(peer_.PumpUntil(
      services_, "<db:result from='local.test' to='pub.test' type='valid'/>"));
  EXPECT_EQ(session_->Partners(),
            (std::vector<std::string>{"fed.test", "pub.test"}));

  SendMessage("eve@fed.test", "m1");
  SendMessage("mallory@pub.test/phone", "m2");
  ASSERT_EQ(services_.delivered.size(), 2u);
  EXPECT_EQ(services_.delivered[0].partner, "fed.test");
  EXPECT_EQ(services_.delivered[1].partner, "pub.test");
  EXPECT_NE(services_.delivered[1].xml.find("id=\"m2\""), std::string::npos);
}

TEST_F(InboundSessionTest, AFromDomainNotProvedIsInvalidFrom) {
  Prove("fed.test", VerifyOutcome::kValid);
  SendMessage("mallory@pub.test", "spoof");
  EXPECT_TRUE(services_.delivered.empty());
  ASSERT_TRUE(peer_.PumpUntil(services_, "<invalid-from"));
}

TEST_F(InboundSessionTest, APolicyChangeToAnyDomainOfTheStreamClosesIt) {
  Prove("fed.test", VerifyOutcome::kValid);
  Prove("pub.test", VerifyOutcome::kValid);
  snapshot::PolicySnapshot changed = TwoPartners();
  v1::Partner strict = DialbackPartner("pub.test", v1::PARTNER_TYPE_FEDERATED);
  strict.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  strict.set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  strict.set_support_dialback_negotiation(false);
  changed.UpsertPartner(strict);
  services_.set_policy(std::move(changed));
  session_->RecheckPolicy();
  ASSERT_TRUE(peer_.PumpUntil(services_, "<policy-violation"));
  EXPECT_NE(peer_.Read().find("pub.test"), std::string::npos) << peer_.Read();
}

TEST_F(InboundSessionTest, APartnerChangeOfTypeAppliesToItsNextStanza) {
  Prove("pub.test", VerifyOutcome::kValid);
  snapshot::PolicySnapshot changed = TwoPartners();
  changed.UpsertPartner(
      DialbackPartner("pub.test", v1::PARTNER_TYPE_FEDERATED));
  services_.set_policy(std::move(changed));
  session_->RecheckPolicy();
  SendMessage("mallory@pub.test", "after");
  ASSERT_EQ(services_.delivered.size(), 1u);
  EXPECT_EQ(session_->PartnerOf("pub.test")->type(),
            v1::PARTNER_TYPE_FEDERATED);
}

TEST_F(InboundSessionTest, APartnerAtItsLimitGetsNoFurtherStream) {
  services_.partner_streams["pub.test"] = 20;  // the gateway's default
  Prove("pub.test", VerifyOutcome::kValid);
  ASSERT_TRUE(peer_.PumpUntil(services_, "<resource-constraint"));
  EXPECT_NE(peer_.Read().find("type='error'"), std::string::npos)
      << peer_.Read();
  EXPECT_TRUE(session_->Partners().empty());
}

TEST_F(InboundSessionTest, AnInvalidKeyEndsTheStream) {
  Prove("fed.test", VerifyOutcome::kInvalid);
  ASSERT_TRUE(peer_.PumpUntil(services_, "<not-authorized"));
  EXPECT_NE(peer_.Read().find("type='invalid'"), std::string::npos);
  EXPECT_TRUE(session_->Partners().empty());
}

TEST_F(InboundSessionTest, NoDomainProvedInTimeEndsTheStream) {
  services_.Advance(absl::Seconds(61));  // streamEstablishmentTimeout 60
  ASSERT_TRUE(peer_.PumpUntil(services_, "<connection-timeout"));
}

}  // namespace
}  // namespace xmppfed::edge::testing
