#include "agent/edge/xml/element.h"

namespace xmppfed::edge::xml {

bool Is(xmpp_stanza_t* stanza, std::string_view name, std::string_view ns) {
  const char* own_name = xmpp_stanza_get_name(stanza);
  const char* own_ns = xmpp_stanza_get_ns(stanza);
  return own_name != nullptr && name == own_name && own_ns != nullptr &&
         ns == own_ns;
}

std::string Attribute(xmpp_stanza_t* stanza, const char* name) {
  const char* value = xmpp_stanza_get_attribute(stanza, name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string TextOf(xmpp_stanza_t* stanza) {
  std::string text;
  for (xmpp_stanza_t* child = xmpp_stanza_get_children(stanza);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    if (xmpp_stanza_is_text(child)) {
      const char* part = xmpp_stanza_get_text_ptr(child);
      if (part != nullptr) text += part;
    }
  }
  return text;
}

xmpp_stanza_t* Child(xmpp_stanza_t* stanza, std::string_view name,
                     std::string_view ns) {
  const char* parent_ns = xmpp_stanza_get_ns(stanza);
  for (xmpp_stanza_t* child = xmpp_stanza_get_children(stanza);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    if (!xmpp_stanza_is_tag(child)) continue;
    const char* own_name = xmpp_stanza_get_name(child);
    const char* own_ns = xmpp_stanza_get_ns(child);
    if (own_ns == nullptr) own_ns = parent_ns;
    if (own_name != nullptr && name == own_name && own_ns != nullptr &&
        ns == own_ns) {
      return child;
    }
  }
  return nullptr;
}

}  // namespace xmppfed::edge::xml
