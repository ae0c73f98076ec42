// The stream error conditions of RFC 6120 §4.9.3, and their element names.
#ifndef XMPPFED_AGENT_EDGE_XML_STREAM_ERROR_H_
#define XMPPFED_AGENT_EDGE_XML_STREAM_ERROR_H_

#include <strophe.h>

#include <string>
#include <string_view>

namespace xmppfed::edge::xml {

// Every defined condition of RFC 6120 §4.9.3, so the sessions can close a
// stream with any of them. The parser itself reports only kBadFormat,
// kBadNamespacePrefix, kInternalServerError (allocation failure),
// kInvalidNamespace, kNotWellFormed, kPolicyViolation, kRestrictedXml and
// kUnsupportedEncoding.
enum class StreamError {
  kBadFormat,
  kBadNamespacePrefix,
  kConflict,
  kConnectionTimeout,
  kHostGone,
  kHostUnknown,
  kImproperAddressing,
  kInternalServerError,
  kInvalidFrom,
  kInvalidNamespace,
  kInvalidXml,
  kNotAuthorized,
  kNotWellFormed,
  kPolicyViolation,
  kRemoteConnectionFailed,
  kReset,
  kResourceConstraint,
  kRestrictedXml,
  kSeeOtherHost,
  kSystemShutdown,
  kUndefinedCondition,
  kUnsupportedEncoding,
  kUnsupportedFeature,
  kUnsupportedStanzaType,
  kUnsupportedVersion,
};

// The condition's element name in urn:ietf:params:xml:ns:xmpp-streams, e.g.
// "not-well-formed" for kNotWellFormed.
std::string_view StreamErrorName(StreamError error);

// True for a <stream:error/> a peer sent: an element named "error" in the
// streams namespace, at the top level of its stream.
bool IsStreamErrorElement(xmpp_stanza_t* element);

// The condition and text of a <stream:error/> a peer sent, for logs and
// diagnoses: "host-unknown" or "host-unknown (text)". The peer's text is cut
// to 200 bytes and its double quotes become single ones, so it stays one
// value of a log line; an error without a defined condition reads
// "undefined-condition".
std::string DescribeStreamErrorElement(xmpp_stanza_t* element);

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_STREAM_ERROR_H_
