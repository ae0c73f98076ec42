// Every live session of the edge, by id, with the two indexes the edge
// needs without a walk over every stream: how many sessions of each kind
// there are (the gateway's connection limits), and which sessions are
// bound to which partner (Session::Partners(): a partner's connectionLimit,
// get-session and remove-session by partner, flow control). Loop thread
// only.
#ifndef XMPPFED_AGENT_EDGE_CORE_SESSION_REGISTRY_H_
#define XMPPFED_AGENT_EDGE_CORE_SESSION_REGISTRY_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "agent/edge/sessions/session.h"

namespace xmppfed::edge {

class SessionRegistry {
 public:
  SessionRegistry() = default;
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;
  ~SessionRegistry();

  // Takes `session`, indexed by its id, kind and partners.
  template <typename T>
  T* Add(std::unique_ptr<T> session) {
    T* raw = session.get();
    Insert(std::move(session));
    return raw;
  }
  Session* Find(uint64_t id) const;
  // Reads session->Partners() into the partner index again.
  void Rebind(Session* session);
  // Takes the session out of the counts and indexes (it closed) but keeps
  // it alive until Remove.
  void Retire(Session* session);
  // Destroys the session (never call it from inside the session's stack).
  void Remove(uint64_t id);
  // Destroys every session.
  void Clear();

  // Live (not retired) sessions.
  size_t size() const { return live_; }
  size_t count(SessionKind kind) const {
    return by_kind_[static_cast<size_t>(kind)];
  }
  // S2S connections: inbound, outbound and verifier streams.
  size_t s2s_count() const;
  // Live sessions bound to `partner` (any kind, in no particular order).
  std::vector<Session*> SessionsOf(std::string_view partner) const;
  // Live inbound sessions bound to `partner`.
  size_t CountInboundOf(std::string_view partner) const;
  // Every live session in id order: a copy, so the caller may close
  // sessions while it walks.
  std::vector<Session*> All() const;

 private:
  void Insert(std::unique_ptr<Session> session);
  void Unbind(Session* session);

  std::map<uint64_t, std::unique_ptr<Session>> sessions_;
  absl::flat_hash_set<Session*> retired_;
  size_t live_ = 0;
  std::array<size_t, 4> by_kind_ = {};
  // Partner identities each session is bound to, and the reverse.
  absl::flat_hash_map<Session*, std::vector<std::string>> bound_;
  absl::flat_hash_map<std::string, absl::flat_hash_set<Session*>> by_partner_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_SESSION_REGISTRY_H_
