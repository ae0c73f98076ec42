#include "agent/edge/xml/child_list.h"

#include <initializer_list>

namespace xmppfed::edge::xml {
namespace {

// libstrophe's struct _xmpp_stanza_t (src/common.h, unchanged from 0.8 to
// 0.13): only the link fields are touched, and only once LayoutMatches()
// confirmed them on this process's libstrophe.
struct StropheElementLayout {
  int ref;
  xmpp_ctx_t* ctx;
  int type;
  xmpp_stanza_t* prev;
  xmpp_stanza_t* next;
  xmpp_stanza_t* children;
  xmpp_stanza_t* parent;
};

StropheElementLayout* Layout(xmpp_stanza_t* stanza) {
  return reinterpret_cast<StropheElementLayout*>(stanza);
}

// Builds <p><a/><b/></p> through the public API and reads it back through
// the layout: every link, the context and the reference count must be
// where the layout says.
bool LayoutMatches(xmpp_ctx_t* ctx) {
  xmpp_stanza_t* p = xmpp_stanza_new(ctx);
  xmpp_stanza_t* a = xmpp_stanza_new(ctx);
  xmpp_stanza_t* b = xmpp_stanza_new(ctx);
  if (p == nullptr || a == nullptr || b == nullptr) {
    for (xmpp_stanza_t* s : {p, a, b}) {
      if (s != nullptr) xmpp_stanza_release(s);
    }
    return false;
  }
  xmpp_stanza_set_name(p, "p");
  xmpp_stanza_set_name(a, "a");
  xmpp_stanza_set_name(b, "b");
  xmpp_stanza_add_child_ex(p, a, 0);
  xmpp_stanza_add_child_ex(p, b, 0);
  bool matches = xmpp_stanza_get_children(p) == a &&
                 xmpp_stanza_get_next(a) == b &&
                 xmpp_stanza_get_next(b) == nullptr && Layout(p)->ctx == ctx &&
                 Layout(a)->ctx == ctx && Layout(p)->ref == 1 &&
                 Layout(a)->ref == 1 && Layout(p)->children == a &&
                 Layout(p)->prev == nullptr && Layout(p)->next == nullptr &&
                 Layout(p)->parent == nullptr && Layout(a)->prev == nullptr &&
                 Layout(a)->next == b && Layout(a)->parent == p &&
                 Layout(b)->prev == a && Layout(b)->next == nullptr &&
                 Layout(b)->parent == p && Layout(b)->children == nullptr;
  xmpp_stanza_release(p);
  return matches;
}

}  // namespace

bool ConstantTimeAppendAvailable(xmpp_ctx_t* ctx) {
  // One libstrophe per process: the answer for one context is the answer
  // for all.
  static const bool available = LayoutMatches(ctx);
  return available;
}

void ChildAppender::Append(xmpp_stanza_t* child) {
  ++count_;
  if (last_ == nullptr ||
      !ConstantTimeAppendAvailable(xmpp_stanza_get_context(parent_))) {
    // The first child: add_child_ex finds the list empty, O(1).
    xmpp_stanza_add_child_ex(parent_, child, 0);
    last_ = child;
    return;
  }
  // What add_child_ex does once it has walked to the end of the list.
  Layout(child)->parent = parent_;
  Layout(last_)->next = child;
  Layout(child)->prev = last_;
  last_ = child;
}

}  // namespace xmppfed::edge::xml
