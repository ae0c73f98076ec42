#include "agent/snapshot/invitation_book.h"

namespace xmppfed::snapshot {

bool InvitationBook::Contains(std::string_view local_jid,
                              std::string_view remote_jid) const {
  absl::ReaderMutexLock lock(&mutex_);
  return pairs_.contains(PairView(local_jid, remote_jid));
}

bool InvitationBook::Add(std::string_view local_jid,
                         std::string_view remote_jid) {
  absl::MutexLock lock(&mutex_);
  if (pairs_.contains(PairView(local_jid, remote_jid))) return false;
  pairs_.emplace(std::string(local_jid), std::string(remote_jid));
  return true;
}

size_t InvitationBook::size() const {
  absl::ReaderMutexLock lock(&mutex_);
  return pairs_.size();
}

}  // namespace xmppfed::snapshot
