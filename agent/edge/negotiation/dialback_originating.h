// Server Dialback as the originating server (XEP-0220 §2.1, §2.3) on the
// stanza streams this edge opens: our key for the stream's id, sent with
// <db:result/>, and the receiving server's verdict. No I/O.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_ORIGINATING_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_ORIGINATING_H_

#include <string>
#include <string_view>

namespace xmppfed::edge {

class DialbackOriginating {
 public:
  enum class State { kIdle, kKeySent, kValid, kRefused };

  // The <db:result/> with our key (XEP-0185) for a stream from
  // `local_domain` to `remote_domain` whose id the receiving server gave.
  std::string Start(std::string_view secret, std::string_view local_domain,
                    std::string_view remote_domain, std::string_view stream_id);
  // The receiving server's <db:result type=.../>: true for "valid".
  bool OnResult(std::string_view type);

  State state() const { return state_; }
  bool key_sent() const { return state_ == State::kKeySent; }

 private:
  State state_ = State::kIdle;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_ORIGINATING_H_
