// Server Dialback as the receiving server (XEP-0220 §2.1-2.3): the peer
// asks, with <db:result/>, to be authenticated as an originating domain
// for one of our domains; the key is checked with that domain's
// authoritative server over a connection of its own (DialbackVerifier), and
// the answer decides. Several domains can be authenticated on one stream,
// each judged by the policy of its own partner. At most kMaxPending checks
// run at once per stream, one per originating domain. No I/O: the session
// sends what it is told and asks for the verifications.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_RECEIVING_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_RECEIVING_H_

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "agent/edge/xml/stream_error.h"
#include "agent/snapshot/policy_snapshot.h"

namespace xmppfed::edge {

// The outcome of a dialback verification (XEP-0220 §2.2): the
// authoritative server said valid or invalid, or could not be asked, or the
// edge had too many verifications in flight to ask it now (kBusy: the peer
// may try again later).
enum class VerifyOutcome { kValid, kInvalid, kUnreachable, kBusy };

// Whether the row of `partner` allows dialback on a stream that is (or is
// not) secured by TLS.
bool DialbackAllowed(const snapshot::PartnerPolicy& partner, bool tls_done);

class DialbackReceiving {
 public:
  static constexpr size_t kMaxPending = 8;

  struct Admission {
    enum class Kind {
      kVerify,   // ask the authoritative server
      kPending,  // the same domain is already being checked: nothing to do
      kRefuse,   // close the stream with `error`
    };
    Kind kind = Kind::kVerify;
    xml::StreamError error = xml::StreamError::kPolicyViolation;
    std::string text;
  };

  struct Conclusion {
    // The <db:result type=.../> to send back.
    std::string reply_xml;
    // The originating domain is authenticated on this stream.
    bool authenticated = false;
    // Close the stream with this error (`close` set).
    bool close = false;
    xml::StreamError error = xml::StreamError::kNotAuthorized;
    std::string text;
  };

  // Judges the peer's <db:result from=originating to=receiving>key: our
  // domain, a partner's domain whose row allows dialback now, a key, and
  // room for one more check. kVerify marks the domain pending.
  Admission Admit(std::string_view receiving, std::string_view originating,
                  std::string_view key, const snapshot::PolicySnapshot& policy,
                  bool tls_done);
  // The verification of `originating` ended; it is no longer pending.
  Conclusion Conclude(std::string_view receiving, std::string_view originating,
                      VerifyOutcome outcome);

  size_t pending() const { return pending_.size(); }

 private:
  std::set<std::string, std::less<>> pending_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_RECEIVING_H_
