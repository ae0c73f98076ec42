#include "agent/cluster/node_reporter.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/runtime/log.h"
#include "agent/store/stored_records.h"

namespace xmppfed::cluster {

std::string NewNodeId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::StrCat(absl::Hex(absl::ToUnixNanos(absl::Now())));
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

NodeReporter::NodeReporter(store::Store* store, v1::Node node,
                           std::function<uint64_t()> live_streams,
                           absl::Duration refresh)
    : store_(store),
      node_(std::move(node)),
      live_streams_(std::move(live_streams)),
      refresh_(refresh) {
  Publish();
  thread_ = std::thread([this] { Run(); });
}

NodeReporter::~NodeReporter() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
}

void NodeReporter::Publish() {
  v1::Node record = node_;
  record.set_live_streams(live_streams_ ? live_streams_() : 0);
  store::SetTimestamp(absl::ToUnixMicros(absl::Now()),
                      record.mutable_last_seen());
  absl::Status published = store_->PublishNode(record);
  // Logged when it starts and stops failing, not at every refresh.
  if (!published.ok() && !failing_) {
    runtime::LogWarning("node.publish_failed",
                        absl::StrCat("node=", node_.id(), " error=\"",
                                     published.message(), "\""));
  } else if (published.ok() && failing_) {
    runtime::LogInfo("node.published", absl::StrCat("node=", node_.id()));
  }
  failing_ = !published.ok();
}

void NodeReporter::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mutex_);
      if (mutex_.AwaitWithTimeout(absl::Condition(&stopping_), refresh_)) {
        return;
      }
    }
    Publish();
  }
}

}  // namespace xmppfed::cluster
