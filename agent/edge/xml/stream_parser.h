// The edge's XML stream parser: untrusted bytes of an XMPP stream (RFC 6120
// §4, server-to-server or XEP-0114 component) in, stream events and
// libstrophe stanzas out, with every buffer bounded by StreamLimits.
//
// What the parser guarantees:
//  * The root element is <stream> in http://etherx.jabber.org/streams whose
//    default namespace is jabber:server or jabber:component:accept; anything
//    else is kInvalidNamespace. The version is the session's business.
//  * Each top-level element (depth 1; the stream element is depth 0) is
//    delivered as one stanza tree. An element's namespace is recorded as its
//    xmlns attribute (xmpp_stanza_set_ns) exactly where it differs from the
//    namespace it inherits: its parent's, or for a top-level element the
//    stream's default. So <message> in jabber:server has no xmlns
//    (xmpp_stanza_get_ns is NULL: "the stream's default namespace", see
//    StreamHeader::default_ns) and written to a jabber:component:accept
//    stream it means the same there; <x xmlns='jabber:x:oob'> keeps its
//    xmlns. An element written with a prefix gets its local name and the
//    prefix's namespace: <db:result> arrives as name "result" with ns
//    "jabber:server:dialback", <stream:features> as "features" in the
//    streams namespace. Prefixed attributes keep "prefix:name" and get the
//    matching xmlns:prefix attribute on the same element (xml:lang stays
//    xml:lang). StanzaXml therefore writes a tree back as namespace-well-
//    formed XML with the same meaning. (xmpp_stanza_to_text's output is
//    well-formed too, but it drops a top-level xmlns='jabber:client' and
//    writes tab, LF and CR in attribute values literally.)
//  * Character data is merged per run between child elements into one text
//    child, as libstrophe's own parser does. Whitespace between stanzas
//    (keep-alives) is ignored; other text at the stream level is
//    kBadFormat.
//  * Restricted XML (RFC 6120 §11.1) is refused with kRestrictedXml at the
//    first token that shows it: DOCTYPE (so no entity is ever declared or
//    expanded: a billion-laughs document stops at "<!DOCTYPE"), comments,
//    processing instructions, references to undeclared entities. The XML
//    declaration is allowed; one naming an encoding other than UTF-8 is
//    kUnsupportedEncoding (input is always decoded as UTF-8).
//  * Malformed XML is kNotWellFormed with expat's message and the 1-based
//    line and column in the detail; an undeclared prefix is
//    kBadNamespacePrefix.
//  * Memory is bounded: bytes are handed to expat only up to one byte past
//    the limit of what is being read (header or stanza), so neither expat's
//    buffer nor the stanza tree (proportional to the stanza's bytes) grows
//    past a limit before it is refused; and in slices of a few KiB, so
//    expat's buffer stays that small whatever the reads. Between stanzas
//    Compact() gives all of expat's memory back (an idle stream keeps none):
//    the next bytes go to a new expat parser primed with the stream's
//    namespace declarations, so they mean what they meant.
#ifndef XMPPFED_AGENT_EDGE_XML_STREAM_PARSER_H_
#define XMPPFED_AGENT_EDGE_XML_STREAM_PARSER_H_

#include <strophe.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/edge/xml/stream_error.h"

namespace xmppfed::edge::xml {

// Exceeding any of these is kPolicyViolation.
struct StreamLimits {
  // Bytes of one top-level element as received, from its '<' to the end of
  // its end tag. Exactly this many is accepted.
  size_t max_stanza_bytes = 262144;
  // Element nesting: the stream element is depth 0, a stanza depth 1, its
  // children depth 2... An element at depth max_depth is accepted.
  int max_depth = 32;
  // Attributes written on one element, namespace declarations (xmlns,
  // xmlns:p) included. Exactly this many is accepted.
  int max_attributes = 64;
  // Child elements of one element (text between them not counted). Exactly
  // this many is accepted. Building a tree costs time linear in its nodes
  // whatever the cap; the cap refuses flat trees no stanza needs.
  size_t max_children = 10000;
  // Bytes from the start of the stream (XML declaration and whitespace
  // included) to the '>' closing the stream element's start tag.
  size_t max_header_bytes = 8192;
};

// The attributes of the peer's <stream:stream> start tag.
struct StreamHeader {
  std::string to, from, id, version, lang;
  // The default namespace: "jabber:server" or "jabber:component:accept".
  std::string default_ns;
  // Prefixes declared on the stream element, in document order, except the
  // one bound to the streams namespace (always "stream" when we write):
  // e.g. {"db", "jabber:server:dialback"}.
  std::vector<std::pair<std::string, std::string>> prefixes;
};

// Receives the parser's events, on the thread calling Feed. A callback may
// call Suspend() and Reset() but must neither call Feed nor destroy the
// parser.
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  virtual void OnStreamOpen(const StreamHeader& header) = 0;
  // A complete top-level element (depth 1). The parser releases it after the
  // call; keep it with xmpp_stanza_clone.
  virtual void OnStanza(xmpp_stanza_t* stanza) = 0;
  // </stream:stream> was read. Bytes after it are not parsed.
  virtual void OnStreamClose() = 0;
  // Called at most once per stream; the parser is failed() afterwards.
  virtual void OnStreamError(StreamError error, const std::string& detail) = 0;
};

class StreamParser {
 public:
  // `ctx` and `handler` must outlive the parser.
  StreamParser(xmpp_ctx_t* ctx, StreamLimits limits, StreamHandler* handler);
  ~StreamParser();
  StreamParser(const StreamParser&) = delete;
  StreamParser& operator=(const StreamParser&) = delete;

  // Feeds bytes as received and returns how many were consumed:
  //  * all of them, normally, and in the call that reports an error;
  //  * when a callback called Suspend() or Reset(), or on </stream:stream>,
  //    the count up to the end of the markup whose callback it was (the end
  //    tag of a stanza, the start tag of the stream). The caller decides what
  //    the rest is: after STARTTLS it is plaintext to discard, never parse;
  //    after a Reset() from a callback it may be fed to the new stream.
  // Returns 0 without doing anything once failed(), suspended, after the
  // stream closed, or when called from a callback.
  size_t Feed(std::string_view bytes);

  // From a callback: stop parsing at the end of the current element (see
  // Feed). Outside one: the next Feed calls parse nothing. Either way the
  // parser stays suspended until Reset().
  void Suspend();

  // Forgets everything for a stream restart (after STARTTLS or SASL): the
  // next bytes start with a new stream header. From a callback the reset
  // takes effect when the current Feed returns (which then returns the
  // consumed count as for Suspend).
  void Reset();

  // True once OnStreamError was called, until Reset().
  bool failed() const;

  // Bytes held for the stanza in progress (its compact record, see
  // stanza_builder.h); no tree exists until the stanza is complete.
  size_t partial_stanza_bytes() const;

  // Frees expat and the stanza builder's buffers when the stream is open
  // and between stanzas (every byte fed so far parsed into complete
  // elements); the next Feed rebuilds them. A no-op otherwise, and from a
  // callback.
  void Compact();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_STREAM_PARSER_H_
