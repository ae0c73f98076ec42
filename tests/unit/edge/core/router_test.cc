// Router: where stanzas go, the partner types applied on the way (the
// invitations of PublicUnverified partners), with a real component session
// over a socketpair and the edge around it faked.
#include "agent/edge/core/router.h"

#include <gtest/gtest.h>

#include "agent/edge/component/handshake.h"
#include "tests/unit/edge/sessions/fake_edge_services.h"

namespace xmppfed::edge::testing {
namespace {

constexpr char kSecret[] = "component-secret";

v1::Partner PartnerOfType(const std::string& identity, v1::PartnerType type) {
  v1::Partner partner;
  partner.set_identity(identity);
  partner.set_partner_type(type);
  partner.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  return partner;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snapshot::PolicySnapshot policy({"local.test"});
    policy.UpsertPartner(
        PartnerOfType("pub.test", v1::PARTNER_TYPE_PUBLIC_UNVERIFIED));
    policy.UpsertPartner(PartnerOfType("fed.test", v1::PARTNER_TYPE_FEDERATED));
    services_.set_policy(policy);
    publisher_ = std::make_unique<snapshot::SnapshotPublisher>(
        std::make_shared<const snapshot::PolicySnapshot>(policy));
    router_ = std::make_unique<Router>(
        &services_, publisher_.get(),
        [this](const snapshot::PartnerRef& partner, const std::string& from,
               const std::string& to) {
          opened_.push_back(from + ">" + to);
          streams_.push_back(
              std::make_unique<OutboundSession>(&services_, from, to, partner));
          return streams_.back().get();
        },
        nullptr);
    component_ = std::make_unique<ComponentSession>(
        &services_, gateway_.TakeSessionFd(), kSecret);
    ASSERT_TRUE(component_->Start().ok());
    gateway_.Write(
        "<stream:stream xmlns='jabber:component:accept' "
        "xmlns:stream='http://etherx.jabber.org/streams' to='local.test'>");
    ASSERT_TRUE(gateway_.PumpUntil(services_, "id='"));
    std::string header = gateway_.Read();
    size_t id = header.find("id='") + 4;
    gateway_.Write("<handshake>" +
                   component::HandshakeDigest(
                       header.substr(id, header.find('\'', id) - id), kSecret) +
                   "</handshake>");
    ASSERT_TRUE(gateway_.PumpUntil(services_, "<handshake/>"));
    ASSERT_TRUE(router_->AttachComponent("local.test", component_.get()));
  }

  xmpp_stanza_t* Parse(const std::string& xml) {
    xmpp_stanza_t* stanza =
        xmpp_stanza_new_from_string(services_.xmpp(), xml.c_str());
    owned_.push_back(stanza);
    return stanza;
  }
  bool AtGateway(const std::string& text) {
    for (int i = 0; i < 20; ++i) services_.Pump();
    return gateway_.Read().find(text) != std::string::npos;
  }
  void TearDown() override {
    for (xmpp_stanza_t* stanza : owned_) xmpp_stanza_release(stanza);
  }

  FakeEdgeServices services_;
  std::unique_ptr<snapshot::SnapshotPublisher> publisher_;
  std::unique_ptr<Router> router_;
  PeerSocket gateway_;
  std::unique_ptr<ComponentSession> component_;
  std::vector<std::string> opened_;
  std::vector<std::unique_ptr<OutboundSession>> streams_;
  std::vector<xmpp_stanza_t*> owned_;
};

TEST_F(RouterTest, AnUninvitedContactOfAPublicUnverifiedPartnerIsBounced) {
  router_->DeliverFromPartner(
      services_.policy().Partner("pub.test"),
      Parse("<message from='mallory@pub.test' to='bob@local.test' "
            "id='m1'><body>hi</body></message>"));
  EXPECT_FALSE(AtGateway("id='m1'"));
  // The bounce goes back out to the sender's domain.
  EXPECT_EQ(opened_, std::vector<std::string>{"local.test>pub.test"});
}

TEST_F(RouterTest, AnInvitationLetsTheContactThrough) {
  // bob asks mallory for her presence: remembered on the way out.
  router_->DeliverFromComponent(
      "local.test", Parse("<presence from='bob@local.test/desk' "
                          "to='Mallory@pub.test' type='subscribe'/>"));
  EXPECT_TRUE(publisher_->IsInvited("bob@local.test", "mallory@pub.test"));
  EXPECT_EQ(opened_, std::vector<std::string>{"local.test>pub.test"});
  router_->DeliverFromPartner(
      services_.policy().Partner("pub.test"),
      Parse("<message from='mallory@pub.test/x' to='bob@local.test' "
            "id='m2'><body>hi</body></message>"));
  EXPECT_TRUE(AtGateway("id='m2'")) << gateway_.Read();
}

TEST_F(RouterTest, AFederatedPartnerNeedsNoInvitation) {
  router_->DeliverFromPartner(
      services_.policy().Partner("fed.test"),
      Parse("<message from='eve@fed.test' to='bob@local.test' id='m3'/>"));
  EXPECT_TRUE(AtGateway("id='m3'"));
  EXPECT_TRUE(opened_.empty());
}

TEST_F(RouterTest, AStanzaToANonPartnerIsBouncedNotAllowed) {
  router_->DeliverFromComponent(
      "local.test",
      Parse("<message from='bob@local.test' to='x@stranger.test' id='m4'/>"));
  EXPECT_TRUE(opened_.empty());
  EXPECT_TRUE(AtGateway("not-allowed")) << gateway_.Read();
}

TEST_F(RouterTest, OneStreamPerPairOfDomainsIsReused) {
  router_->DeliverFromComponent(
      "local.test", Parse("<message from='a@local.test' to='x@fed.test'/>"));
  router_->DeliverFromComponent(
      "local.test", Parse("<message from='b@local.test' to='y@fed.test'/>"));
  EXPECT_EQ(opened_, std::vector<std::string>{"local.test>fed.test"});
  router_->Forget(streams_.front().get());
  router_->DeliverFromComponent(
      "local.test", Parse("<message from='b@local.test' to='y@fed.test'/>"));
  EXPECT_EQ(opened_.size(), 2u) << "a closed stream is not reused";
}

}  // namespace
}  // namespace xmppfed::edge::testing
