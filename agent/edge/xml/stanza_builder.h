// Builds libstrophe stanza trees from expat's element events; the stream
// parser owns one per stream.
//
// A stanza is recorded as compact bytes while it arrives and becomes a tree
// only once its closing tag is in: a partial stanza an attacker holds open
// costs about its own size (issue 11; a libstrophe tree costs up to 23 bytes
// per input byte, in an element of empty children), and the tree of a
// complete stanza lives only while it is handled. Each child is linked in
// constant time (ChildAppender), so a tree costs time linear in its nodes.
// Namespaces are recorded so that serialising the tree means the same as
// what was received (see stream_parser.h).
#ifndef XMPPFED_AGENT_EDGE_XML_STANZA_BUILDER_H_
#define XMPPFED_AGENT_EDGE_XML_STANZA_BUILDER_H_

#include <strophe.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "agent/edge/xml/child_list.h"

namespace xmppfed::edge::xml {

class StanzaBuilder {
 public:
  explicit StanzaBuilder(xmpp_ctx_t* ctx) : ctx_(ctx) {}
  StanzaBuilder(const StanzaBuilder&) = delete;
  StanzaBuilder& operator=(const StanzaBuilder&) = delete;

  // Opens an element from expat's name and attribute array, as a child of
  // the innermost open element, or as a new top-level element when none is
  // open; `stream_default_ns` is what a top-level element inherits. The
  // element's xmlns is set only where its namespace differs from the one it
  // inherits, so a stanza in the stream's default namespace carries none and
  // reads right on any stream it is written to (jabber:server or
  // jabber:component:accept). Only recorded: the tree is built by Close.
  void Open(const char* expat_name, const char** expat_attributes,
            std::string_view stream_default_ns);

  // Character data of the innermost open element; consecutive runs become
  // one text child. Ignored when no element is open.
  void AppendText(std::string_view text);

  // Closes the innermost open element. When it was the top-level one, builds
  // the finished tree and hands it to the caller in `*finished` (the caller
  // releases it); otherwise `*finished` is nullptr. False when libstrophe
  // could not allocate (nothing is handed over then).
  bool Close(xmpp_stanza_t** finished);

  // Child elements (not text) of the innermost open element so far; 0 when
  // none is open.
  size_t InnermostChildElements() const {
    return open_.empty() ? 0 : open_.back().child_elements;
  }

  // Bytes held for the stanza in progress (its record's buffer and the stack
  // of open elements); 0 between stanzas.
  size_t held_bytes() const;

  // Forgets a partly received stanza.
  void Clear();
  // Clear(), and gives back the memory kept for the next stanza.
  void Release();

 private:
  struct OpenElement {
    // The namespace the element is in, whether or not its xmlns is set:
    // `ns_size` bytes at `ns_at` in record_, or the stream's default
    // namespace when `ns_at` is kDefaultNs.
    size_t ns_at;
    size_t ns_size;
    size_t child_elements = 0;
  };
  static constexpr size_t kDefaultNs = ~size_t{0};

  std::string_view NamespaceOf(const OpenElement& element) const;
  // The record (record_) as a tree; nullptr when libstrophe could not
  // allocate.
  xmpp_stanza_t* BuildTree();

  xmpp_ctx_t* ctx_;
  // What a top-level element inherits (the parser's stream header outlives
  // the stanza).
  std::string_view stream_default_ns_;
  // Innermost last.
  std::vector<OpenElement> open_;
  // The stanza so far, in the format stanza_builder.cc describes.
  std::string record_;
  // BuildTree's working space, kept between stanzas.
  std::vector<ChildAppender> building_;
  std::string text_;
};

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_STANZA_BUILDER_H_
