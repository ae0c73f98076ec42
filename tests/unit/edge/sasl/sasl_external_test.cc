// SASL EXTERNAL (XEP-0178): which <auth/> the receiving side accepts, and
// the exact elements both sides send.
#include "agent/edge/sasl/sasl_external.h"

#include <gtest/gtest.h>

namespace xmppfed::edge::sasl {
namespace {

// base64("partner.test")
constexpr char kPartnerTest[] = "cGFydG5lci50ZXN0";

TEST(CheckAuthTest, EmptyEqualsOrTheFromDomainAreAccepted) {
  EXPECT_TRUE(CheckAuth("EXTERNAL", "", "partner.test").accepted);
  EXPECT_TRUE(CheckAuth("EXTERNAL", "=", "partner.test").accepted);
  EXPECT_TRUE(CheckAuth("EXTERNAL", kPartnerTest, "partner.test").accepted);
  // base64("Partner.Test."): the same domain, spelt differently.
  EXPECT_TRUE(
      CheckAuth("EXTERNAL", "UGFydG5lci5UZXN0Lg==", "partner.test").accepted);
}

TEST(CheckAuthTest, AnotherIdentityIsAnInvalidAuthzid) {
  // base64("other.test")
  AuthCheck other = CheckAuth("EXTERNAL", "b3RoZXIudGVzdA==", "partner.test");
  EXPECT_FALSE(other.accepted);
  EXPECT_EQ(other.failure, Failure::kInvalidAuthzid);
  // base64("alice@partner.test"): a user, not the server.
  AuthCheck user =
      CheckAuth("EXTERNAL", "YWxpY2VAcGFydG5lci50ZXN0", "partner.test");
  EXPECT_FALSE(user.accepted);
  EXPECT_EQ(user.failure, Failure::kInvalidAuthzid);
  // The detail never repeats the peer's text.
  EXPECT_EQ(user.detail.find("alice"), std::string::npos) << user.detail;
}

TEST(CheckAuthTest, TextThatIsNotCanonicalBase64IsAnIncorrectEncoding) {
  for (const char* text : {"not base64!", "cGFydG5lci50ZXN0=", "cGFydG5lci5",
                           "cGFy dG5lci50ZXN0"}) {
    AuthCheck check = CheckAuth("EXTERNAL", text, "partner.test");
    EXPECT_FALSE(check.accepted) << text;
    EXPECT_EQ(check.failure, Failure::kIncorrectEncoding) << text;
  }
}

TEST(CheckAuthTest, OnlyExternalIsAMechanism) {
  for (const char* mechanism : {"PLAIN", "external", "", "SCRAM-SHA-1"}) {
    AuthCheck check = CheckAuth(mechanism, kPartnerTest, "partner.test");
    EXPECT_FALSE(check.accepted) << mechanism;
    EXPECT_EQ(check.failure, Failure::kInvalidMechanism) << mechanism;
  }
}

TEST(ElementsTest, AsSentOnTheWire) {
  EXPECT_EQ(MechanismsFeatureXml(),
            "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            "<mechanism>EXTERNAL</mechanism></mechanisms>");
  EXPECT_EQ(AuthXml("example.test"),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
            "mechanism='EXTERNAL'>ZXhhbXBsZS50ZXN0</auth>");
  EXPECT_EQ(SuccessXml(),
            "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  EXPECT_EQ(FailureXml(Failure::kInvalidAuthzid),
            "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            "<invalid-authzid/></failure>");
}

TEST(ElementsTest, FailureNames) {
  EXPECT_EQ(FailureName(Failure::kAborted), "aborted");
  EXPECT_EQ(FailureName(Failure::kEncryptionRequired), "encryption-required");
  EXPECT_EQ(FailureName(Failure::kIncorrectEncoding), "incorrect-encoding");
  EXPECT_EQ(FailureName(Failure::kInvalidAuthzid), "invalid-authzid");
  EXPECT_EQ(FailureName(Failure::kInvalidMechanism), "invalid-mechanism");
  EXPECT_EQ(FailureName(Failure::kMalformedRequest), "malformed-request");
  EXPECT_EQ(FailureName(Failure::kNotAuthorized), "not-authorized");
}

}  // namespace
}  // namespace xmppfed::edge::sasl
