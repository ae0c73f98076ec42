#include "agent/access/peer_identity.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::access {
namespace {

// Buffer sizes for the *_r lookups: sysconf's hint, grown on ERANGE up to a
// bound (a group with thousands of members needs more than the hint).
constexpr size_t kMaxLookupBuffer = 1 << 20;

size_t InitialBuffer(int name) {
  long hint = ::sysconf(name);
  return hint > 0 ? static_cast<size_t>(hint) : 4096;
}

std::optional<std::string> UserName(uid_t uid) {
  std::vector<char> buffer(InitialBuffer(_SC_GETPW_R_SIZE_MAX));
  while (true) {
    passwd entry;
    passwd* found = nullptr;
    int error = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found);
    if (error == ERANGE && buffer.size() < kMaxLookupBuffer) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (error != 0 || found == nullptr) return std::nullopt;
    return std::string(entry.pw_name);
  }
}

std::optional<std::string> GroupName(gid_t gid) {
  std::vector<char> buffer(InitialBuffer(_SC_GETGR_R_SIZE_MAX));
  while (true) {
    group entry;
    group* found = nullptr;
    int error = ::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found);
    if (error == ERANGE && buffer.size() < kMaxLookupBuffer) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (error != 0 || found == nullptr) return std::nullopt;
    return std::string(entry.gr_name);
  }
}

// The user's groups as the group database lists them, `gid` included.
std::vector<gid_t> GroupIds(const std::string& user, gid_t gid) {
  std::vector<gid_t> gids(32);
  while (true) {
    int count = static_cast<int>(gids.size());
    if (::getgrouplist(user.c_str(), gid, gids.data(), &count) >= 0) {
      gids.resize(static_cast<size_t>(count));
      return gids;
    }
    // -1: too small; count now holds the size needed.
    if (count <= static_cast<int>(gids.size()) || count > 65536) return {gid};
    gids.resize(static_cast<size_t>(count));
  }
}

}  // namespace

absl::StatusOr<PeerFacts> ReadPeerFacts(int fd) {
  ucred credentials{};
  socklen_t length = sizeof(credentials);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
    return absl::ErrnoToStatus(errno, "cannot read the caller's credentials");
  }
  PeerFacts facts;
  facts.uid = credentials.uid;
  facts.gid = credentials.gid;
  facts.pid = credentials.pid;
  facts.user = UserName(credentials.uid);
  std::vector<gid_t> gids = facts.user.has_value()
                                ? GroupIds(*facts.user, credentials.gid)
                                : std::vector<gid_t>{credentials.gid};
  for (gid_t gid : gids) {
    std::optional<std::string> name = GroupName(gid);
    if (name.has_value() && std::find(facts.groups.begin(), facts.groups.end(),
                                      *name) == facts.groups.end()) {
      facts.groups.push_back(*std::move(name));
    }
  }
  return facts;
}

}  // namespace xmppfed::access
