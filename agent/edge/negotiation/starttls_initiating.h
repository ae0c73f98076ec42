// STARTTLS as the initiating entity (RFC 6120 §5.4) on the streams this
// edge opens: whether to ask for it from the features the peer offered
// and the partner's row (TLS Required is never downgraded: a peer that does
// not offer it fails the stream; a peer that requires it while the row does
// not allow TLS fails it too), and the verdict on the peer's certificate,
// always checked against the partner domain (never the address connected
// to). No I/O: the session sends what it is told and starts the handshake.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_STARTTLS_INITIATING_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_STARTTLS_INITIATING_H_

#include <strophe.h>

#include <string>

#include "agent/edge/tls/identity.h"
#include "agent/policy/negotiation.h"

namespace xmppfed::edge {

class StartTlsInitiating {
 public:
  enum class State {
    kPlain,        // no TLS asked for (yet)
    kRequested,    // <starttls/> sent, waiting for <proceed/>
    kHandshaking,  // <proceed/> came; the handshake runs
    kDone,         // the stream is secured
  };

  struct Step {
    enum class Kind {
      kRequest,   // send StartTlsXml()
      kContinue,  // go on without TLS
      kFail,      // the attempt ends: `reason`
    };
    Kind kind = Kind::kContinue;
    std::string reason;
  };

  // The peer's <stream:features/> before TLS. `partner` and `domain` name
  // the partner and the peer's domain in reasons.
  Step OnFeatures(xmpp_stanza_t* features, const policy::AllowedAuth& allowed,
                  const std::string& partner, const std::string& domain);
  // <proceed/>: true when it was asked for (start the handshake).
  bool OnProceed();
  // XEP-0368 direct TLS: the handshake runs from the first byte (then
  // OnEstablished judges the certificate exactly as after STARTTLS, and
  // OnFeatures never asks for STARTTLS on the secured stream).
  void BeginDirect() { state_ = State::kHandshaking; }
  // The handshake finished; the certificate's verdict. kFail when TLS is
  // Required and the certificate is not trusted or does not name `domain`.
  Step OnEstablished(bool chain_trusted, tls::IdentityMatch identity,
                     const policy::AllowedAuth& allowed,
                     const std::string& domain);

  State state() const { return state_; }
  bool done() const { return state_ == State::kDone; }
  // The server's certificate is trusted and valid for the partner domain
  // (SASL EXTERNAL needs it).
  bool certificate_valid() const { return certificate_valid_; }

  static std::string StartTlsXml();

 private:
  State state_ = State::kPlain;
  bool certificate_valid_ = false;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_STARTTLS_INITIATING_H_
