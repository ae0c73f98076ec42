#include "agent/store/etcd_change_feed.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/runtime/log.h"

namespace xmppfed::store {
namespace {

// One revision's events as a change; false when they say nothing the
// listener hears of (domain, node, audit or own invitation keys only).
bool BuildChange(const EtcdKeys& keys, const std::string& own_prefix,
                 const std::vector<const mvccpb::Event*>& events,
                 StoreChange* change) {
  // Each partner once, in its last state, in the order first written.
  std::map<std::string, size_t> upserted_at;
  for (const mvccpb::Event* event : events) {
    EtcdKeys::Parsed key = keys.Parse(event->kv().key());
    bool put = event->type() == mvccpb::Event::PUT;
    switch (key.kind) {
      case EtcdKeys::Kind::kPartner: {
        if (!put) {
          change->removed.push_back(key.name);
          break;
        }
        v1::Partner partner;
        if (!partner.ParseFromString(event->kv().value())) {
          // A record this agent cannot read: let the listener read it all.
          runtime::LogError("store.unreadable_change",
                            absl::StrCat("key=", event->kv().key()));
          change->reload_all = true;
          break;
        }
        auto [at, inserted] =
            upserted_at.try_emplace(key.name, change->upserted.size());
        if (inserted) {
          change->upserted.push_back(std::move(partner));
        } else {
          change->upserted[at->second] = std::move(partner);
        }
        break;
      }
      case EtcdKeys::Kind::kGateway:
        change->gateway_changed = true;
        break;
      case EtcdKeys::Kind::kInvitation: {
        if (!put || absl::StartsWith(event->kv().value(), own_prefix)) break;
        std::optional<std::pair<std::string, std::string>> jids =
            EtcdKeys::InvitationJids(key.name);
        if (jids) {
          change->invitations.push_back(
              {std::move(jids->first), std::move(jids->second)});
        }
        break;
      }
      case EtcdKeys::Kind::kAudit:
        // Entries and their id counter are not configuration (store.h):
        // a revision that wrote only them is no change to the listener.
        break;
      default:
        break;
    }
  }
  return !change->upserted.empty() || !change->removed.empty() ||
         change->gateway_changed || !change->invitations.empty() ||
         change->reload_all;
}

}  // namespace

EtcdChangeFeed::EtcdChangeFeed(etcd::Client* client, const EtcdKeys* keys,
                               std::string instance, int64_t from_revision)
    : client_(client), keys_(keys), instance_(std::move(instance)) {
  {
    absl::MutexLock lock(&progress_mutex_);
    delivered_ = from_revision - 1;
  }
  etcd::WatchHandler handler;
  handler.on_events = [this](const etcdserverpb::WatchResponse& response) {
    OnEvents(response);
  };
  handler.on_compacted = [this](int64_t compact_revision) {
    return OnCompacted(compact_revision);
  };
  handler.on_broken = [](const absl::Status& why) {
    runtime::LogWarning("store.unreachable",
                        absl::StrCat("error=\"", why.message(), "\""));
  };
  handler.on_restored = [client] {
    runtime::LogInfo("store.reachable",
                     absl::StrCat("endpoints=", client->EndpointList()));
  };
  watcher_ = std::make_unique<etcd::Watcher>(client_, keys_->prefix(),
                                             from_revision, std::move(handler));
}

EtcdChangeFeed::~EtcdChangeFeed() {
  watcher_.reset();
  absl::MutexLock lock(&progress_mutex_);
  // Nobody waits for what will not come.
  delivered_ = INT64_MAX;
}

void EtcdChangeFeed::SetListener(Listener listener) {
  std::shared_ptr<const Listener> next;
  if (listener) next = std::make_shared<const Listener>(std::move(listener));
  absl::MutexLock lock(&notice_mutex_);
  listener_ = std::move(next);
}

bool EtcdChangeFeed::WaitDelivered(int64_t revision, absl::Duration timeout) {
  absl::MutexLock lock(&progress_mutex_);
  auto reached = [&]() ABSL_SHARED_LOCKS_REQUIRED(progress_mutex_) {
    return delivered_ >= revision;
  };
  return progress_mutex_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

void EtcdChangeFeed::MarkDelivered(int64_t revision) {
  absl::MutexLock lock(&progress_mutex_);
  if (revision <= delivered_) return;
  delivered_ = revision;
}

void EtcdChangeFeed::Deliver(const StoreChange& change, int64_t revision) {
  {
    absl::MutexLock lock(&notice_mutex_);
    if (listener_ != nullptr) (*listener_)(change);
  }
  MarkDelivered(revision);
}

void EtcdChangeFeed::OnEvents(const etcdserverpb::WatchResponse& response) {
  const std::string own_prefix = instance_ + " ";
  // Events come in revision order; one etcd transaction is one revision.
  int begin = 0;
  while (begin < response.events_size()) {
    int64_t revision = response.events(begin).kv().mod_revision();
    std::vector<const mvccpb::Event*> events;
    int end = begin;
    while (end < response.events_size() &&
           response.events(end).kv().mod_revision() == revision) {
      events.push_back(&response.events(end));
      ++end;
    }
    StoreChange change;
    change.revision = static_cast<uint64_t>(revision);
    if (BuildChange(*keys_, own_prefix, events, &change)) {
      Deliver(change, revision);
    } else {
      MarkDelivered(revision);
    }
    begin = end;
  }
}

absl::StatusOr<int64_t> EtcdChangeFeed::OnCompacted(int64_t compact_revision) {
  runtime::LogWarning(
      "store.resync",
      absl::StrCat("reason=compacted compact_revision=", compact_revision));
  // The store's revision now: what the listener's full read will see at
  // least, and where the watch goes on.
  etcdserverpb::RangeRequest range;
  range.set_key(keys_->layout());
  range.set_count_only(true);
  absl::StatusOr<etcdserverpb::RangeResponse> now = client_->Range(range);
  if (!now.ok()) return now.status();
  StoreChange change;
  change.reload_all = true;
  change.revision = static_cast<uint64_t>(now->header().revision());
  Deliver(change, now->header().revision());
  return now->header().revision();
}

}  // namespace xmppfed::store
