#include "agent/edge/negotiation/dialback_authoritative.h"

#include "agent/edge/dialback/dialback_key.h"
#include "agent/edge/negotiation/dialback_elements.h"

namespace xmppfed::edge {

DialbackAuthoritative::Answer DialbackAuthoritative::OnVerify(
    std::string_view receiving, std::string_view originating,
    std::string_view stream_id, std::string_view key,
    const snapshot::PolicySnapshot& policy) {
  Answer answer;
  if (!policy.IsLocal(originating)) {
    answer.refuse = true;
    answer.error = xml::StreamError::kHostUnknown;
    answer.text = "'" + std::string(originating) + "' is not served here";
    return answer;
  }
  if (policy.PartnerFor(receiving) == nullptr) {
    answer.refuse = true;
    answer.error = xml::StreamError::kPolicyViolation;
    answer.text =
        "'" + std::string(receiving) + "' is not a federation partner";
    return answer;
  }
  std::string expected = dialback::DialbackKey(
      policy.dialback_secret(), receiving, originating, stream_id);
  answer.valid = dialback::KeysEqual(expected, key);
  answer.reply_xml = DialbackVerifyXml(originating, receiving, stream_id,
                                       answer.valid ? "valid" : "invalid", "");
  ++answered_;
  return answer;
}

}  // namespace xmppfed::edge
