#include "agent/edge/xml/stream_error.h"

#include <cstring>

#include "agent/edge/xml/element.h"
#include "agent/edge/xml/namespaces.h"

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

namespace {

constexpr size_t kMaxPeerTextBytes = 200;

}  // namespace

bool IsStreamErrorElement(xmpp_stanza_t* element) {
  return Is(element, "error", kStreamsNamespace);
}

std::string DescribeStreamErrorElement(xmpp_stanza_t* element) {
  std::string condition;
  for (xmpp_stanza_t* child = xmpp_stanza_get_children(element);
       child != nullptr && condition.empty();
       child = xmpp_stanza_get_next(child)) {
    const char* name = xmpp_stanza_get_name(child);
    if (xmpp_stanza_is_tag(child) && name != nullptr &&
        std::strcmp(name, "text") != 0 &&
        Is(child, name, kStreamErrorsNamespace)) {
      condition = name;
    }
  }
  xmpp_stanza_t* text_element = Child(element, "text", kStreamErrorsNamespace);
  std::string text = text_element == nullptr ? "" : TextOf(text_element);
  if (condition.empty()) condition = "undefined-condition";
  if (text.empty()) return condition;
  if (text.size() > kMaxPeerTextBytes) {
    // Cut at a character boundary so the log line stays valid UTF-8.
    size_t cut = kMaxPeerTextBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text.resize(cut);
    text += "...";
  }
  for (char& c : text) {
    if (c == '"') c = '\'';
  }
  return condition + " (" + text + ")";
}

}  // namespace xmppfed::edge::xml
