// The SPEC §2 negotiation table, all 18 rows, through EvaluateNegotiation,
// CheckNegotiation and AllowedAuthFor.
#include "agent/policy/negotiation.h"

#include <string>
#include <vector>

#include "agent/errors/field_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::policy {
namespace {

using Outcome = NegotiationVerdict::Outcome;
constexpr v1::Negotiation R = v1::NEGOTIATION_REQUIRED;
constexpr v1::Negotiation O = v1::NEGOTIATION_OPTIONAL;
constexpr v1::Negotiation N = v1::NEGOTIATION_NOT_SUPPORTED;

constexpr char kW1[] =
    "Dialback will not operate if both SASL and TLS are required.";
constexpr char kW2[] =
    "SASL requires TLS. Allowing TLS to be optional may result in failed "
    "session negotiations.";
constexpr char kNone[] = "SASL or Dialback must be enabled.";
constexpr char kTls[] =
    "SASL requires TLS. Set TLS to Required or Optional, or set SASL to "
    "NotSupported.";

struct Row {
  std::string name;
  v1::Negotiation tls;
  v1::Negotiation sasl;
  bool dialback;
  Outcome outcome;
  std::string message;
  std::string negotiates;
  // AllowedAuthFor: tls_required, tls_offered, sasl, dialback TLS, TCP.
  AllowedAuth allowed;
};

// The error's detail, or an empty one when it has none (so that a missing
// detail fails the expectation instead of crashing the test).
v1::ErrorDetail DetailOf(const absl::Status& status) {
  return errors::GetErrorDetail(status).value_or(v1::ErrorDetail());
}

constexpr AllowedAuth kNothing = {false, false, false, false, false};

// SPEC §2, row by row (the spec's "Optional | Required | true/false" and
// "NotSupported | Required/Optional | any" lines expanded).
const Row kRows[] = {
    {"TlsRequired_SaslRequired_Dialback",
     R,
     R,
     true,
     Outcome::kWarning,
     kW1,
     "SASL EXTERNAL over TLS",
     {true, true, true, false, false}},
    {"TlsRequired_SaslRequired_NoDialback",
     R,
     R,
     false,
     Outcome::kOk,
     "",
     "SASL EXTERNAL over TLS",
     {true, true, true, false, false}},
    {"TlsRequired_SaslOptional_Dialback",
     R,
     O,
     true,
     Outcome::kOk,
     "",
     "SASL EXTERNAL over TLS, else dialback over TLS",
     {true, true, true, true, false}},
    {"TlsRequired_SaslOptional_NoDialback",
     R,
     O,
     false,
     Outcome::kOk,
     "",
     "SASL EXTERNAL over TLS",
     {true, true, true, false, false}},
    {"TlsRequired_SaslNotSupported_Dialback",
     R,
     N,
     true,
     Outcome::kOk,
     "",
     "dialback over TLS",
     {true, true, false, true, false}},
    {"TlsRequired_SaslNotSupported_NoDialback", R, N, false, Outcome::kInvalid,
     kNone, "", kNothing},
    {"TlsOptional_SaslRequired_Dialback",
     O,
     R,
     true,
     Outcome::kWarning,
     kW2,
     "SASL EXTERNAL over TLS, dialback over TLS or TCP",
     {false, true, true, true, true}},
    {"TlsOptional_SaslRequired_NoDialback",
     O,
     R,
     false,
     Outcome::kWarning,
     kW2,
     "SASL EXTERNAL over TLS",
     {false, true, true, false, false}},
    {"TlsOptional_SaslOptional_Dialback",
     O,
     O,
     true,
     Outcome::kWarning,
     kW2,
     "SASL EXTERNAL over TLS, dialback over TLS or TCP",
     {false, true, true, true, true}},
    {"TlsOptional_SaslOptional_NoDialback",
     O,
     O,
     false,
     Outcome::kWarning,
     kW2,
     "SASL EXTERNAL over TLS",
     {false, true, true, false, false}},
    {"TlsOptional_SaslNotSupported_Dialback",
     O,
     N,
     true,
     Outcome::kOk,
     "",
     "dialback over TLS or TCP",
     {false, true, false, true, true}},
    {"TlsOptional_SaslNotSupported_NoDialback", O, N, false, Outcome::kInvalid,
     kNone, "", kNothing},
    {"TlsNotSupported_SaslRequired_Dialback", N, R, true, Outcome::kInvalid,
     kTls, "", kNothing},
    {"TlsNotSupported_SaslRequired_NoDialback", N, R, false, Outcome::kInvalid,
     kTls, "", kNothing},
    {"TlsNotSupported_SaslOptional_Dialback", N, O, true, Outcome::kInvalid,
     kTls, "", kNothing},
    {"TlsNotSupported_SaslOptional_NoDialback", N, O, false, Outcome::kInvalid,
     kTls, "", kNothing},
    {"TlsNotSupported_SaslNotSupported_Dialback",
     N,
     N,
     true,
     Outcome::kOk,
     "",
     "dialback over TCP",
     {false, false, false, false, true}},
    {"TlsNotSupported_SaslNotSupported_NoDialback", N, N, false,
     Outcome::kInvalid, kNone, "", kNothing},
};

class NegotiationTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(NegotiationTableTest, EvaluateMatchesTheSpecRow) {
  const Row& row = GetParam();
  NegotiationVerdict verdict =
      EvaluateNegotiation(row.tls, row.sasl, row.dialback);
  EXPECT_EQ(verdict.outcome, row.outcome);
  EXPECT_EQ(verdict.message, row.message);
  EXPECT_EQ(verdict.negotiates, row.negotiates);
}

TEST_P(NegotiationTableTest, CheckOnAPartnerRefusesOrWarnsAsTheRowSays) {
  const Row& row = GetParam();
  v1::Partner partner;
  partner.set_tls_negotiation(row.tls);
  partner.set_sasl_negotiation(row.sasl);
  partner.set_support_dialback_negotiation(row.dialback);
  std::vector<std::string> warnings;
  absl::Status status = CheckNegotiation(partner, &warnings);
  switch (row.outcome) {
    case Outcome::kOk:
      EXPECT_TRUE(status.ok()) << status;
      EXPECT_THAT(warnings, ::testing::IsEmpty());
      break;
    case Outcome::kWarning:
      EXPECT_TRUE(status.ok()) << status;
      EXPECT_THAT(warnings, ::testing::ElementsAre(row.message));
      break;
    case Outcome::kInvalid: {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(status.message()),
                  ::testing::EndsWith(": " + row.message));
      std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(status);
      ASSERT_TRUE(detail.has_value());
      EXPECT_EQ(detail->field(), row.message == kTls
                                     ? "saslNegotiation"
                                     : "supportDialbackNegotiation");
      EXPECT_EQ(detail->rule(), row.message);
      EXPECT_THAT(warnings, ::testing::IsEmpty());
      break;
    }
  }
}

TEST_P(NegotiationTableTest, AllowedAuthFollowsTheRow) {
  const Row& row = GetParam();
  AllowedAuth got = AllowedAuthFor(row.tls, row.sasl, row.dialback);
  EXPECT_EQ(got.tls_required, row.allowed.tls_required);
  EXPECT_EQ(got.tls_offered, row.allowed.tls_offered);
  EXPECT_EQ(got.sasl_external, row.allowed.sasl_external);
  EXPECT_EQ(got.dialback_over_tls, row.allowed.dialback_over_tls);
  EXPECT_EQ(got.dialback_over_tcp, row.allowed.dialback_over_tcp);
}

INSTANTIATE_TEST_SUITE_P(SpecTable, NegotiationTableTest,
                         ::testing::ValuesIn(kRows),
                         [](const auto& info) { return info.param.name; });

TEST(NegotiationTest, SaslWithoutTlsMessageNamesBothValues) {
  v1::Partner partner;
  partner.set_tls_negotiation(N);
  partner.set_sasl_negotiation(R);
  partner.set_support_dialback_negotiation(true);
  absl::Status status = CheckNegotiation(partner, nullptr);
  EXPECT_EQ(status.message(),
            "saslNegotiation=Required needs TLS; tlsNegotiation is "
            "NotSupported: SASL requires TLS. Set TLS to Required or "
            "Optional, or set SASL to NotSupported.");
  EXPECT_EQ(DetailOf(status).value(), "Required");
}

TEST(NegotiationTest, NoAuthenticationMessageNamesAllThreeValues) {
  v1::Partner partner;
  partner.set_tls_negotiation(R);
  partner.set_sasl_negotiation(N);
  partner.set_support_dialback_negotiation(false);
  absl::Status status = CheckNegotiation(partner, nullptr);
  EXPECT_EQ(status.message(),
            "tlsNegotiation=Required, saslNegotiation=NotSupported, "
            "supportDialbackNegotiation=false: SASL or Dialback must be "
            "enabled.");
  EXPECT_EQ(DetailOf(status).value(), "false");
}

TEST(NegotiationTest, WarningWithNullWarningListIsStillOk) {
  v1::Partner partner;
  partner.set_tls_negotiation(O);
  partner.set_sasl_negotiation(O);
  EXPECT_TRUE(CheckNegotiation(partner, nullptr).ok());
}

TEST(NegotiationTest, UnspecifiedTlsIsRefusedUnderTlsNegotiation) {
  v1::Partner partner;
  partner.set_sasl_negotiation(R);
  absl::Status status = CheckNegotiation(partner, nullptr);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DetailOf(status).field(), "tlsNegotiation");
  EXPECT_EQ(status.message(),
            "tlsNegotiation=0: must be Required, Optional or NotSupported");
}

TEST(NegotiationTest, UnknownSaslNumberIsRefusedUnderSaslNegotiation) {
  v1::Partner partner;
  partner.set_tls_negotiation(R);
  partner.set_sasl_negotiation(static_cast<v1::Negotiation>(7));
  absl::Status status = CheckNegotiation(partner, nullptr);
  EXPECT_EQ(DetailOf(status).field(), "saslNegotiation");
  EXPECT_EQ(DetailOf(status).value(), "7");
}

TEST(NegotiationTest, UndefinedValuesEvaluateInvalidAndAllowNothing) {
  NegotiationVerdict verdict =
      EvaluateNegotiation(v1::NEGOTIATION_UNSPECIFIED, R, true);
  EXPECT_EQ(verdict.outcome, Outcome::kInvalid);
  EXPECT_EQ(verdict.negotiates, "");
  AllowedAuth allowed = AllowedAuthFor(R, v1::NEGOTIATION_UNSPECIFIED, true);
  EXPECT_FALSE(allowed.tls_offered || allowed.sasl_external ||
               allowed.dialback_over_tls || allowed.dialback_over_tcp);
}

TEST(NegotiationTest, EveryDefinedCombinationHasARow) {
  for (v1::Negotiation tls : {R, O, N}) {
    for (v1::Negotiation sasl : {R, O, N}) {
      for (bool dialback : {true, false}) {
        EXPECT_NE(EvaluateNegotiation(tls, sasl, dialback).message,
                  kUndefinedNegotiationRule)
            << tls << " " << sasl << " " << dialback;
      }
    }
  }
}

}  // namespace
}  // namespace xmppfed::policy
