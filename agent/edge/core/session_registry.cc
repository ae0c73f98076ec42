#include "agent/edge/core/session_registry.h"

#include <utility>

namespace xmppfed::edge {

SessionRegistry::~SessionRegistry() { Clear(); }

void SessionRegistry::Insert(std::unique_ptr<Session> session) {
  Session* raw = session.get();
  sessions_[raw->id()] = std::move(session);
  ++live_;
  ++by_kind_[static_cast<size_t>(raw->kind())];
  Rebind(raw);
}

Session* SessionRegistry::Find(uint64_t id) const {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

void SessionRegistry::Unbind(Session* session) {
  auto it = bound_.find(session);
  if (it == bound_.end()) return;
  for (const std::string& partner : it->second) {
    auto set = by_partner_.find(partner);
    if (set == by_partner_.end()) continue;
    set->second.erase(session);
    if (set->second.empty()) by_partner_.erase(set);
  }
  bound_.erase(it);
}

void SessionRegistry::Rebind(Session* session) {
  if (retired_.contains(session)) return;
  Unbind(session);
  std::vector<std::string> partners = session->Partners();
  if (partners.empty()) return;
  for (const std::string& partner : partners) {
    by_partner_[partner].insert(session);
  }
  bound_[session] = std::move(partners);
}

void SessionRegistry::Retire(Session* session) {
  if (!retired_.insert(session).second) return;
  Unbind(session);
  --live_;
  --by_kind_[static_cast<size_t>(session->kind())];
}

void SessionRegistry::Remove(uint64_t id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  Session* session = it->second.get();
  Retire(session);
  retired_.erase(session);
  sessions_.erase(it);
}

void SessionRegistry::Clear() {
  while (!sessions_.empty()) Remove(sessions_.begin()->first);
}

size_t SessionRegistry::s2s_count() const {
  return count(SessionKind::kInbound) + count(SessionKind::kOutbound) +
         count(SessionKind::kVerifier);
}

std::vector<Session*> SessionRegistry::SessionsOf(
    std::string_view partner) const {
  auto it = by_partner_.find(absl::string_view(partner.data(), partner.size()));
  if (it == by_partner_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

size_t SessionRegistry::CountInboundOf(std::string_view partner) const {
  auto it = by_partner_.find(absl::string_view(partner.data(), partner.size()));
  if (it == by_partner_.end()) return 0;
  size_t count = 0;
  for (Session* session : it->second) {
    if (session->kind() == SessionKind::kInbound) ++count;
  }
  return count;
}

std::vector<Session*> SessionRegistry::All() const {
  std::vector<Session*> all;
  all.reserve(sessions_.size());
  for (const auto& [id, session] : sessions_) {
    if (!retired_.contains(session.get())) all.push_back(session.get());
  }
  return all;
}

}  // namespace xmppfed::edge
