// The invitations (SPEC §4: a local user's subscription request lets that
// remote contact write to the user even when its partner is
// PublicUnverified) in memory: the edge checks and adds them on its loop
// thread without waiting for the store; agent/snapshot/invitation_writer.h
// makes them durable. Thread-safe.
#ifndef XMPPFED_AGENT_SNAPSHOT_INVITATION_BOOK_H_
#define XMPPFED_AGENT_SNAPSHOT_INVITATION_BOOK_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"

namespace xmppfed::snapshot {

class InvitationBook {
 public:
  // Both bare JIDs, as the edge normalised them.
  bool Contains(std::string_view local_jid, std::string_view remote_jid) const;
  // True when the pair is new (the caller then has it stored).
  bool Add(std::string_view local_jid, std::string_view remote_jid);
  size_t size() const;

 private:
  using Pair = std::pair<std::string, std::string>;
  using PairView = std::pair<std::string_view, std::string_view>;
  // Looks pairs of strings up by pairs of views: no copy per check.
  struct Hash {
    using is_transparent = void;
    size_t operator()(const PairView& pair) const {
      return absl::Hash<PairView>{}(pair);
    }
    size_t operator()(const Pair& pair) const {
      return (*this)(PairView(pair.first, pair.second));
    }
  };
  struct Eq {
    using is_transparent = void;
    static PairView View(const Pair& pair) { return {pair.first, pair.second}; }
    static PairView View(const PairView& pair) { return pair; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) == View(b);
    }
  };

  mutable absl::Mutex mutex_;
  absl::flat_hash_set<Pair, Hash, Eq> pairs_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_INVITATION_BOOK_H_
