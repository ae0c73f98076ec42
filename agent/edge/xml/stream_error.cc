#include "agent/edge/xml/stream_error.h"

namespace xmppfed::edge::xml {

std::string_view StreamErrorName(StreamError error) {
  switch (error) {
    case StreamError::kBadFormat:
      return "bad-format";
    case StreamError::kBadNamespacePrefix:
      return "bad-namespace-prefix";
    case StreamError::kConflict:
      return "conflict";
    case StreamError::kConnectionTimeout:
      return "connection-timeout";
    case StreamError::kHostGone:
      return "host-gone";
    case StreamError::kHostUnknown:
      return "host-unknown";
    case StreamError::kImproperAddressing:
      return "improper-addressing";
    case StreamError::kInternalServerError:
      return "internal-server-error";
    case StreamError::kInvalidFrom:
      return "invalid-from";
    case StreamError::kInvalidNamespace:
      return "invalid-namespace";
    case StreamError::kInvalidXml:
      return "invalid-xml";
    case StreamError::kNotAuthorized:
      return "not-authorized";
    case StreamError::kNotWellFormed:
      return "not-well-formed";
    case StreamError::kPolicyViolation:
      return "policy-violation";
    case StreamError::kRemoteConnectionFailed:
      return "remote-connection-failed";
    case StreamError::kReset:
      return "reset";
    case StreamError::kResourceConstraint:
      return "resource-constraint";
    case StreamError::kRestrictedXml:
      return "restricted-xml";
    case StreamError::kSeeOtherHost:
      return "see-other-host";
    case StreamError::kSystemShutdown:
      return "system-shutdown";
    case StreamError::kUndefinedCondition:
      return "undefined-condition";
    case StreamError::kUnsupportedEncoding:
      return "unsupported-encoding";
    case StreamError::kUnsupportedFeature:
      return "unsupported-feature";
    case StreamError::kUnsupportedStanzaType:
      return "unsupported-stanza-type";
    case StreamError::kUnsupportedVersion:
      return "unsupported-version";
  }
  // Unreachable for a valid enumerator; a cast-in value still yields a
  // condition every peer understands.
  return "undefined-condition";
}

}  // namespace xmppfed::edge::xml
