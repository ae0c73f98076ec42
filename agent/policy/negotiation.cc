#include "agent/policy/negotiation.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::policy {
namespace {

using Outcome = NegotiationVerdict::Outcome;

constexpr v1::Negotiation kRequired = v1::NEGOTIATION_REQUIRED;
constexpr v1::Negotiation kOptional = v1::NEGOTIATION_OPTIONAL;
constexpr v1::Negotiation kNotSupported = v1::NEGOTIATION_NOT_SUPPORTED;

constexpr std::string_view kSasl = "SASL EXTERNAL over TLS";
constexpr std::string_view kSaslElseDialbackTls =
    "SASL EXTERNAL over TLS, else dialback over TLS";
constexpr std::string_view kSaslDialbackAny =
    "SASL EXTERNAL over TLS, dialback over TLS or TCP";
constexpr std::string_view kDialbackTls = "dialback over TLS";
constexpr std::string_view kDialbackAny = "dialback over TLS or TCP";
constexpr std::string_view kDialbackTcp = "dialback over TCP";

struct Row {
  v1::Negotiation tls;
  v1::Negotiation sasl;
  bool dialback;
  Outcome outcome;
  std::string_view message;
  std::string_view negotiates;
};

// SPEC §2, one line per combination. The spec's "Optional | Required |
// true/false" row reads "SASL EXTERNAL over TLS (dialback over TLS or TCP if
// true)", spelled out here as its two rows.
constexpr std::array<Row, 18> kTable = {{
    {kRequired, kRequired, true, Outcome::kWarning, kDialbackInoperativeWarning,
     kSasl},
    {kRequired, kRequired, false, Outcome::kOk, "", kSasl},
    {kRequired, kOptional, true, Outcome::kOk, "", kSaslElseDialbackTls},
    {kRequired, kOptional, false, Outcome::kOk, "", kSasl},
    {kRequired, kNotSupported, true, Outcome::kOk, "", kDialbackTls},
    {kRequired, kNotSupported, false, Outcome::kInvalid, kNoAuthenticationRule,
     ""},
    {kOptional, kRequired, true, Outcome::kWarning, kOptionalTlsWarning,
     kSaslDialbackAny},
    {kOptional, kRequired, false, Outcome::kWarning, kOptionalTlsWarning,
     kSasl},
    {kOptional, kOptional, true, Outcome::kWarning, kOptionalTlsWarning,
     kSaslDialbackAny},
    {kOptional, kOptional, false, Outcome::kWarning, kOptionalTlsWarning,
     kSasl},
    {kOptional, kNotSupported, true, Outcome::kOk, "", kDialbackAny},
    {kOptional, kNotSupported, false, Outcome::kInvalid, kNoAuthenticationRule,
     ""},
    {kNotSupported, kRequired, true, Outcome::kInvalid, kSaslNeedsTlsRule, ""},
    {kNotSupported, kRequired, false, Outcome::kInvalid, kSaslNeedsTlsRule, ""},
    {kNotSupported, kOptional, true, Outcome::kInvalid, kSaslNeedsTlsRule, ""},
    {kNotSupported, kOptional, false, Outcome::kInvalid, kSaslNeedsTlsRule, ""},
    {kNotSupported, kNotSupported, true, Outcome::kOk, "", kDialbackTcp},
    {kNotSupported, kNotSupported, false, Outcome::kInvalid,
     kNoAuthenticationRule, ""},
}};

const Row* FindRow(v1::Negotiation tls, v1::Negotiation sasl, bool dialback) {
  for (const Row& row : kTable) {
    if (row.tls == tls && row.sasl == sasl && row.dialback == dialback) {
      return &row;
    }
  }
  return nullptr;  // UNSPECIFIED or a number outside the enum.
}

const char* BoolText(bool value) { return value ? "true" : "false"; }

// The name of `value`, or its number when it has none.
std::string NegotiationText(v1::Negotiation value) {
  std::string_view name = v1::NegotiationName(value);
  return name.empty() ? absl::StrCat(static_cast<int>(value))
                      : std::string(name);
}

}  // namespace

NegotiationVerdict EvaluateNegotiation(v1::Negotiation tls,
                                       v1::Negotiation sasl, bool dialback) {
  const Row* row = FindRow(tls, sasl, dialback);
  if (row == nullptr) {
    return {Outcome::kInvalid, std::string(kUndefinedNegotiationRule), ""};
  }
  return {row->outcome, std::string(row->message),
          std::string(row->negotiates)};
}

absl::Status CheckNegotiation(const v1::Partner& partner,
                              std::vector<std::string>* warnings) {
  v1::Negotiation tls = partner.tls_negotiation();
  v1::Negotiation sasl = partner.sasl_negotiation();
  bool dialback = partner.support_dialback_negotiation();
  // Undefined values first, each under its own field.
  if (v1::NegotiationName(tls).empty()) {
    return errors::InvalidField("tlsNegotiation", NegotiationText(tls),
                                kUndefinedNegotiationRule);
  }
  if (v1::NegotiationName(sasl).empty()) {
    return errors::InvalidField("saslNegotiation", NegotiationText(sasl),
                                kUndefinedNegotiationRule);
  }
  NegotiationVerdict verdict = EvaluateNegotiation(tls, sasl, dialback);
  switch (verdict.outcome) {
    case Outcome::kOk:
      return absl::OkStatus();
    case Outcome::kWarning:
      if (warnings != nullptr) warnings->push_back(verdict.message);
      return absl::OkStatus();
    case Outcome::kInvalid:
      break;
  }
  if (verdict.message == kSaslNeedsTlsRule) {
    std::string sasl_text = NegotiationText(sasl);
    return errors::FieldError(
        absl::StatusCode::kInvalidArgument, "saslNegotiation", sasl_text,
        verdict.message,
        absl::StrCat("saslNegotiation=", sasl_text,
                     " needs TLS; tlsNegotiation is ", NegotiationText(tls),
                     ": ", verdict.message));
  }
  return errors::FieldError(
      absl::StatusCode::kInvalidArgument, "supportDialbackNegotiation",
      BoolText(dialback), verdict.message,
      absl::StrCat("tlsNegotiation=", NegotiationText(tls),
                   ", saslNegotiation=", NegotiationText(sasl),
                   ", supportDialbackNegotiation=", BoolText(dialback), ": ",
                   verdict.message));
}

AllowedAuth AllowedAuthFor(v1::Negotiation tls, v1::Negotiation sasl,
                           bool dialback) {
  if (EvaluateNegotiation(tls, sasl, dialback).outcome == Outcome::kInvalid) {
    return {false, false, false, false, false};
  }
  AllowedAuth allowed;
  allowed.tls_required = tls == kRequired;
  allowed.tls_offered = tls != kNotSupported;
  allowed.sasl_external = sasl != kNotSupported;
  // Required TLS with required SASL leaves no room for dialback (the first
  // row's warning); otherwise dialback runs over TLS whenever TLS is offered
  // and over plain TCP whenever TLS is not required.
  allowed.dialback_over_tls = dialback && allowed.tls_offered &&
                              !(tls == kRequired && sasl == kRequired);
  allowed.dialback_over_tcp = dialback && !allowed.tls_required;
  return allowed;
}

}  // namespace xmppfed::policy
