// What the edge writes on a stream: stream headers, stream errors, stanzas
// and escaped text. Every function returns well-formed XML (or a well-formed
// start tag) whatever bytes it is given: characters XML 1.0 cannot carry
// (invalid UTF-8, C0 controls other than tab, LF and CR, U+FFFE, U+FFFF)
// come out as U+FFFD.
#ifndef XMPPFED_AGENT_EDGE_XML_STREAM_WRITER_H_
#define XMPPFED_AGENT_EDGE_XML_STREAM_WRITER_H_

#include <strophe.h>

#include <string>
#include <string_view>

#include "agent/edge/xml/stream_error.h"
#include "agent/edge/xml/stream_parser.h"

namespace xmppfed::edge::xml {

// `text` escaped for an attribute value (either quote) or character data:
// & < > " ' as entities; tab, LF and CR as character references, so
// attribute values survive the parser's whitespace normalisation.
std::string EscapeXml(std::string_view text);

// [<?xml version='1.0'?>]<stream:stream xmlns='default_ns'
// xmlns:stream='http://etherx.jabber.org/streams' [xmlns:p='ns'...] [from]
// [to] [id] [version] [xml:lang]> with empty fields left out. A prefix that
// is not a plain ASCII name, or is "stream", "xml" or "xmlns", is left out.
std::string StreamHeaderXml(const StreamHeader& header,
                            bool with_xml_declaration);

// <stream:error><condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>
// [<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>text</text>]
// </stream:error></stream:stream>; no <text/> when `text` is empty.
std::string StreamErrorXml(StreamError error, const std::string& text);

// The stanza as XML. An element's xmlns is written where it is set and
// differs from its parent's, so a stanza from the parser in its stream's
// default namespace (no xmlns) takes the namespace of the stream it is
// written to. Attributes come in name order. Empty for nullptr or an
// element without a name.
std::string StanzaXml(xmpp_stanza_t* stanza);
// The same appended to `*out` (whose capacity a caller can reuse); false,
// with `*out` unchanged, where StanzaXml would be empty.
bool AppendStanzaXml(xmpp_stanza_t* stanza, std::string* out);

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_STREAM_WRITER_H_
