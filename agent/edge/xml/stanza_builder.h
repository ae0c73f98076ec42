// Builds libstrophe stanza trees from expat's element events; the stream
// parser owns one per stream. Each child is linked in constant time
// (ChildAppender), so a tree costs time linear in its nodes. Namespaces are
// recorded so that serialising the tree means the same as what was received
// (see stream_parser.h).
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
  ~StanzaBuilder() { Clear(); }
  StanzaBuilder(const StanzaBuilder&) = delete;
  StanzaBuilder& operator=(const StanzaBuilder&) = delete;

  // Opens an element from expat's name and attribute array, as a child of
  // the innermost open element, or as a new top-level element when none is
  // open; `stream_default_ns` is what a top-level element inherits. The
  // element's xmlns is set only where its namespace differs from the one it
  // inherits, so a stanza in the stream's default namespace carries none and
  // reads right on any stream it is written to (jabber:server or
  // jabber:component:accept). False when libstrophe could not allocate.
  bool Open(const char* expat_name, const char** expat_attributes,
            std::string_view stream_default_ns);

  // Character data of the innermost open element; consecutive runs become
  // one text child.
  void AppendText(std::string_view text) { text_.append(text); }

  // Closes the innermost open element. When it was the top-level one, hands
  // the finished tree to the caller in `*finished` (the caller releases it);
  // otherwise `*finished` is nullptr. False when libstrophe could not
  // allocate.
  bool Close(xmpp_stanza_t** finished);

  // Child elements (not text) of the innermost open element so far; 0 when
  // none is open.
  size_t InnermostChildElements() const {
    return open_.empty() ? 0 : open_.back().child_elements;
  }

  // Releases a partly built tree.
  void Clear();
  // Clear(), and gives back the memory kept for the next stanza.
  void Release();

 private:
  struct OpenElement {
    xmpp_stanza_t* stanza;
    // The namespace the element is in, whether or not its xmlns is set.
    std::string ns;
    ChildAppender children;
    size_t child_elements = 0;
  };

  bool FlushText();

  xmpp_ctx_t* ctx_;
  // Innermost last; open_.front() owns the whole tree.
  std::vector<OpenElement> open_;
  std::string text_;
};

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_STANZA_BUILDER_H_
