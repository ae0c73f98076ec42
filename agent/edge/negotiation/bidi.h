// XEP-0288 bidirectional server-to-server streams, in both roles. The
// receiving entity lists <bidi xmlns='urn:xmpp:features:bidi'/> among the
// features of a stream not yet authenticated; the initiating entity answers
// those features with <bidi xmlns='urn:xmpp:bidi'/> before it
// authenticates, and nothing answers that request. From then on the
// domain pairs authenticated on the stream (SASL EXTERNAL, or dialback for
// each pair) are valid both ways: the receiving entity may send from the
// pair's receiving domain to its originating domain over the same stream,
// and only that (XEP-0288 §2.2, §4). A state machine without I/O, like
// the other negotiators.
//
// When bidi may be used at all (BidiAllowed): the gateway's
// enableBidirectionalStreams is on, and the stream is secured by TLS
// unless the partner's tlsNegotiation is NotSupported (a peer that may not
// use TLS gets its bidi stream in the clear, like its other streams).
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_BIDI_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_BIDI_H_

#include <strophe.h>

#include <string>
#include <utility>
#include <vector>

#include "agent/policy/negotiation.h"

namespace xmppfed::edge {

inline constexpr char kNsBidiFeature[] = "urn:xmpp:features:bidi";
inline constexpr char kNsBidi[] = "urn:xmpp:bidi";

bool BidiAllowed(bool gateway_enabled, const policy::AllowedAuth& allowed,
                 bool tls_done);

// (local domain, remote domain): the pair a stanza from us uses in the
// reverse direction of a bidi stream.
using DomainPair = std::pair<std::string, std::string>;

class BidiReceiving {
 public:
  // The feature for the next <stream:features/>: "" once something was
  // authenticated, when bidi is not allowed, or once negotiated.
  std::string Offer(bool allowed, bool authenticated);
  // The peer sent <bidi xmlns='urn:xmpp:bidi'/>: true when the last
  // features offered it and it is still allowed (the stream is bidi from
  // now on); false is a protocol violation the caller closes the stream
  // for.
  bool OnRequest(bool allowed, bool authenticated);
  bool negotiated() const { return negotiated_; }

  // A pair was authenticated on this stream (receiving domain `local`,
  // originating domain `remote`); false when it was known already or the
  // stream is not bidi.
  bool AddPair(const std::string& local, const std::string& remote);
  // The pairs, in the order they were authenticated.
  const std::vector<DomainPair>& pairs() const { return pairs_; }
  bool Carries(const std::string& local, const std::string& remote) const;

 private:
  bool offered_ = false;
  bool negotiated_ = false;
  std::vector<DomainPair> pairs_;
};

class BidiInitiating {
 public:
  // The features past STARTTLS, before authentication: the request to send
  // ("" when the peer does not offer bidi, it is not allowed, or it was
  // requested already). `reverse_identity_proven` says whether stanzas from
  // the peer's domain could be trusted on this stream (its certificate is
  // valid for the domain, or the partner accepts dialback's DNS-based
  // trust); without it nothing is requested.
  std::string OnFeatures(xmpp_stanza_t* features, bool allowed,
                         bool reverse_identity_proven);
  bool requested() const { return requested_; }

  static std::string RequestXml();

 private:
  bool requested_ = false;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_BIDI_H_
