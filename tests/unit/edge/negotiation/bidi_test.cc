// XEP-0288 in both roles: when the feature is offered and the request sent,
// and which domain pairs a negotiated stream carries the other way.
#include "agent/edge/negotiation/bidi.h"

#include <gtest/gtest.h>
#include <strophe.h>

#include <vector>

#include "tests/unit/edge/negotiation/policy_fixture.h"

namespace xmppfed::edge::testing {
namespace {

using v1::NEGOTIATION_NOT_SUPPORTED;
using v1::NEGOTIATION_OPTIONAL;
using v1::NEGOTIATION_REQUIRED;

TEST(BidiAllowedTest, OnlyOverTlsUnlessTheRowForbidsTls) {
  policy::AllowedAuth optional =
      Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true);
  policy::AllowedAuth required =
      Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false);
  policy::AllowedAuth no_tls =
      Allowed(NEGOTIATION_NOT_SUPPORTED, NEGOTIATION_NOT_SUPPORTED, true);
  EXPECT_TRUE(BidiAllowed(true, optional, /*tls_done=*/true));
  EXPECT_FALSE(BidiAllowed(true, optional, /*tls_done=*/false));
  EXPECT_TRUE(BidiAllowed(true, required, true));
  EXPECT_FALSE(BidiAllowed(true, required, false));
  EXPECT_TRUE(BidiAllowed(true, no_tls, false));
}

TEST(BidiAllowedTest, TheGatewaySettingTurnsItOff) {
  EXPECT_FALSE(BidiAllowed(
      false, Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false), true));
  EXPECT_FALSE(BidiAllowed(
      false,
      Allowed(NEGOTIATION_NOT_SUPPORTED, NEGOTIATION_NOT_SUPPORTED, true),
      false));
}

TEST(BidiReceivingTest, OffersTheFeatureBeforeAuthenticationOnly) {
  BidiReceiving bidi;
  EXPECT_EQ(bidi.Offer(true, false), "<bidi xmlns='urn:xmpp:features:bidi'/>");
  EXPECT_EQ(bidi.Offer(true, /*authenticated=*/true), "");
  EXPECT_EQ(bidi.Offer(/*allowed=*/false, false), "");
}

TEST(BidiReceivingTest, AcceptsARequestAfterItsOffer) {
  BidiReceiving bidi;
  bidi.Offer(true, false);
  EXPECT_TRUE(bidi.OnRequest(true, false));
  EXPECT_TRUE(bidi.negotiated());
  EXPECT_FALSE(bidi.OnRequest(true, false)) << "a second request";
  EXPECT_EQ(bidi.Offer(true, false), "") << "offered again once negotiated";
}

TEST(BidiReceivingTest, RefusesARequestThatWasNotOffered) {
  BidiReceiving never;
  EXPECT_FALSE(never.OnRequest(true, false));
  BidiReceiving before_tls;
  before_tls.Offer(/*allowed=*/false, false);
  EXPECT_FALSE(before_tls.OnRequest(true, false));
  BidiReceiving late;
  late.Offer(true, false);
  EXPECT_FALSE(late.OnRequest(true, /*authenticated=*/true));
  EXPECT_FALSE(late.negotiated());
  BidiReceiving policy_changed;
  policy_changed.Offer(true, false);
  EXPECT_FALSE(policy_changed.OnRequest(/*allowed=*/false, false));
}

TEST(BidiReceivingTest, CarriesOnlyTheAuthenticatedPairs) {
  BidiReceiving bidi;
  EXPECT_FALSE(bidi.AddPair("local.test", "partner.test"))
      << "not negotiated: nothing goes the other way";
  EXPECT_TRUE(bidi.pairs().empty());
  bidi.Offer(true, false);
  ASSERT_TRUE(bidi.OnRequest(true, false));
  EXPECT_TRUE(bidi.AddPair("local.test", "partner.test"));
  EXPECT_FALSE(bidi.AddPair("local.test", "partner.test")) << "known";
  EXPECT_TRUE(bidi.AddPair("other.local.test", "chat.partner.test"));
  EXPECT_TRUE(bidi.Carries("local.test", "partner.test"));
  EXPECT_TRUE(bidi.Carries("other.local.test", "chat.partner.test"));
  EXPECT_FALSE(bidi.Carries("local.test", "chat.partner.test"))
      << "a domain pair nobody authenticated";
  EXPECT_FALSE(bidi.Carries("partner.test", "local.test"));
  EXPECT_EQ(bidi.pairs().size(), 2u);
}

class BidiInitiatingTest : public ParsedElementsTest {};

constexpr char kFeature[] = "<bidi xmlns='urn:xmpp:features:bidi'/>";

TEST_F(BidiInitiatingTest, RequestsWhenOfferedAndAllowed) {
  BidiInitiating bidi;
  EXPECT_EQ(bidi.OnFeatures(Features(kFeature), true, true),
            "<bidi xmlns='urn:xmpp:bidi'/>");
  EXPECT_TRUE(bidi.requested());
  EXPECT_EQ(bidi.OnFeatures(Features(kFeature), true, true), "")
      << "requested once per stream";
}

TEST_F(BidiInitiatingTest, NothingWithoutTheFeatureOrPermission) {
  BidiInitiating not_offered;
  EXPECT_EQ(not_offered.OnFeatures(Features(""), true, true), "");
  EXPECT_EQ(not_offered.OnFeatures(nullptr, true, true), "");
  EXPECT_EQ(
      not_offered.OnFeatures(
          Features("<bidi xmlns='urn:xmpp:features:other'/>"), true, true),
      "");
  BidiInitiating not_allowed;
  EXPECT_EQ(not_allowed.OnFeatures(Features(kFeature), false, true), "");
  BidiInitiating unproven;
  EXPECT_EQ(unproven.OnFeatures(Features(kFeature), true, false), "");
  EXPECT_FALSE(not_allowed.requested());
  EXPECT_FALSE(unproven.requested());
}

}  // namespace
}  // namespace xmppfed::edge::testing
