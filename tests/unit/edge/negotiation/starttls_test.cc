// STARTTLS in both roles: what is offered or asked for, from the row.
#include <gtest/gtest.h>
#include <strophe.h>

#include "agent/edge/negotiation/starttls_initiating.h"
#include "agent/edge/negotiation/starttls_receiving.h"
#include "tests/unit/edge/negotiation/policy_fixture.h"

namespace xmppfed::edge::testing {
namespace {

using v1::NEGOTIATION_NOT_SUPPORTED;
using v1::NEGOTIATION_OPTIONAL;
using v1::NEGOTIATION_REQUIRED;

TEST(StartTlsReceivingTest, RequiredRowOffersItAsRequired) {
  StartTlsReceiving tls;
  std::string feature =
      tls.Offer(Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false),
                /*can_serve_tls=*/true);
  EXPECT_NE(feature.find("<required/>"), std::string::npos) << feature;
  EXPECT_EQ(tls.state(), StartTlsReceiving::State::kOffered);
  EXPECT_TRUE(tls.Accept());
  EXPECT_EQ(tls.state(), StartTlsReceiving::State::kProceeding);
  tls.Established();
  EXPECT_TRUE(tls.done());
  EXPECT_EQ(
      tls.Offer(Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false),
                true),
      "");
}

TEST(StartTlsReceivingTest, OptionalWithDialbackOverTcpIsNotRequired) {
  StartTlsReceiving tls;
  std::string feature = tls.Offer(
      Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true), true);
  EXPECT_NE(feature.find("<starttls"), std::string::npos);
  EXPECT_EQ(feature.find("<required/>"), std::string::npos) << feature;
}

TEST(StartTlsReceivingTest, NothingOfferedWithoutCertificateOrRow) {
  StartTlsReceiving tls;
  EXPECT_EQ(
      tls.Offer(Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true),
                /*can_serve_tls=*/false),
      "");
  EXPECT_FALSE(tls.Accept()) << "<starttls/> that was not offered";
  EXPECT_EQ(tls.Offer(Allowed(NEGOTIATION_NOT_SUPPORTED,
                              NEGOTIATION_NOT_SUPPORTED, true),
                      true),
            "");
  EXPECT_FALSE(tls.Accept());
}

class StartTlsInitiatingTest : public ParsedElementsTest {};

constexpr char kStartTls[] =
    "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
constexpr char kStartTlsRequired[] =
    "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
    "</starttls>";

TEST_F(StartTlsInitiatingTest, AsksWhenOfferedAndTheRowAllows) {
  StartTlsInitiating tls;
  StartTlsInitiating::Step step = tls.OnFeatures(
      Features(kStartTls),
      Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true), "p",
      "p.test");
  EXPECT_EQ(step.kind, StartTlsInitiating::Step::Kind::kRequest);
  EXPECT_TRUE(tls.OnProceed());
  EXPECT_EQ(tls.state(), StartTlsInitiating::State::kHandshaking);
}

TEST_F(StartTlsInitiatingTest, RequiredRowIsNeverDowngraded) {
  StartTlsInitiating tls;
  StartTlsInitiating::Step step = tls.OnFeatures(
      Features(""), Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false),
      "p", "p.test");
  EXPECT_EQ(step.kind, StartTlsInitiating::Step::Kind::kFail);
  EXPECT_NE(step.reason.find("does not offer STARTTLS"), std::string::npos);
}

TEST_F(StartTlsInitiatingTest, PeerRequiringTlsTheRowForbidsFails) {
  StartTlsInitiating tls;
  StartTlsInitiating::Step step = tls.OnFeatures(
      Features(kStartTlsRequired),
      Allowed(NEGOTIATION_NOT_SUPPORTED, NEGOTIATION_NOT_SUPPORTED, true), "p",
      "p.test");
  EXPECT_EQ(step.kind, StartTlsInitiating::Step::Kind::kFail);
}

TEST_F(StartTlsInitiatingTest, WithoutTlsOfferedAnOptionalRowGoesOn) {
  StartTlsInitiating tls;
  StartTlsInitiating::Step step = tls.OnFeatures(
      Features(""),
      Allowed(NEGOTIATION_OPTIONAL, NEGOTIATION_NOT_SUPPORTED, true), "p",
      "p.test");
  EXPECT_EQ(step.kind, StartTlsInitiating::Step::Kind::kContinue);
  EXPECT_FALSE(tls.OnProceed()) << "<proceed/> nobody asked for";
}

TEST_F(StartTlsInitiatingTest, CertificateVerdictFollowsTheRow) {
  StartTlsInitiating required;
  ASSERT_EQ(required
                .OnFeatures(
                    Features(kStartTls),
                    Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false),
                    "p", "p.test")
                .kind,
            StartTlsInitiating::Step::Kind::kRequest);
  required.OnProceed();
  EXPECT_EQ(required
                .OnEstablished(
                    /*chain_trusted=*/false, tls::IdentityMatch::kDnsId,
                    Allowed(NEGOTIATION_REQUIRED, NEGOTIATION_REQUIRED, false),
                    "p.test")
                .kind,
            StartTlsInitiating::Step::Kind::kFail);

  StartTlsInitiating optional;
  EXPECT_EQ(optional
                .OnEstablished(true, tls::IdentityMatch::kNone,
                               Allowed(NEGOTIATION_OPTIONAL,
                                       NEGOTIATION_NOT_SUPPORTED, true),
                               "p.test")
                .kind,
            StartTlsInitiating::Step::Kind::kContinue);
  EXPECT_FALSE(optional.certificate_valid());
  EXPECT_TRUE(optional.done());
}

}  // namespace
}  // namespace xmppfed::edge::testing
