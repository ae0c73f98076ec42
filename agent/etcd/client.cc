#include "agent/etcd/client.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "agent/etcd/call_status.h"

namespace xmppfed::etcd {
namespace {

// etcd reads this metadata key for the authentication token, and
// "hasleader" makes a member end watch streams when it has no leader (the
// same keys as etcd's Go client).
constexpr char kTokenKey[] = "token";
constexpr char kRequireLeaderKey[] = "hasleader";

// A listing page of 500 partners with many domains each stays well under
// this; etcd itself sends up to 2 GiB.
constexpr int kMaxReceiveBytes = 64 * 1024 * 1024;

// How long every endpoint may refuse connections before a call stops
// waiting for etcd to come back: the cluster is down, not electing a
// leader. Longer than the channels' longest reconnect backoff (below), so
// that each has tried to connect again meanwhile.
constexpr absl::Duration kAllRefusedGiveUp = absl::Seconds(2);
constexpr int kMaxReconnectBackoffMs = 500;

absl::StatusOr<std::string> ReadFile(std::string_view option,
                                     const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || text.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", std::string(option), "=", path,
                     ": the file does not exist, is empty or is not readable"));
  }
  return text.str();
}

std::chrono::system_clock::time_point ToChrono(absl::Time time) {
  return absl::ToChronoTime(time);
}

}  // namespace

struct Client::Endpoint {
  std::string address;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<etcdserverpb::KV::Stub> kv;
  std::unique_ptr<etcdserverpb::Lease::Stub> lease;
  std::unique_ptr<etcdserverpb::Watch::Stub> watch;
  std::unique_ptr<etcdserverpb::Cluster::Stub> cluster;
  std::unique_ptr<etcdserverpb::Maintenance::Stub> maintenance;
  std::unique_ptr<etcdserverpb::Auth::Stub> auth;

  // Whether the channel could not connect at its last attempt.
  bool Refused() {
    return channel->GetState(true) == GRPC_CHANNEL_TRANSIENT_FAILURE;
  }
};

Client::Client(ClientOptions options) : options_(std::move(options)) {}
Client::~Client() = default;

absl::StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  if (options.endpoints.empty()) {
    return absl::InvalidArgumentError("the etcd store needs an endpoint");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (!options.ca_file.empty() || !options.cert_file.empty() ||
      !options.key_file.empty()) {
    if (options.cert_file.empty() != options.key_file.empty()) {
      return absl::InvalidArgumentError(
          "--etcd-cert and --etcd-key: give both (a client certificate and "
          "its key) or neither");
    }
    grpc::SslCredentialsOptions ssl;
    if (!options.ca_file.empty()) {
      absl::StatusOr<std::string> ca =
          ReadFile("etcd-ca-file", options.ca_file);
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *std::move(ca);
    }
    if (!options.cert_file.empty()) {
      absl::StatusOr<std::string> cert =
          ReadFile("etcd-cert", options.cert_file);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = ReadFile("etcd-key", options.key_file);
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *std::move(cert);
      ssl.pem_private_key = *std::move(key);
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }

  grpc::ChannelArguments args;
  // Reconnect soon after a member comes back: gRPC's default backoff grows
  // to two minutes, during which the channel would not even try.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  // Also the time a connection attempt may take: a starting member accepts
  // connections before it serves them, and gRPC's default (20 s) would
  // keep the channel waiting on such a connection long after it serves.
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  // A failed connection asks the resolver again before the next attempt,
  // and gRPC resolves a name at most every 30 s by default: the channel
  // would stay failed that long after the member came back.
  args.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS, 250);
  // Notice a member that vanished without closing its connections while a
  // watch waits; etcd accepts pings every 5 s (--grpc-keepalive-min-time).
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);

  std::unique_ptr<Client> client(new Client(std::move(options)));
  for (const std::string& address : client->options_.endpoints) {
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->address = address;
    // One channel per endpoint (not one load-balanced channel) so that a
    // call can move on from a member that answers with "no leader".
    endpoint->channel = grpc::CreateCustomChannel(address, credentials, args);
    endpoint->kv = etcdserverpb::KV::NewStub(endpoint->channel);
    endpoint->lease = etcdserverpb::Lease::NewStub(endpoint->channel);
    endpoint->watch = etcdserverpb::Watch::NewStub(endpoint->channel);
    endpoint->cluster = etcdserverpb::Cluster::NewStub(endpoint->channel);
    endpoint->maintenance =
        etcdserverpb::Maintenance::NewStub(endpoint->channel);
    endpoint->auth = etcdserverpb::Auth::NewStub(endpoint->channel);
    client->endpoints_.push_back(std::move(endpoint));
  }
  return client;
}

std::string Client::EndpointList() const {
  return absl::StrJoin(options_.endpoints, ",");
}

absl::Status Client::Unreachable(std::string_view why) const {
  return absl::UnavailableError(absl::StrCat(
      "the etcd store at ", EndpointList(),
      " is unreachable: ", absl::string_view(why.data(), why.size())));
}

std::optional<absl::Time> Client::UnreachableSince() const {
  absl::MutexLock lock(&mutex_);
  return unreachable_since_;
}

void Client::NoteSuccess(size_t endpoint) {
  current_.store(endpoint);
  absl::MutexLock lock(&mutex_);
  unreachable_since_.reset();
}

void Client::NoteFailure() {
  absl::MutexLock lock(&mutex_);
  if (!unreachable_since_.has_value()) unreachable_since_ = absl::Now();
}

absl::Status Client::Authenticate(Endpoint& endpoint) {
  grpc::ClientContext context;
  context.set_deadline(ToChrono(absl::Now() + options_.attempt_timeout));
  etcdserverpb::AuthenticateRequest request;
  request.set_name(options_.user);
  request.set_password(options_.password);
  etcdserverpb::AuthenticateResponse response;
  grpc::Status status =
      endpoint.auth->Authenticate(&context, request, &response);
  if (!status.ok()) return FromGrpc(status);
  absl::MutexLock lock(&mutex_);
  token_ = response.token();
  return absl::OkStatus();
}

absl::Status Client::AddToken(Endpoint& endpoint,
                              grpc::ClientContext* context) {
  if (options_.user.empty()) return absl::OkStatus();
  bool need_token;
  {
    absl::MutexLock lock(&mutex_);
    need_token = token_.empty();
  }
  if (need_token) {
    if (absl::Status authenticated = Authenticate(endpoint);
        !authenticated.ok()) {
      return authenticated;
    }
  }
  absl::MutexLock lock(&mutex_);
  context->AddMetadata(kTokenKey, token_);
  return absl::OkStatus();
}

void Client::ForgetToken() {
  absl::MutexLock lock(&mutex_);
  token_.clear();
}

absl::Status Client::Authorize(grpc::ClientContext* context) {
  return AddToken(*endpoints_[current_.load() % endpoints_.size()], context);
}

grpc::Status Client::AttemptOn(Endpoint& endpoint, const Attempt& attempt,
                               absl::Time give_up) {
  for (bool first = true;; first = false) {
    grpc::ClientContext context;
    context.set_deadline(
        ToChrono(std::min(absl::Now() + options_.attempt_timeout, give_up)));
    if (absl::Status authorized = AddToken(endpoint, &context);
        !authorized.ok()) {
      return ToGrpc(authorized);
    }
    grpc::Status status = attempt(endpoint, &context);
    // etcd drops idle tokens: fetch another and try again, once.
    if (!first || !IsExpiredToken(status)) return status;
    ForgetToken();
  }
}

absl::Status Client::Call(const Attempt& attempt, CallReport* report,
                          bool impatient) {
  const absl::Time give_up = absl::Now() + options_.retry_budget;
  // Known down: a little longer than a channel's reconnect backoff is
  // enough (reads fall back soon, writes fail soon, and a member that came
  // back is found).
  const bool known_down = UnreachableSince().has_value();
  const absl::Duration refused_give_up =
      !known_down ? kAllRefusedGiveUp
      : impatient ? absl::ZeroDuration()
                  : absl::Milliseconds(kMaxReconnectBackoffMs + 100);
  const size_t count = endpoints_.size();
  size_t index = current_.load() % count;
  std::optional<absl::Time> all_refused_since;
  std::string last_failure = "no attempt made";
  for (int round = 0;; ++round) {
    bool all_refused = true;
    for (size_t tried = 0; tried < count; ++tried) {
      Endpoint& endpoint = *endpoints_[index];
      grpc::Status status = AttemptOn(endpoint, attempt, give_up);
      if (status.ok()) {
        NoteSuccess(index);
        return absl::OkStatus();
      }
      if (!IsRetryable(status)) {
        // etcd answered: it is reachable, and this is its verdict.
        NoteSuccess(index);
        return FromGrpc(status);
      }
      bool refused = endpoint.Refused();
      all_refused = all_refused && refused;
      if (report != nullptr && !refused) {
        report->earlier_attempt_may_have_applied = true;
      }
      last_failure =
          absl::StrCat(endpoint.address, ": ", DescribeFailure(status));
      index = (index + 1) % count;
      if (absl::Now() >= give_up) break;
    }
    absl::Time now = absl::Now();
    if (!all_refused) {
      all_refused_since.reset();
    } else if (!all_refused_since.has_value()) {
      all_refused_since = now;
    }
    if (now >= give_up || (all_refused_since.has_value() &&
                           now - *all_refused_since >= refused_give_up)) {
      break;
    }
    absl::SleepFor(std::min(absl::Milliseconds(50) * (round + 1),
                            absl::Milliseconds(250)));
  }
  NoteFailure();
  return Unreachable(last_failure);
}

absl::StatusOr<etcdserverpb::RangeResponse> Client::Range(
    const etcdserverpb::RangeRequest& request) {
  etcdserverpb::RangeResponse response;
  absl::Status status = Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        response.Clear();
        return endpoint.kv->Range(context, request, &response);
      },
      nullptr);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<etcdserverpb::RangeResponse> Client::RangeNow(
    const etcdserverpb::RangeRequest& request) {
  etcdserverpb::RangeResponse response;
  absl::Status status = Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        response.Clear();
        return endpoint.kv->Range(context, request, &response);
      },
      nullptr, /*impatient=*/true);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<etcdserverpb::TxnResponse> Client::Txn(
    const etcdserverpb::TxnRequest& request, CallReport* report) {
  etcdserverpb::TxnResponse response;
  absl::Status status = Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        response.Clear();
        return endpoint.kv->Txn(context, request, &response);
      },
      report);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<etcdserverpb::LeaseGrantResponse> Client::LeaseGrant(
    int64_t ttl_seconds) {
  etcdserverpb::LeaseGrantRequest request;
  request.set_ttl(ttl_seconds);
  etcdserverpb::LeaseGrantResponse response;
  absl::Status status = Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        response.Clear();
        return endpoint.lease->LeaseGrant(context, request, &response);
      },
      nullptr);
  if (!status.ok()) return status;
  if (!response.error().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("etcd refused a lease: ", response.error()));
  }
  return response;
}

absl::Status Client::LeaseRevoke(int64_t lease_id) {
  etcdserverpb::LeaseRevokeRequest request;
  request.set_id(lease_id);
  etcdserverpb::LeaseRevokeResponse response;
  return Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        return endpoint.lease->LeaseRevoke(context, request, &response);
      },
      nullptr);
}

absl::StatusOr<etcdserverpb::LeaseKeepAliveResponse> Client::LeaseKeepAlive(
    int64_t lease_id) {
  etcdserverpb::LeaseKeepAliveRequest request;
  request.set_id(lease_id);
  etcdserverpb::LeaseKeepAliveResponse response;
  absl::Status status = Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        auto stream = endpoint.lease->LeaseKeepAlive(context);
        bool answered = stream->Write(request) && stream->Read(&response);
        stream->WritesDone();
        if (answered) {
          context->TryCancel();
          stream->Finish();
          return grpc::Status::OK;
        }
        grpc::Status finished = stream->Finish();
        return finished.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                            "the keep-alive stream ended")
                             : finished;
      },
      nullptr);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<ClusterState> Client::GetClusterState(absl::Duration timeout) {
  etcdserverpb::MemberListResponse members;
  absl::Status listed = Call(
      [&](Endpoint& endpoint, grpc::ClientContext* context) {
        members.Clear();
        return endpoint.cluster->MemberList(
            context, etcdserverpb::MemberListRequest(), &members);
      },
      nullptr);
  if (!listed.ok()) return listed;
  ClusterState state;
  state.cluster_id = members.header().cluster_id();
  for (const etcdserverpb::Member& member : members.members()) {
    MemberState& out = state.members.emplace_back();
    out.id = member.id();
    out.name = member.name();
    out.client_urls.assign(member.clienturls().begin(),
                           member.clienturls().end());
    out.error = "not among the store's endpoints";
  }
  // Each configured endpoint's own view; a member is matched by its id.
  for (const std::unique_ptr<Endpoint>& endpoint : endpoints_) {
    grpc::ClientContext context;
    context.set_deadline(ToChrono(absl::Now() + timeout));
    if (!Authorize(&context).ok()) continue;
    etcdserverpb::StatusResponse status;
    grpc::Status answered = endpoint->maintenance->Status(
        &context, etcdserverpb::StatusRequest(), &status);
    for (MemberState& member : state.members) {
      bool listed_here =
          std::find(member.client_urls.begin(), member.client_urls.end(),
                    "http://" + endpoint->address) !=
              member.client_urls.end() ||
          std::find(member.client_urls.begin(), member.client_urls.end(),
                    "https://" + endpoint->address) != member.client_urls.end();
      if (answered.ok() ? member.id != status.header().member_id()
                        : !listed_here) {
        continue;
      }
      if (!answered.ok()) {
        member.reachable = false;
        member.error = DescribeFailure(answered);
        continue;
      }
      member.reachable = true;
      member.error.clear();
      member.version = status.version();
      member.db_size = status.dbsize();
      member.raft_term = status.raftterm();
      state.leader_id = status.leader();
      state.revision = std::max(state.revision, status.header().revision());
    }
  }
  for (MemberState& member : state.members) {
    member.is_leader = member.id == state.leader_id && state.leader_id != 0;
  }
  std::sort(state.members.begin(), state.members.end(),
            [](const MemberState& a, const MemberState& b) {
              return a.name < b.name;
            });
  return state;
}

std::unique_ptr<grpc::ClientReaderWriter<etcdserverpb::WatchRequest,
                                         etcdserverpb::WatchResponse>>
Client::OpenWatch(grpc::ClientContext* context) {
  context->AddMetadata(kRequireLeaderKey, "true");
  Endpoint& endpoint = *endpoints_[current_.load() % endpoints_.size()];
  return endpoint.watch->Watch(context);
}

void Client::WatchAnswered() {
  absl::MutexLock lock(&mutex_);
  unreachable_since_.reset();
}

void Client::WatchFailed(const grpc::Status& status) {
  if (IsExpiredToken(status)) {
    ForgetToken();
    return;
  }
  size_t failed = current_.load();
  // Unless a unary call moved on meanwhile.
  current_.compare_exchange_strong(failed, (failed + 1) % endpoints_.size());
}

}  // namespace xmppfed::etcd
