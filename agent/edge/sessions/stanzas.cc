#include "agent/edge/sessions/stanzas.h"

#include <cstring>

#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge {
namespace {

// Error types per RFC 6120 §8.3.3 for the conditions the edge bounces with.
const char* ErrorTypeFor(std::string_view condition) {
  if (condition == "remote-server-timeout" ||
      condition == "resource-constraint") {
    return "wait";
  }
  return "cancel";
}

}  // namespace

bool IsStanza(xmpp_stanza_t* stanza) {
  const char* name = xmpp_stanza_get_name(stanza);
  if (name == nullptr) return false;
  std::string_view n(name);
  return n == "message" || n == "presence" || n == "iq";
}

std::string DomainOf(const char* jid) {
  if (jid == nullptr) return "";
  std::string_view text(jid);
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) text = text.substr(0, slash);
  size_t at = text.find('@');
  if (at != std::string_view::npos) text = text.substr(at + 1);
  std::string domain(text);
  for (char& c : domain) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!domain.empty() && domain.back() == '.') domain.pop_back();
  return domain;
}

xmpp_stanza_t* MakeBounce(xmpp_ctx_t* ctx, xmpp_stanza_t* original,
                          std::string_view condition) {
  const char* type = xmpp_stanza_get_type(original);
  if (type != nullptr && std::strcmp(type, "error") == 0) return nullptr;
  xmpp_stanza_t* bounce = xmpp_stanza_copy(original);
  const char* from = xmpp_stanza_get_from(original);
  const char* to = xmpp_stanza_get_to(original);
  if (from != nullptr) {
    xmpp_stanza_set_to(bounce, from);
  } else {
    xmpp_stanza_del_attribute(bounce, "to");
  }
  if (to != nullptr) {
    xmpp_stanza_set_from(bounce, to);
  } else {
    xmpp_stanza_del_attribute(bounce, "from");
  }
  xmpp_stanza_set_type(bounce, "error");
  xmpp_stanza_t* error = xmpp_stanza_new(ctx);
  xmpp_stanza_set_name(error, "error");
  xmpp_stanza_set_type(error, ErrorTypeFor(condition));
  xmpp_stanza_t* reason = xmpp_stanza_new(ctx);
  std::string name(condition);
  xmpp_stanza_set_name(reason, name.c_str());
  xmpp_stanza_set_ns(reason, kNsStanzaErrors);
  xmpp_stanza_add_child_ex(error, reason, 0);
  xmpp_stanza_add_child_ex(bounce, error, 0);
  return bounce;
}

}  // namespace xmppfed::edge
