// SASL EXTERNAL in both roles.
#include <gtest/gtest.h>
#include <strophe.h>

#include "absl/strings/escaping.h"
#include "agent/edge/negotiation/sasl_initiating.h"
#include "agent/edge/negotiation/sasl_receiving.h"
#include "tests/unit/edge/negotiation/policy_fixture.h"

namespace xmppfed::edge::testing {
namespace {

using v1::NEGOTIATION_NOT_SUPPORTED;
using v1::NEGOTIATION_OPTIONAL;
using v1::NEGOTIATION_REQUIRED;

const policy::AllowedAuth kSaslRow =
    Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false);

PeerCertificate ValidFor() {
  return {
      .present = true, .trusted = true, .identity = tls::IdentityMatch::kDnsId};
}

TEST(SaslReceivingTest, PossibleNeedsTlsRowAndAValidCertificate) {
  std::string why;
  EXPECT_TRUE(
      SaslReceiving::Possible(true, kSaslRow, ValidFor(), "p.test", &why));
  EXPECT_FALSE(
      SaslReceiving::Possible(false, kSaslRow, ValidFor(), "p.test", &why));
  EXPECT_EQ(why, "no TLS");
  EXPECT_FALSE(SaslReceiving::Possible(
      true, Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true),
      ValidFor(), "p.test", &why));
  EXPECT_FALSE(SaslReceiving::Possible(true, kSaslRow, PeerCertificate{},
                                       "p.test", &why));
  EXPECT_NE(why.find("no client certificate"), std::string::npos);
  PeerCertificate untrusted = ValidFor();
  untrusted.trusted = false;
  EXPECT_FALSE(
      SaslReceiving::Possible(true, kSaslRow, untrusted, "p.test", &why));
  EXPECT_NE(why.find("not trusted"), std::string::npos);
  PeerCertificate other = ValidFor();
  other.identity = tls::IdentityMatch::kNone;
  EXPECT_FALSE(SaslReceiving::Possible(true, kSaslRow, other, "p.test", &why));
  EXPECT_NE(why.find("not valid for p.test"), std::string::npos);
}

TEST(SaslReceivingTest, OfferedThenAcceptedForTheHeaderDomain) {
  SaslReceiving sasl;
  EXPECT_NE(sasl.Offer(true).find("EXTERNAL"), std::string::npos);
  SaslReceiving::Outcome outcome =
      sasl.OnAuth("EXTERNAL", absl::Base64Escape("p.test"), "p.test", true, "");
  EXPECT_TRUE(outcome.accepted);
  EXPECT_NE(outcome.reply_xml.find("<success"), std::string::npos);
  EXPECT_TRUE(sasl.succeeded());
  EXPECT_EQ(sasl.Offer(true), "") << "nothing is offered after success";
}

TEST(SaslReceivingTest, NotOfferedIsRefusedWithTheReason) {
  SaslReceiving sasl;
  EXPECT_EQ(sasl.Offer(false), "");
  SaslReceiving::Outcome outcome =
      sasl.OnAuth("EXTERNAL", "=", "p.test", true, "the certificate ...");
  EXPECT_FALSE(outcome.accepted);
  EXPECT_EQ(outcome.failure, sasl::Failure::kInvalidMechanism);
  EXPECT_EQ(outcome.detail, "the certificate ...");
  EXPECT_FALSE(outcome.close);
}

TEST(SaslReceivingTest, ThirdFailureClosesTheStream) {
  SaslReceiving sasl;
  sasl.Offer(true);
  EXPECT_FALSE(sasl.OnAuth("PLAIN", "", "p.test", true, "").close);
  EXPECT_FALSE(sasl.OnAuth("EXTERNAL", absl::Base64Escape("other.test"),
                           "p.test", true, "")
                   .close);
  SaslReceiving::Outcome third = sasl.OnAuth("PLAIN", "", "p.test", true, "");
  EXPECT_FALSE(third.accepted);
  EXPECT_TRUE(third.close);
}

TEST(SaslReceivingTest, BeforeTlsIsEncryptionRequired) {
  SaslReceiving sasl;
  EXPECT_EQ(sasl.OnAuth("EXTERNAL", "=", "p.test", false, "").failure,
            sasl::Failure::kEncryptionRequired);
}

class SaslInitiatingTest : public ParsedElementsTest {
 protected:
  xmpp_stanza_t* FeaturesWith(const std::string& mechanism) {
    return Features(
        "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>" +
        mechanism + "</mechanism></mechanisms>");
  }
};

TEST_F(SaslInitiatingTest, TriedOnlyWhenEveryConditionHolds) {
  SaslInitiating sasl;
  xmpp_stanza_t* external = FeaturesWith("EXTERNAL");
  EXPECT_EQ(sasl.Obstacle(external, kSaslRow, true, true, "p.test"), "");
  EXPECT_EQ(sasl.Obstacle(external, kSaslRow, false, true, "p.test"), "no TLS");
  EXPECT_NE(sasl.Obstacle(external, kSaslRow, true, false, "p.test"), "");
  EXPECT_NE(sasl.Obstacle(FeaturesWith("PLAIN"), kSaslRow, true, true, "p.test")
                .find("does not offer SASL EXTERNAL"),
            std::string::npos);
  EXPECT_NE(sasl.Obstacle(
                external,
                Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true),
                true, true, "p.test"),
            "");
}

TEST_F(SaslInitiatingTest, AFailureIsRememberedAndNamed) {
  SaslInitiating sasl;
  EXPECT_NE(sasl.Start("local.test").find("mechanism='EXTERNAL'"),
            std::string::npos);
  EXPECT_TRUE(sasl.awaiting());
  std::string condition;
  EXPECT_FALSE(
      sasl.OnOutcome(Parse("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                           "<not-authorized/></failure>"),
                     &condition));
  EXPECT_EQ(condition, "not-authorized");
  EXPECT_NE(
      sasl.Obstacle(FeaturesWith("EXTERNAL"), kSaslRow, true, true, "p.test")
          .find("refused SASL EXTERNAL"),
      std::string::npos);
}

TEST_F(SaslInitiatingTest, SuccessIsTheStreamsRestart) {
  SaslInitiating sasl;
  sasl.Start("local.test");
  std::string condition;
  EXPECT_TRUE(sasl.OnOutcome(
      Parse("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"),
      &condition));
  EXPECT_TRUE(sasl.succeeded());
}

}  // namespace
}  // namespace xmppfed::edge::testing
