// SASL EXTERNAL on server-to-server streams (XEP-0178, RFC 6120 §6): the
// credential is the TLS client certificate the initiating server presented,
// already judged by the session (chain trusted, RFC 6125 identity valid for
// the stream header's `from`); what remains is the authorization identity
// and the elements of the exchange.
//
// Authorization identity (the <auth/> text, base64): an empty element, "="
// (the zero-length response of RFC 6120 §6.4.2) or the base64 of the
// header's `from` domain are accepted (XEP-0178 §3 allows the initiating
// server to name its own domain or nothing); anything else is refused with
// <invalid-authzid/>, and text that is not canonical base64 with
// <incorrect-encoding/>. An empty element is taken as an empty authzid
// rather than answered with a challenge, as Prosody and ejabberd do.
//
// What we send as the initiating server: the base64 of our own domain
// (XEP-0178 example 7; Prosody 0.12 accepts it, and also "=", but refuses an
// empty element with <malformed-request/>).
#ifndef XMPPFED_AGENT_EDGE_SASL_SASL_EXTERNAL_H_
#define XMPPFED_AGENT_EDGE_SASL_SASL_EXTERNAL_H_

#include <string>
#include <string_view>

namespace xmppfed::edge::sasl {

inline constexpr char kNsSasl[] = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr char kMechanismExternal[] = "EXTERNAL";

// The SASL failure conditions this edge sends (RFC 6120 §6.5).
enum class Failure {
  kAborted,
  kEncryptionRequired,
  kIncorrectEncoding,
  kInvalidAuthzid,
  kInvalidMechanism,
  kMalformedRequest,
  kNotAuthorized,
};

// The condition's element name, e.g. "invalid-authzid".
std::string_view FailureName(Failure failure);

// The verdict on an <auth/> the initiating server sent.
struct AuthCheck {
  bool accepted = false;
  Failure failure = Failure::kNotAuthorized;  // when not accepted
  std::string detail;                         // why, for the log
};

// `mechanism`: the <auth/> element's mechanism attribute; `response`: its
// text (the initial response, base64); `from_domain`: the stream header's
// `from`, already lower-cased. Only mechanism and authzid are judged here.
AuthCheck CheckAuth(std::string_view mechanism, std::string_view response,
                    std::string_view from_domain);

// <mechanisms xmlns=sasl><mechanism>EXTERNAL</mechanism></mechanisms>, the
// stream feature the receiving server offers.
std::string MechanismsFeatureXml();
// <auth xmlns=sasl mechanism='EXTERNAL'>base64(local_domain)</auth>.
std::string AuthXml(std::string_view local_domain);
// <success xmlns=sasl/>.
std::string SuccessXml();
// <failure xmlns=sasl><condition/></failure>.
std::string FailureXml(Failure failure);

}  // namespace xmppfed::edge::sasl

#endif  // XMPPFED_AGENT_EDGE_SASL_SASL_EXTERNAL_H_
