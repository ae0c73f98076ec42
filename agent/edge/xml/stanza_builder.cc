#include "agent/edge/xml/stanza_builder.h"

#include "agent/edge/xml/expat_support.h"
#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge::xml {
namespace {

// Copies expat's attributes onto `element`. A prefixed attribute keeps its
// prefix and brings the declaration of that prefix along, so the element can
// be serialised on its own; xml:lang and friends need no declaration.
bool SetAttributes(xmpp_stanza_t* element, const char** expat_attributes) {
  for (const char** pair = expat_attributes; pair[0] != nullptr; pair += 2) {
    ExpandedName name = SplitExpatName(pair[0]);
    std::string written(name.local);
    if (!name.prefix.empty()) {
      written = std::string(name.prefix) + ":" + written;
      if (name.ns != kXmlNamespace) {
        std::string declaration = "xmlns:" + std::string(name.prefix);
        std::string ns(name.ns);
        if (xmpp_stanza_set_attribute(element, declaration.c_str(),
                                      ns.c_str()) != XMPP_EOK) {
          return false;
        }
      }
    }
    if (xmpp_stanza_set_attribute(element, written.c_str(), pair[1]) !=
        XMPP_EOK) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool StanzaBuilder::Open(const char* expat_name, const char** expat_attributes,
                         std::string_view stream_default_ns) {
  if (!FlushText()) return false;
  ExpandedName name = SplitExpatName(expat_name);
  std::string_view inherited =
      open_.empty() ? stream_default_ns : std::string_view(open_.back().ns);
  bool needs_xmlns = name.ns != inherited;
  xmpp_stanza_t* element = xmpp_stanza_new(ctx_);
  if (element == nullptr) return false;
  // Linked into the tree at once, so Clear() frees it whatever fails next.
  if (!open_.empty()) {
    open_.back().children.Append(element);
    ++open_.back().child_elements;
  }
  open_.push_back({element, std::string(name.ns), ChildAppender(element)});
  std::string local(name.local);
  if (xmpp_stanza_set_name(element, local.c_str()) != XMPP_EOK) return false;
  if (needs_xmlns) {
    // Includes xmlns='' for an element in no namespace inside one that is.
    std::string ns(name.ns);
    if (xmpp_stanza_set_ns(element, ns.c_str()) != XMPP_EOK) return false;
  }
  return SetAttributes(element, expat_attributes);
}

bool StanzaBuilder::Close(xmpp_stanza_t** finished) {
  *finished = nullptr;
  if (open_.empty()) return true;
  if (!FlushText()) return false;
  xmpp_stanza_t* element = open_.back().stanza;
  open_.pop_back();
  if (open_.empty()) *finished = element;
  return true;
}

void StanzaBuilder::Clear() {
  if (!open_.empty()) xmpp_stanza_release(open_.front().stanza);
  open_.clear();
  text_.clear();
}

void StanzaBuilder::Release() {
  Clear();
  // A few entries and a short text are kept: giving them back after every
  // read would cost more than they weigh.
  if (open_.capacity() > 8) std::vector<OpenElement>().swap(open_);
  if (text_.capacity() > 1024) std::string().swap(text_);
}

bool StanzaBuilder::FlushText() {
  if (text_.empty() || open_.empty()) {
    text_.clear();
    return true;
  }
  xmpp_stanza_t* text = xmpp_stanza_new(ctx_);
  if (text == nullptr) return false;
  int result = xmpp_stanza_set_text_with_size(text, text_.data(), text_.size());
  open_.back().children.Append(text);
  text_.clear();
  return result == XMPP_EOK;
}

}  // namespace xmppfed::edge::xml
