#include "agent/edge/sessions/partner_types.h"

#include <string_view>
#include <vector>

namespace xmppfed::edge {
namespace {

bool NameIs(xmpp_stanza_t* stanza, std::string_view name) {
  const char* actual = xmpp_stanza_get_name(stanza);
  return actual != nullptr && name == actual;
}

bool TypeIs(xmpp_stanza_t* stanza, std::string_view type) {
  const char* actual = xmpp_stanza_get_type(stanza);
  return actual != nullptr && type == actual;
}

}  // namespace

std::string BareJid(const char* jid) {
  if (jid == nullptr) return "";
  std::string_view text(jid);
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) text = text.substr(0, slash);
  std::string bare(text);
  for (char& c : bare) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!bare.empty() && bare.back() == '.') bare.pop_back();
  return bare;
}

bool IsSubscriptionRequest(xmpp_stanza_t* stanza) {
  return NameIs(stanza, "presence") && TypeIs(stanza, "subscribe");
}

xmpp_stanza_t* StripForPartner(xmpp_ctx_t* ctx,
                               const snapshot::PartnerPolicy& partner,
                               xmpp_stanza_t* stanza) {
  if (partner.type() == v1::PARTNER_TYPE_FEDERATED) return nullptr;
  if (!NameIs(stanza, "presence")) return nullptr;
  if (xmpp_stanza_get_child_by_name(stanza, "status") == nullptr) {
    return nullptr;
  }
  xmpp_stanza_t* stripped = xmpp_stanza_new(ctx);
  xmpp_stanza_set_name(stripped, xmpp_stanza_get_name(stanza));
  int count = xmpp_stanza_get_attribute_count(stanza);
  std::vector<const char*> attributes(2 * static_cast<size_t>(count));
  count = xmpp_stanza_get_attributes(stanza, attributes.data(),
                                     static_cast<int>(attributes.size()));
  for (int i = 0; i + 1 < count; i += 2) {
    xmpp_stanza_set_attribute(stripped, attributes[i], attributes[i + 1]);
  }
  for (xmpp_stanza_t* child = xmpp_stanza_get_children(stanza);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    if (xmpp_stanza_is_tag(child) && NameIs(child, "status")) continue;
    // add_child_ex without cloning: the copy belongs to `stripped` now.
    xmpp_stanza_add_child_ex(stripped, xmpp_stanza_copy(child), 0);
  }
  return stripped;
}

bool NeedsInvitation(const snapshot::PartnerPolicy& partner,
                     xmpp_stanza_t* stanza) {
  if (partner.type() != v1::PARTNER_TYPE_PUBLIC_UNVERIFIED) {
    return false;
  }
  // An error is the answer to something the local user sent: it passes.
  if (TypeIs(stanza, "error")) return false;
  return NameIs(stanza, "message") || IsSubscriptionRequest(stanza);
}

}  // namespace xmppfed::edge
