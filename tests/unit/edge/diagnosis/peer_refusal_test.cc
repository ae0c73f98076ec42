// test-partner's advice for every refusal a peer can send: each stream
// error of RFC 6120 §4.9.3, each SASL failure of §6.5, each dialback result
// of XEP-0220, named and explained with the domains involved.
#include "agent/edge/diagnosis/peer_refusal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace xmppfed::edge::diagnosis {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Kind = PeerRefusal::Kind;

const RefusalContext kContext{"example.test", "partner.test"};
constexpr char kUnknown[] = "a condition this edge does not know";

std::string Advice(Kind kind, const std::string& condition) {
  return AdviceFor({kind, condition, ""}, kContext);
}

TEST(PeerRefusalTest, EveryStreamErrorHasAdviceOfItsOwn) {
  const std::vector<std::string> conditions = {"bad-format",
                                               "bad-namespace-prefix",
                                               "conflict",
                                               "connection-timeout",
                                               "host-gone",
                                               "host-unknown",
                                               "improper-addressing",
                                               "internal-server-error",
                                               "invalid-from",
                                               "invalid-namespace",
                                               "invalid-xml",
                                               "not-authorized",
                                               "not-well-formed",
                                               "policy-violation",
                                               "remote-connection-failed",
                                               "reset",
                                               "resource-constraint",
                                               "restricted-xml",
                                               "see-other-host",
                                               "system-shutdown",
                                               "undefined-condition",
                                               "unsupported-encoding",
                                               "unsupported-feature",
                                               "unsupported-stanza-type",
                                               "unsupported-version"};
  ASSERT_EQ(conditions.size(), 25u);  // all of RFC 6120 §4.9.3
  std::vector<std::string> seen;
  for (const std::string& condition : conditions) {
    std::string advice = Advice(Kind::kStreamError, condition);
    EXPECT_THAT(advice,
                AllOf(HasSubstr("(" + condition), Not(HasSubstr(kUnknown))))
        << condition;
    EXPECT_THAT(advice, Not(HasSubstr("{"))) << condition;
    seen.push_back(advice);
  }
  // No two conditions share one text.
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

TEST(PeerRefusalTest, TheRefusalsThatMatterMostNameTheirCause) {
  EXPECT_THAT(Advice(Kind::kStreamError, "policy-violation"),
              AllOf(HasSubstr("refuses example.test by its own policy"),
                    HasSubstr("has not allowed example.test"),
                    HasSubstr("add example.test to its federation partners"),
                    Not(HasSubstr("is it an XMPP server"))));
  EXPECT_THAT(Advice(Kind::kStreamError, "host-unknown"),
              AllOf(HasSubstr("does not serve partner.test"),
                    HasSubstr("_xmpp-server._tcp.partner.test"),
                    HasSubstr("proxyFqdn")));
  EXPECT_THAT(Advice(Kind::kStreamError, "remote-connection-failed"),
              AllOf(HasSubstr("could not connect back to example.test"),
                    HasSubstr("_xmpp-server._tcp.example.test")));
  EXPECT_THAT(Advice(Kind::kStreamError, "see-other-host"),
              HasSubstr("xmppfed set-partner partner.test --proxy-fqdn"));
}

TEST(PeerRefusalTest, EverySaslFailureHasAdviceOfItsOwn) {
  const std::vector<std::string> conditions = {"aborted",
                                               "account-disabled",
                                               "credentials-expired",
                                               "encryption-required",
                                               "incorrect-encoding",
                                               "invalid-authzid",
                                               "invalid-mechanism",
                                               "malformed-request",
                                               "mechanism-too-weak",
                                               "not-authorized",
                                               "temporary-auth-failure"};
  ASSERT_EQ(conditions.size(), 11u);  // all of RFC 6120 §6.5
  for (const std::string& condition : conditions) {
    EXPECT_THAT(
        Advice(Kind::kSaslFailure, condition),
        AllOf(HasSubstr("(" + condition + ")"), Not(HasSubstr(kUnknown))))
        << condition;
  }
  EXPECT_THAT(Advice(Kind::kSaslFailure, "not-authorized"),
              AllOf(HasSubstr("does not accept this edge's certificate as "
                              "proof of example.test"),
                    HasSubstr("allow dialback")));
  EXPECT_THAT(Advice(Kind::kSaslFailure, "invalid-authzid"),
              HasSubstr("must name example.test"));
}

TEST(PeerRefusalTest, EveryDialbackResultHasAdvice) {
  EXPECT_THAT(Advice(Kind::kDialbackInvalid, ""),
              AllOf(HasSubstr("key is invalid"),
                    HasSubstr("_xmpp-server._tcp.example.test"),
                    HasSubstr("dialback passphrase")));
  for (const char* condition :
       {"item-not-found", "host-unknown", "remote-connection-failed",
        "remote-server-not-found", "remote-server-timeout", "forbidden",
        "not-allowed", "policy-violation"}) {
    EXPECT_THAT(Advice(Kind::kDialbackError, condition),
                AllOf(HasSubstr(std::string("(") + condition + ")"),
                      Not(HasSubstr(kUnknown))))
        << condition;
  }
  EXPECT_THAT(Advice(Kind::kDialbackError, "remote-connection-failed"),
              HasSubstr("could not connect back to example.test"));
  EXPECT_THAT(Advice(Kind::kDialbackError, "item-not-found"),
              HasSubstr("does not serve partner.test"));
  EXPECT_THAT(Advice(Kind::kStartTlsFailure, ""),
              HasSubstr("could not set up TLS"));
}

TEST(PeerRefusalTest, AnUnknownConditionGetsTheGeneralAdvice) {
  EXPECT_THAT(Advice(Kind::kStreamError, "x-private"),
              AllOf(HasSubstr(kUnknown), HasSubstr("(x-private)")));
  EXPECT_THAT(Advice(Kind::kSaslFailure, ""), HasSubstr(kUnknown));
  EXPECT_THAT(Advice(Kind::kDialbackError, "gone"), HasSubstr(kUnknown));
}

TEST(PeerRefusalTest, DescribeNamesWhatThePeerSentWithItsText) {
  EXPECT_EQ(DescribeRefusal({Kind::kStreamError, "policy-violation",
                             "'partner.test' is not a federation partner"}),
            "the peer sent the stream error <policy-violation/>: "
            "'partner.test' is not a federation partner");
  EXPECT_EQ(DescribeRefusal({Kind::kSaslFailure, "not-authorized", ""}),
            "the peer refused SASL EXTERNAL with <not-authorized/>");
  EXPECT_EQ(DescribeRefusal({Kind::kDialbackError, "item-not-found", ""}),
            "the peer answered dialback with the error <item-not-found/>");
  EXPECT_THAT(DescribeRefusal({Kind::kDialbackInvalid, "", ""}),
              HasSubstr("type='invalid'"));
  EXPECT_THAT(DescribeRefusal({Kind::kSaslFailure, "", ""}),
              HasSubstr("(none)"));
}

TEST(PeerRefusalTest, StreamErrorsAreReadFromTheCloseReason) {
  std::optional<PeerRefusal> refusal = StreamErrorFromReason(
      "the stream closed: peer sent stream error policy-violation (x is "
      "not (yet) a partner)");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->kind, Kind::kStreamError);
  EXPECT_EQ(refusal->condition, "policy-violation");
  EXPECT_EQ(refusal->text, "x is not (yet) a partner");
  refusal = StreamErrorFromReason("peer sent stream error host-unknown");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->condition, "host-unknown");
  EXPECT_EQ(refusal->text, "");
  EXPECT_FALSE(StreamErrorFromReason("connection refused").has_value());
  EXPECT_FALSE(StreamErrorFromReason("peer sent stream error ").has_value());
}

}  // namespace
}  // namespace xmppfed::edge::diagnosis
