// Helpers around expat's output for the stream parser: the names reported
// with namespace triplets (XML_ParserCreateNS + XML_SetReturnNSTriplet), the
// stream error for an expat error code, character classes.
#ifndef XMPPFED_AGENT_EDGE_XML_EXPAT_SUPPORT_H_
#define XMPPFED_AGENT_EDGE_XML_EXPAT_SUPPORT_H_

#include <expat.h>

#include <string_view>

#include "agent/edge/xml/stream_error.h"
#include "agent/edge/xml/stream_parser.h"

namespace xmppfed::edge::xml {

// Separates namespace, local name and prefix in expat's names. U+001F is not
// an XML character (not even as a character reference), so it can never be
// part of a namespace name or a local name.
inline constexpr char kExpatNameSeparator = '\x1F';

// A name as written, resolved: "db:result" with xmlns:db='jabber:server:
// dialback' is {ns "jabber:server:dialback", local "result", prefix "db"}.
struct ExpandedName {
  // False for a name in no namespace (an unprefixed attribute, an element
  // where no default namespace is declared or xmlns='').
  bool has_namespace = false;
  std::string_view ns;
  std::string_view local;
  // Empty when the name was written without a prefix.
  std::string_view prefix;
};

// Splits "ns<sep>local<sep>prefix", "ns<sep>local" or "local".
ExpandedName SplitExpatName(std::string_view expat_name);

// The stream error for a failure expat detected itself: an undeclared prefix
// is kBadNamespacePrefix, a reference to an undeclared entity kRestrictedXml
// (only the predefined ones are allowed, RFC 6120 §11.1), an encoding
// problem kUnsupportedEncoding, the rest kNotWellFormed.
StreamError StreamErrorForExpatCode(XML_Error code);

// True when `text` is only XML white space (space, tab, CR, LF).
bool IsXmlWhitespace(std::string_view text);

// True for "UTF-8" in any letter case.
bool IsUtf8EncodingName(std::string_view encoding);

// A salt for expat's name hash tables (XML_SetHashSalt), unpredictable from
// outside. Expat would otherwise ask the kernel for one (getrandom) every
// time a parser is created: once per stream restart, and once per read of a
// compacted stream.
unsigned long NewHashSalt();

// Sets the header's to, from, id, version and xml:lang from the stream
// element's expat attributes; other attributes are ignored.
void ReadStreamHeaderAttributes(const char** expat_attributes,
                                StreamHeader* header);

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_EXPAT_SUPPORT_H_
