#include "agent/rpc/connection_table.h"

#include <sys/stat.h>

#include "absl/strings/numbers.h"

namespace xmppfed::rpc {

bool ConnectionTable::StillOpen(int fd, const Entry& entry) {
  struct stat info;
  return ::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode) &&
         info.st_dev == entry.device && info.st_ino == entry.inode;
}

void ConnectionTable::Add(int fd, access::Caller caller) {
  struct stat info;
  if (::fstat(fd, &info) != 0) return;
  absl::MutexLock lock(&mutex_);
  entries_.insert_or_assign(fd,
                            Entry{info.st_dev, info.st_ino, std::move(caller)});
}

std::optional<access::Caller> ConnectionTable::CallerOf(
    std::string_view peer) const {
  constexpr std::string_view kPrefix = "fd:";
  int fd = -1;
  if (!peer.starts_with(kPrefix)) return std::nullopt;
  peer.remove_prefix(kPrefix.size());
  if (!absl::SimpleAtoi(absl::string_view(peer.data(), peer.size()), &fd) ||
      fd < 0) {
    return std::nullopt;
  }
  absl::MutexLock lock(&mutex_);
  auto it = entries_.find(fd);
  if (it == entries_.end() || !StillOpen(fd, it->second)) return std::nullopt;
  return it->second.caller;
}

size_t ConnectionTable::OpenConnections(uid_t uid) {
  absl::MutexLock lock(&mutex_);
  size_t open = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!StillOpen(it->first, it->second)) {
      entries_.erase(it++);
      continue;
    }
    if (it->second.caller.uid == uid) ++open;
    ++it;
  }
  return open;
}

}  // namespace xmppfed::rpc
