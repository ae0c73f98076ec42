#include "agent/edge/negotiation/dialback_receiving.h"

#include "absl/strings/str_cat.h"
#include "agent/edge/negotiation/dialback_elements.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

DialbackReceiving::Admission Refuse(StreamError error, std::string text) {
  DialbackReceiving::Admission admission;
  admission.kind = DialbackReceiving::Admission::Kind::kRefuse;
  admission.error = error;
  admission.text = std::move(text);
  return admission;
}

}  // namespace

bool DialbackAllowed(const snapshot::PartnerPolicy& partner, bool tls_done) {
  const policy::AllowedAuth& allowed = partner.allowed();
  if (!tls_done && allowed.tls_required) return false;
  return tls_done ? allowed.dialback_over_tls : allowed.dialback_over_tcp;
}

DialbackReceiving::Admission DialbackReceiving::Admit(
    std::string_view receiving, std::string_view originating,
    std::string_view key, const snapshot::PolicySnapshot& policy,
    bool tls_done) {
  std::string quoted_receiving = absl::StrCat("'", std::string(receiving), "'");
  std::string quoted_originating =
      absl::StrCat("'", std::string(originating), "'");
  if (!policy.IsLocal(receiving)) {
    return Refuse(StreamError::kHostUnknown,
                  quoted_receiving + " is not served here");
  }
  const snapshot::PartnerPolicy* partner = policy.PartnerFor(originating);
  if (partner == nullptr) {
    return Refuse(StreamError::kPolicyViolation,
                  quoted_originating + " is not a federation partner");
  }
  if (!DialbackAllowed(*partner, tls_done)) {
    return Refuse(StreamError::kPolicyViolation,
                  tls_done ? "the partner's policy does not allow dialback"
                           : "the partner's policy does not allow dialback "
                             "without TLS");
  }
  if (key.empty()) {
    return Refuse(StreamError::kNotAuthorized,
                  "the dialback request has no key");
  }
  if (pending_.count(originating) != 0) {
    Admission admission;
    admission.kind = Admission::Kind::kPending;
    return admission;
  }
  if (pending_.size() >= kMaxPending) {
    return Refuse(
        StreamError::kResourceConstraint,
        absl::StrCat("more than ", kMaxPending, " dialback requests at once"));
  }
  pending_.emplace(originating);
  return Admission();
}

DialbackReceiving::Conclusion DialbackReceiving::Conclude(
    std::string_view receiving, std::string_view originating,
    VerifyOutcome outcome) {
  if (auto it = pending_.find(originating); it != pending_.end()) {
    pending_.erase(it);
  }
  Conclusion conclusion;
  switch (outcome) {
    case VerifyOutcome::kValid:
      conclusion.reply_xml =
          DialbackResultXml(receiving, originating, "valid", "");
      conclusion.authenticated = true;
      break;
    case VerifyOutcome::kInvalid:
      conclusion.reply_xml =
          DialbackResultXml(receiving, originating, "invalid", "");
      conclusion.close = true;
      conclusion.error = StreamError::kNotAuthorized;
      conclusion.text = absl::StrCat("the dialback key for ",
                                     std::string(originating), " is not valid");
      break;
    case VerifyOutcome::kUnreachable:
      conclusion.reply_xml = DialbackResultErrorXml(
          receiving, originating, "cancel", "remote-server-not-found");
      conclusion.close = true;
      conclusion.error = StreamError::kRemoteConnectionFailed;
      conclusion.text = absl::StrCat("cannot reach ", std::string(originating),
                                     " to verify its dialback key");
      break;
    case VerifyOutcome::kBusy:
      // XEP-0220 §2.4: a temporary error; the stream stays (its
      // establishment timeout still bounds it) and the peer may ask again.
      conclusion.reply_xml = DialbackResultErrorXml(
          receiving, originating, "wait", "resource-constraint");
      break;
  }
  return conclusion;
}

}  // namespace xmppfed::edge
