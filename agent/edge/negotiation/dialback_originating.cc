#include "agent/edge/negotiation/dialback_originating.h"

#include "agent/edge/dialback/dialback_key.h"
#include "agent/edge/negotiation/dialback_elements.h"

namespace xmppfed::edge {

std::string DialbackOriginating::Start(std::string_view secret,
                                       std::string_view local_domain,
                                       std::string_view remote_domain,
                                       std::string_view stream_id) {
  state_ = State::kKeySent;
  std::string key =
      dialback::DialbackKey(secret, remote_domain, local_domain, stream_id);
  return DialbackResultXml(local_domain, remote_domain, "", key);
}

bool DialbackOriginating::OnResult(std::string_view type) {
  state_ = type == "valid" ? State::kValid : State::kRefused;
  return state_ == State::kValid;
}

}  // namespace xmppfed::edge
