#include "agent/edge/sessions/partner_types.h"

#include <gtest/gtest.h>

#include <string>

namespace xmppfed::edge {
namespace {

class PartnerTypesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    xmpp_initialize();
    ctx_ = xmpp_ctx_new(nullptr, nullptr);
  }
  void TearDown() override {
    for (xmpp_stanza_t* stanza : owned_) xmpp_stanza_release(stanza);
    xmpp_ctx_free(ctx_);
  }

  xmpp_stanza_t* Parse(const std::string& xml) {
    xmpp_stanza_t* stanza = xmpp_stanza_new_from_string(ctx_, xml.c_str());
    EXPECT_NE(stanza, nullptr) << xml;
    owned_.push_back(stanza);
    return stanza;
  }

  std::string Text(xmpp_stanza_t* stanza) {
    char* buffer = nullptr;
    size_t size = 0;
    xmpp_stanza_to_text(stanza, &buffer, &size);
    std::string text(buffer, size);
    xmpp_free(ctx_, buffer);
    return text;
  }

  static snapshot::PartnerPolicy OfType(v1::PartnerType type) {
    v1::Partner partner;
    partner.set_identity("partner.test");
    partner.set_partner_type(type);
    return snapshot::PartnerPolicy(partner);
  }

  xmpp_ctx_t* ctx_ = nullptr;
  std::vector<xmpp_stanza_t*> owned_;
};

constexpr char kPresenceWithStatus[] =
    "<presence from='alice@example.test/desk' to='bob@partner.test' id='p1'>"
    "<show>away</show><status>At the dentist</status><priority>5</priority>"
    "<status xml:lang='de'>Beim Zahnarzt</status></presence>";

TEST_F(PartnerTypesTest, BareJidDropsTheResourceAndLowerCases) {
  EXPECT_EQ(BareJid("Alice@Example.TEST/Desk"), "alice@example.test");
  EXPECT_EQ(BareJid("example.test."), "example.test");
  EXPECT_EQ(BareJid("bob@partner.test/a/b"), "bob@partner.test");
  EXPECT_EQ(BareJid(nullptr), "");
}

TEST_F(PartnerTypesTest, OnlyPresenceOfTypeSubscribeIsASubscriptionRequest) {
  EXPECT_TRUE(IsSubscriptionRequest(
      Parse("<presence to='b@partner.test' type='subscribe'/>")));
  EXPECT_FALSE(IsSubscriptionRequest(
      Parse("<presence to='b@partner.test' type='subscribed'/>")));
  EXPECT_FALSE(IsSubscriptionRequest(Parse("<presence to='b@partner.test'/>")));
  EXPECT_FALSE(IsSubscriptionRequest(
      Parse("<message to='b@partner.test' type='subscribe'/>")));
}

TEST_F(PartnerTypesTest, FederatedPartnersGetTheStatusAsItIs) {
  EXPECT_EQ(StripForPartner(ctx_, OfType(v1::PARTNER_TYPE_FEDERATED),
                            Parse(kPresenceWithStatus)),
            nullptr);
}

TEST_F(PartnerTypesTest, PublicPartnersGetPresenceWithoutAnyStatus) {
  for (v1::PartnerType type :
       {v1::PARTNER_TYPE_PUBLIC_VERIFIED, v1::PARTNER_TYPE_PUBLIC_UNVERIFIED}) {
    xmpp_stanza_t* original = Parse(kPresenceWithStatus);
    xmpp_stanza_t* stripped = StripForPartner(ctx_, OfType(type), original);
    ASSERT_NE(stripped, nullptr);
    owned_.push_back(stripped);
    std::string text = Text(stripped);
    EXPECT_EQ(text.find("status"), std::string::npos) << text;
    EXPECT_EQ(text.find("dentist"), std::string::npos) << text;
    EXPECT_NE(text.find("<show>away</show>"), std::string::npos) << text;
    EXPECT_NE(text.find("<priority>5</priority>"), std::string::npos) << text;
    EXPECT_NE(text.find("from=\"alice@example.test/desk\""), std::string::npos)
        << text;
    EXPECT_NE(text.find("to=\"bob@partner.test\""), std::string::npos) << text;
    EXPECT_NE(text.find("id=\"p1\""), std::string::npos) << text;
    // The original is left for whoever else holds it.
    EXPECT_NE(Text(original).find("At the dentist"), std::string::npos);
  }
}

TEST_F(PartnerTypesTest, PresenceWithoutStatusAndMessagesAreNotCopied) {
  snapshot::PartnerPolicy verified = OfType(v1::PARTNER_TYPE_PUBLIC_VERIFIED);
  EXPECT_EQ(StripForPartner(ctx_, verified,
                            Parse("<presence to='b@partner.test'><show>dnd"
                                  "</show></presence>")),
            nullptr);
  EXPECT_EQ(StripForPartner(ctx_, verified,
                            Parse("<message to='b@partner.test'><status>x"
                                  "</status><body>hi</body></message>")),
            nullptr);
}

TEST_F(PartnerTypesTest, OnlyPublicUnverifiedContactsNeedAnInvitation) {
  xmpp_stanza_t* message = Parse(
      "<message from='b@partner.test' to='a@example.test'><body>hi"
      "</body></message>");
  xmpp_stanza_t* subscribe = Parse(
      "<presence from='b@partner.test' to='a@example.test' type='subscribe'/>");
  xmpp_stanza_t* presence =
      Parse("<presence from='b@partner.test' to='a@example.test'/>");
  xmpp_stanza_t* iq = Parse(
      "<iq from='b@partner.test' to='a@example.test' type='get' id='1'/>");
  snapshot::PartnerPolicy unverified =
      OfType(v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  EXPECT_TRUE(NeedsInvitation(unverified, message));
  EXPECT_TRUE(NeedsInvitation(unverified, subscribe));
  EXPECT_FALSE(NeedsInvitation(unverified, presence));
  EXPECT_FALSE(NeedsInvitation(unverified, iq));
  EXPECT_FALSE(NeedsInvitation(
      unverified, Parse("<message from='b@partner.test' to='a@example.test' "
                        "type='error'><error type='cancel'/></message>")));
  for (v1::PartnerType type :
       {v1::PARTNER_TYPE_FEDERATED, v1::PARTNER_TYPE_PUBLIC_VERIFIED}) {
    EXPECT_FALSE(NeedsInvitation(OfType(type), message));
    EXPECT_FALSE(NeedsInvitation(OfType(type), subscribe));
  }
}

}  // namespace
}  // namespace xmppfed::edge
