// A small client of etcd's v3 gRPC API, generated from etcd's own .proto
// files (proto/etcd): KV Range and Txn, Lease, Watch streams, the cluster's
// members and each member's status, with
//
// * several endpoints and failover: a call goes to the endpoint that last
//   answered; when it is unreachable, has no leader or times out, the call
//   moves on to the next one until the retry budget is spent;
// * TLS (a CA file, and a client certificate and key for mutual TLS);
// * authentication with a user and password: the token etcd hands out is
//   sent with every call and fetched again when etcd says it expired.
//
// Errors: UNAVAILABLE names every endpoint and the last failure ("the etcd
// store at A,B,C is unreachable: ..."); any other code is etcd's own
// refusal, passed on with etcd's text. Every method is thread-safe.
#ifndef XMPPFED_AGENT_ETCD_CLIENT_H_
#define XMPPFED_AGENT_ETCD_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

namespace xmppfed::etcd {

struct ClientOptions {
  // "host:port", tried in this order.
  std::vector<std::string> endpoints;
  // TLS is used when any of these is set: trust anchors (PEM; empty: the
  // system's), and the client certificate chain and key for mutual TLS.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  // Authentication when `user` is set. Never logged.
  std::string user;
  std::string password;
  // One attempt on one endpoint. A member whose leader died holds a write
  // until then, so this bounds the delay a leader election adds.
  absl::Duration attempt_timeout = absl::Seconds(1);
  // All attempts of one call. A call gives up sooner when every endpoint
  // refuses connections for a while (etcd is down, not electing).
  absl::Duration retry_budget = absl::Seconds(6);
};

// What happened while a call was retried.
struct CallReport {
  // An attempt failed in a way that leaves its outcome unknown (a timeout,
  // a connection lost after the request was sent): a write may then have
  // been applied although the call reports it as retried. Callers make
  // writes idempotent by checking for their own result.
  bool earlier_attempt_may_have_applied = false;
};

// One member as the cluster lists it, with what its status call said.
struct MemberState {
  uint64_t id = 0;
  std::string name;
  std::vector<std::string> client_urls;
  bool reachable = false;
  bool is_leader = false;
  std::string version;
  int64_t db_size = 0;
  uint64_t raft_term = 0;
  std::string error;  // why it is not reachable
};

struct ClusterState {
  uint64_t cluster_id = 0;
  uint64_t leader_id = 0;  // 0: none known
  int64_t revision = 0;
  std::vector<MemberState> members;
};

class Client {
 public:
  // Reads the TLS files and makes the channels; does not contact etcd yet.
  // INVALID_ARGUMENT naming the option (etcd-ca-file, etcd-cert, etcd-key)
  // for a file that cannot be read.
  static absl::StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);
  ~Client();

  absl::StatusOr<etcdserverpb::RangeResponse> Range(
      const etcdserverpb::RangeRequest& request);
  // As Range, but while etcd is known to be down (UnreachableSince) it
  // gives up after one round of refused connections instead of waiting for
  // a member to come back: for reads that have another answer (the
  // agent's policy in memory) and a caller waiting.
  absl::StatusOr<etcdserverpb::RangeResponse> RangeNow(
      const etcdserverpb::RangeRequest& request);
  // `report` (optional) says whether an earlier attempt may have applied.
  absl::StatusOr<etcdserverpb::TxnResponse> Txn(
      const etcdserverpb::TxnRequest& request, CallReport* report = nullptr);
  absl::StatusOr<etcdserverpb::LeaseGrantResponse> LeaseGrant(
      int64_t ttl_seconds);
  absl::Status LeaseRevoke(int64_t lease_id);
  // One keep-alive round trip; the response's TTL is 0 when the lease
  // expired.
  absl::StatusOr<etcdserverpb::LeaseKeepAliveResponse> LeaseKeepAlive(
      int64_t lease_id);
  // The members, and each member's own status (a member that does not
  // answer within `timeout` is listed as unreachable).
  absl::StatusOr<ClusterState> GetClusterState(absl::Duration timeout);

  // A Watch stream on the endpoint that last answered, with the
  // authentication token, cancelled by `context->TryCancel()`. It requires
  // a leader: a member that loses its leader ends the stream, so the
  // caller reconnects (OpenWatch again) to a member that has one.
  std::unique_ptr<grpc::ClientReaderWriter<etcdserverpb::WatchRequest,
                                           etcdserverpb::WatchResponse>>
  OpenWatch(grpc::ClientContext* context);
  // After a watch stream failed: the next OpenWatch tries another endpoint.
  void WatchFailed(const grpc::Status& status);
  // A watch stream answered: etcd is reachable again.
  void WatchAnswered();
  // Adds the authentication token (when one is needed and can be had).
  absl::Status Authorize(grpc::ClientContext* context);

  // "A,B,C", for messages.
  std::string EndpointList() const;
  // When calls started failing for want of a reachable member; nullopt
  // while the last call went through.
  std::optional<absl::Time> UnreachableSince() const;

  // UNAVAILABLE "the etcd store at A,B,C is unreachable: `why`".
  absl::Status Unreachable(std::string_view why) const;

 private:
  struct Endpoint;
  using Attempt = std::function<grpc::Status(Endpoint&, grpc::ClientContext*)>;

  explicit Client(ClientOptions options);

  // Runs `attempt` with failover and retries (see the file comment);
  // `impatient`: see RangeNow.
  absl::Status Call(const Attempt& attempt, CallReport* report,
                    bool impatient = false);
  // One attempt on one endpoint (two when the token had expired).
  grpc::Status AttemptOn(Endpoint& endpoint, const Attempt& attempt,
                         absl::Time give_up);
  absl::Status Authenticate(Endpoint& endpoint);
  absl::Status AddToken(Endpoint& endpoint, grpc::ClientContext* context);
  void ForgetToken();
  void NoteSuccess(size_t endpoint);
  void NoteFailure();

  ClientOptions options_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::atomic<size_t> current_{0};

  mutable absl::Mutex mutex_;
  std::string token_ ABSL_GUARDED_BY(mutex_);
  std::optional<absl::Time> unreachable_since_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace xmppfed::etcd

#endif  // XMPPFED_AGENT_ETCD_CLIENT_H_
