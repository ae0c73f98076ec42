// Which caller is at the other end of each API connection, so that a call
// can be attributed to the process that made it.
//
// gRPC names a connection it was handed as a file descriptor "fd:N"
// (ServerContext::peer()), and keeps descriptor N open for as long as any
// call on that connection runs: the transport is destroyed, and N closed,
// only after its last call. So while a handler runs, N is still its own
// connection's descriptor. The table also remembers N's inode, so that a
// descriptor that is not the recorded connection is never taken for it.
#ifndef XMPPFED_AGENT_RPC_CONNECTION_TABLE_H_
#define XMPPFED_AGENT_RPC_CONNECTION_TABLE_H_

#include <grpcpp/server_context.h>
#include <sys/types.h>

#include <optional>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "agent/access/caller.h"

namespace xmppfed::rpc {

// Who made a call. The seam between the API's handlers and the connections.
class CallerLookup {
 public:
  virtual ~CallerLookup() = default;
  // nullopt when the call cannot be attributed to a recorded connection.
  virtual std::optional<access::Caller> CallerOf(
      grpc::ServerContext& context) const = 0;
};

class ConnectionTable final : public CallerLookup {
 public:
  // Records that the open connection `fd` belongs to `caller`, replacing
  // what an earlier, since closed, connection with the same number left.
  void Add(int fd, access::Caller caller);

  // The caller of the connection gRPC calls `peer` ("fd:N"); nullopt when
  // the peer is not such a name or N is not a recorded, open connection.
  std::optional<access::Caller> CallerOf(std::string_view peer) const;
  std::optional<access::Caller> CallerOf(
      grpc::ServerContext& context) const override {
    return CallerOf(context.peer());
  }

  // How many recorded connections of `uid` are still open. Forgets those
  // that were closed.
  size_t OpenConnections(uid_t uid);

 private:
  struct Entry {
    dev_t device;
    ino_t inode;
    access::Caller caller;
  };
  // Whether `fd` is still the socket `entry` recorded.
  static bool StillOpen(int fd, const Entry& entry);

  mutable absl::Mutex mutex_;
  absl::flat_hash_map<int, Entry> entries_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_CONNECTION_TABLE_H_
