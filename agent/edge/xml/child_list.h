// Appending children to a libstrophe element in constant time.
// xmpp_stanza_add_child_ex walks the parent's whole child list on every
// append, so an element built child by child costs O(n^2): 64k empty
// children (a 256 KiB stanza) took seconds of CPU. ChildAppender keeps the
// last child and links the next one after it directly, through libstrophe's
// element layout (struct _xmpp_stanza_t in its src/common.h, not exported).
// That layout is checked once per process against the public API
// (add_child_ex, get_children, get_next); if it does not match, every
// append falls back to xmpp_stanza_add_child_ex, which stays correct (and
// the parser's cap on children per element keeps it bounded).
#ifndef XMPPFED_AGENT_EDGE_XML_CHILD_LIST_H_
#define XMPPFED_AGENT_EDGE_XML_CHILD_LIST_H_

#include <strophe.h>

#include <cstddef>

namespace xmppfed::edge::xml {

// True when libstrophe's element layout is the one ChildAppender links
// through (checked on the first call, with `ctx`).
bool ConstantTimeAppendAvailable(xmpp_ctx_t* ctx);

// The children of one element as it is being built. The element must get
// no child other than through this appender while it is in use.
class ChildAppender {
 public:
  explicit ChildAppender(xmpp_stanza_t* parent) : parent_(parent) {}

  // Makes `child` (a new element or text node, reference owned by the
  // caller) the last child of the parent, which then owns it.
  void Append(xmpp_stanza_t* child);

  xmpp_stanza_t* parent() const { return parent_; }
  // Children appended so far.
  size_t count() const { return count_; }

 private:
  xmpp_stanza_t* parent_;
  xmpp_stanza_t* last_ = nullptr;
  size_t count_ = 0;
};

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_CHILD_LIST_H_
