// Server Dialback as the authoritative server (XEP-0220 §2.2): a partner's
// server received a stream claiming one of our domains and asks, with
// <db:verify/>, whether the key is ours. The key is recomputed from the
// dialback secret (XEP-0185) and compared in constant time. Only a partner
// may ask, and only about our own domains. No state beyond a count: each
// question is answered on its own.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_AUTHORITATIVE_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_AUTHORITATIVE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/edge/xml/stream_error.h"
#include "agent/snapshot/policy_snapshot.h"

namespace xmppfed::edge {

class DialbackAuthoritative {
 public:
  struct Answer {
    // Close the stream with `error` instead of answering.
    bool refuse = false;
    xml::StreamError error = xml::StreamError::kPolicyViolation;
    std::string text;
    // Otherwise the <db:verify type='valid|invalid'/> to send.
    std::string reply_xml;
    bool valid = false;
  };

  // <db:verify from=receiving to=originating id=stream_id>key.
  Answer OnVerify(std::string_view receiving, std::string_view originating,
                  std::string_view stream_id, std::string_view key,
                  const snapshot::PolicySnapshot& policy);

  uint64_t answered() const { return answered_; }

 private:
  uint64_t answered_ = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_AUTHORITATIVE_H_
