// Reads who is at the other end of a Unix socket from the kernel
// (SO_PEERCRED: uid, gid and pid at connect time) and the user database
// (the user's name and groups). Nothing the client sends is consulted.
#ifndef XMPPFED_AGENT_ACCESS_PEER_IDENTITY_H_
#define XMPPFED_AGENT_ACCESS_PEER_IDENTITY_H_

#include "absl/status/statusor.h"
#include "agent/access/caller.h"

namespace xmppfed::access {

// `fd` is a connected AF_UNIX stream socket. The groups are getgrouplist's
// for the user (as the group database lists them now, not as the process
// may have dropped them) plus the process's gid; a group without a name in
// the database is left out. An error when the kernel gives no credentials.
absl::StatusOr<PeerFacts> ReadPeerFacts(int fd);

}  // namespace xmppfed::access

#endif  // XMPPFED_AGENT_ACCESS_PEER_IDENTITY_H_
