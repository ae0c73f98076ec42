// Server Dialback in its three roles.
#include <gtest/gtest.h>

#include "agent/edge/dialback/dialback_key.h"
#include "agent/edge/negotiation/dialback_authoritative.h"
#include "agent/edge/negotiation/dialback_originating.h"
#include "agent/edge/negotiation/dialback_receiving.h"
#include "tests/unit/edge/negotiation/policy_fixture.h"

namespace xmppfed::edge::testing {
namespace {

using Kind = DialbackReceiving::Admission::Kind;
using xml::StreamError;

TEST(DialbackReceivingTest, AdmitsAPartnersDomainForOneOfOurs) {
  snapshot::PolicySnapshot policy = Policy();
  DialbackReceiving dialback;
  DialbackReceiving::Admission admission =
      dialback.Admit("local.test", "dialback.test", "key", policy, false);
  EXPECT_EQ(admission.kind, Kind::kVerify);
  EXPECT_EQ(dialback.pending(), 1u);
  // The same domain again while it is being checked: nothing more to do.
  EXPECT_EQ(
      dialback.Admit("local.test", "dialback.test", "key", policy, false).kind,
      Kind::kPending);
  EXPECT_EQ(dialback.pending(), 1u);
}

TEST(DialbackReceivingTest, RefusalsNameTheirStreamError) {
  snapshot::PolicySnapshot policy = Policy();
  DialbackReceiving dialback;
  DialbackReceiving::Admission not_ours =
      dialback.Admit("elsewhere.test", "dialback.test", "k", policy, false);
  EXPECT_EQ(not_ours.kind, Kind::kRefuse);
  EXPECT_EQ(not_ours.error, StreamError::kHostUnknown);
  DialbackReceiving::Admission stranger =
      dialback.Admit("local.test", "stranger.test", "k", policy, false);
  EXPECT_EQ(stranger.error, StreamError::kPolicyViolation);
  // sasl.test's row allows no dialback, with TLS or without.
  EXPECT_EQ(dialback.Admit("local.test", "sasl.test", "k", policy, true).error,
            StreamError::kPolicyViolation);
  EXPECT_EQ(
      dialback.Admit("local.test", "dialback.test", "", policy, false).error,
      StreamError::kNotAuthorized);
  EXPECT_EQ(dialback.pending(), 0u);
}

TEST(DialbackReceivingTest, PendingChecksAreBounded) {
  snapshot::PolicySnapshot policy({"local.test"});
  for (size_t i = 0; i <= DialbackReceiving::kMaxPending; ++i) {
    policy.UpsertPartner(Row("p" + std::to_string(i) + ".test",
                             v1::NEGOTIATION_OPTIONAL,
                             v1::NEGOTIATION_NOT_SUPPORTED, true));
  }
  DialbackReceiving dialback;
  for (size_t i = 0; i < DialbackReceiving::kMaxPending; ++i) {
    ASSERT_EQ(dialback
                  .Admit("local.test", "p" + std::to_string(i) + ".test", "k",
                         policy, false)
                  .kind,
              Kind::kVerify);
  }
  DialbackReceiving::Admission over = dialback.Admit(
      "local.test",
      "p" + std::to_string(DialbackReceiving::kMaxPending) + ".test", "k",
      policy, false);
  EXPECT_EQ(over.kind, Kind::kRefuse);
  EXPECT_EQ(over.error, StreamError::kResourceConstraint);
  // An answer makes room again.
  dialback.Conclude("local.test", "p0.test", VerifyOutcome::kValid);
  EXPECT_EQ(
      dialback
          .Admit("local.test",
                 "p" + std::to_string(DialbackReceiving::kMaxPending) + ".test",
                 "k", policy, false)
          .kind,
      Kind::kVerify);
}

TEST(DialbackReceivingTest, ConclusionsFollowTheAuthoritativeAnswer) {
  snapshot::PolicySnapshot policy = Policy();
  DialbackReceiving dialback;
  dialback.Admit("local.test", "dialback.test", "k", policy, false);
  DialbackReceiving::Conclusion valid =
      dialback.Conclude("local.test", "dialback.test", VerifyOutcome::kValid);
  EXPECT_TRUE(valid.authenticated);
  EXPECT_FALSE(valid.close);
  EXPECT_NE(valid.reply_xml.find("type='valid'"), std::string::npos);

  DialbackReceiving::Conclusion invalid =
      dialback.Conclude("local.test", "dialback.test", VerifyOutcome::kInvalid);
  EXPECT_FALSE(invalid.authenticated);
  EXPECT_TRUE(invalid.close);
  EXPECT_EQ(invalid.error, StreamError::kNotAuthorized);
  EXPECT_NE(invalid.reply_xml.find("type='invalid'"), std::string::npos);

  DialbackReceiving::Conclusion unreachable = dialback.Conclude(
      "local.test", "dialback.test", VerifyOutcome::kUnreachable);
  EXPECT_EQ(unreachable.error, StreamError::kRemoteConnectionFailed);
  EXPECT_NE(unreachable.reply_xml.find("remote-server-not-found"),
            std::string::npos);
}

// Too many verifications in flight over the edge: a temporary dialback
// error (XEP-0220 §2.4, type wait), the stream kept, the domain no longer
// pending so the peer may ask again.
TEST(DialbackReceivingTest, BusyIsATemporaryErrorThatKeepsTheStream) {
  snapshot::PolicySnapshot policy = Policy();
  DialbackReceiving dialback;
  dialback.Admit("local.test", "dialback.test", "k", policy, false);
  DialbackReceiving::Conclusion busy =
      dialback.Conclude("local.test", "dialback.test", VerifyOutcome::kBusy);
  EXPECT_FALSE(busy.authenticated);
  EXPECT_FALSE(busy.close);
  EXPECT_NE(busy.reply_xml.find("type='error'"), std::string::npos)
      << busy.reply_xml;
  EXPECT_NE(busy.reply_xml.find("type='wait'"), std::string::npos)
      << busy.reply_xml;
  EXPECT_NE(busy.reply_xml.find("resource-constraint"), std::string::npos)
      << busy.reply_xml;
  EXPECT_EQ(dialback.pending(), 0u);
  EXPECT_EQ(
      dialback.Admit("local.test", "dialback.test", "k", policy, false).kind,
      DialbackReceiving::Admission::Kind::kVerify);
}

TEST(DialbackAuthoritativeTest, AnswersValidOnlyForOurOwnKey) {
  snapshot::PolicySnapshot policy = Policy();
  DialbackAuthoritative authoritative;
  std::string key = dialback::DialbackKey(policy.dialback_secret(),
                                          "dialback.test", "local.test", "id1");
  DialbackAuthoritative::Answer good =
      authoritative.OnVerify("dialback.test", "local.test", "id1", key, policy);
  EXPECT_FALSE(good.refuse);
  EXPECT_TRUE(good.valid);
  EXPECT_EQ(good.reply_xml,
            "<db:verify from='local.test' to='dialback.test' id='id1' "
            "type='valid'/>");
  DialbackAuthoritative::Answer other_id =
      authoritative.OnVerify("dialback.test", "local.test", "id2", key, policy);
  EXPECT_FALSE(other_id.valid);
  EXPECT_EQ(authoritative.answered(), 2u);
}

TEST(DialbackAuthoritativeTest, OnlyPartnersAskAndOnlyAboutOurDomains) {
  snapshot::PolicySnapshot policy = Policy();
  DialbackAuthoritative authoritative;
  EXPECT_EQ(authoritative
                .OnVerify("dialback.test", "elsewhere.test", "id", "k", policy)
                .error,
            StreamError::kHostUnknown);
  DialbackAuthoritative::Answer stranger =
      authoritative.OnVerify("stranger.test", "local.test", "id", "k", policy);
  EXPECT_TRUE(stranger.refuse);
  EXPECT_EQ(stranger.error, StreamError::kPolicyViolation);
  EXPECT_EQ(authoritative.answered(), 0u);
}

TEST(DialbackOriginatingTest, SendsOurKeyAndReadsTheVerdict) {
  DialbackOriginating dialback;
  std::string result =
      dialback.Start("secret-secret-secret", "local.test", "p.test", "sid");
  std::string key = dialback::DialbackKey("secret-secret-secret", "p.test",
                                          "local.test", "sid");
  EXPECT_EQ(result,
            "<db:result from='local.test' to='p.test'>" + key + "</db:result>");
  EXPECT_TRUE(dialback.key_sent());
  EXPECT_FALSE(dialback.OnResult("invalid"));
  EXPECT_EQ(dialback.state(), DialbackOriginating::State::kRefused);
  EXPECT_TRUE(dialback.OnResult("valid"));
}

TEST(DialbackAllowedTest, TheRowDecidesWithAndWithoutTls) {
  snapshot::PolicySnapshot policy = Policy();
  EXPECT_TRUE(DialbackAllowed(*policy.PartnerFor("dialback.test"), false));
  EXPECT_TRUE(DialbackAllowed(*policy.PartnerFor("dialback.test"), true));
  EXPECT_FALSE(DialbackAllowed(*policy.PartnerFor("sasl.test"), true));
}

}  // namespace
}  // namespace xmppfed::edge::testing
