#include "agent/edge/negotiation/sasl_receiving.h"

#include <utility>

namespace xmppfed::edge {

bool SaslReceiving::Possible(bool tls_done, const policy::AllowedAuth& allowed,
                             const PeerCertificate& peer,
                             std::string_view domain, std::string* why) {
  std::string name(domain);
  if (!tls_done) {
    *why = "no TLS";
  } else if (!allowed.sasl_external) {
    *why = "the partner's policy does not allow SASL";
  } else if (!peer.present) {
    *why = name + " presented no client certificate";
  } else if (!peer.trusted) {
    *why = "the certificate of " + name + " is not trusted";
  } else if (peer.identity == tls::IdentityMatch::kNone) {
    *why = "the certificate presented is not valid for " + name;
  } else {
    return true;
  }
  return false;
}

std::string SaslReceiving::Offer(bool possible) {
  if (state_ == State::kSucceeded) return "";
  state_ = possible ? State::kOffered : State::kNotOffered;
  return possible ? sasl::MechanismsFeatureXml() : "";
}

SaslReceiving::Outcome SaslReceiving::Fail(sasl::Failure failure,
                                           std::string detail) {
  Outcome outcome;
  outcome.reply_xml = sasl::FailureXml(failure);
  outcome.failure = failure;
  outcome.detail = std::move(detail);
  outcome.close = ++failures_ >= kMaxFailures;
  return outcome;
}

SaslReceiving::Outcome SaslReceiving::OnAuth(std::string_view mechanism,
                                             std::string_view response,
                                             std::string_view domain,
                                             bool tls_done,
                                             const std::string& why_not) {
  if (state_ == State::kSucceeded) {
    return Fail(sasl::Failure::kAborted, "already authenticated");
  }
  if (!tls_done) {
    return Fail(sasl::Failure::kEncryptionRequired, "SASL before TLS");
  }
  if (state_ != State::kOffered) {
    return Fail(sasl::Failure::kInvalidMechanism, why_not);
  }
  sasl::AuthCheck check = sasl::CheckAuth(mechanism, response, domain);
  if (!check.accepted) return Fail(check.failure, check.detail);
  state_ = State::kSucceeded;
  Outcome outcome;
  outcome.accepted = true;
  outcome.reply_xml = sasl::SuccessXml();
  return outcome;
}

}  // namespace xmppfed::edge
