// The Watcher against a real cluster: every change under its prefix once
// and in order, across the loss of the member it watches, and a resync
// when the history it needs was compacted.
#include "agent/etcd/watcher.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::etcd {
namespace {

using ::testing::ElementsAre;
using testing::EtcdCluster;
using testing::TempDir;

// What the handler saw, with a wait for a number of events.
class Recorder {
 public:
  WatchHandler Handler() {
    WatchHandler handler;
    handler.on_events = [this](const etcdserverpb::WatchResponse& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const mvccpb::Event& event : response.events()) {
        std::string kind = event.type() == mvccpb::Event::DELETE ? "del " : "";
        events_.push_back(kind + event.kv().key());
      }
      changed_.notify_all();
    };
    handler.on_compacted = [this](int64_t) -> absl::StatusOr<int64_t> {
      std::lock_guard<std::mutex> lock(mutex_);
      ++resyncs_;
      changed_.notify_all();
      return resync_revision_;
    };
    handler.on_broken = [this](const absl::Status&) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++breaks_;
    };
    handler.on_restored = [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      ++restores_;
    };
    return handler;
  }

  std::vector<std::string> WaitForEvents(size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10),
                      [&] { return events_.size() >= count; });
    return events_;
  }
  bool WaitForResync() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10),
                             [&] { return resyncs_ > 0; });
  }
  void set_resync_revision(int64_t revision) {
    std::lock_guard<std::mutex> lock(mutex_);
    resync_revision_ = revision;
  }
  int breaks() {
    std::lock_guard<std::mutex> lock(mutex_);
    return breaks_;
  }
  int restores() {
    std::lock_guard<std::mutex> lock(mutex_);
    return restores_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  int resyncs_ = 0;
  int breaks_ = 0;
  int restores_ = 0;
  int64_t resync_revision_ = 0;
};

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.Start());
    ClientOptions options;
    for (int i = 0; i < cluster_.size(); ++i) {
      options.endpoints.push_back(cluster_.Endpoint(i));
    }
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  // The store's revision after a write of `key` (or its deletion).
  int64_t Write(const std::string& key, bool remove = false) {
    etcdserverpb::TxnRequest txn;
    if (remove) {
      txn.add_success()->mutable_request_delete_range()->set_key(key);
    } else {
      txn.add_success()->mutable_request_put()->set_key(key);
    }
    absl::StatusOr<etcdserverpb::TxnResponse> done = client_->Txn(txn);
    EXPECT_TRUE(done.ok()) << done.status();
    return done.ok() ? done->header().revision() : 0;
  }

  TempDir dir_{"etcd-watch"};
  EtcdCluster cluster_{dir_.path()};
  std::unique_ptr<Client> client_;
};

TEST_F(WatcherTest, EveryChangeUnderThePrefixOnceAndInOrder) {
  int64_t start = Write("/w/before");
  Recorder recorder;
  Watcher watcher(client_.get(), "/w/", start + 1, recorder.Handler());
  Write("/w/a");
  Write("/other/x");
  Write("/w/b");
  Write("/w/a", /*remove=*/true);

  EXPECT_THAT(recorder.WaitForEvents(3),
              ElementsAre("/w/a", "/w/b", "del /w/a"));
}

TEST_F(WatcherTest, GoesOnOnAnotherMemberWithoutLosingOrRepeating) {
  int64_t start = Write("/w/before");
  Recorder recorder;
  Watcher watcher(client_.get(), "/w/", start + 1, recorder.Handler());
  Write("/w/1");
  Write("/w/2");
  ASSERT_EQ(recorder.WaitForEvents(2).size(), 2u);

  // The client's calls (and so the watch) went to the first endpoint.
  cluster_.Kill(0);
  Write("/w/3");
  Write("/w/4");

  EXPECT_THAT(recorder.WaitForEvents(4),
              ElementsAre("/w/1", "/w/2", "/w/3", "/w/4"));
  EXPECT_EQ(recorder.breaks(), 1);
  EXPECT_EQ(recorder.restores(), 1);
}

TEST_F(WatcherTest, CompactedHistoryAsksForAResyncThenGoesOn) {
  Write("/w/old");
  int64_t current = Write("/w/older");
  testing::ProcessResult compacted =
      cluster_.Etcdctl({"compact", std::to_string(current)});
  ASSERT_EQ(compacted.status.ExitCodeOrMinusOne(), 0) << compacted.err;

  Recorder recorder;
  recorder.set_resync_revision(current);
  Watcher watcher(client_.get(), "/w/", 1, recorder.Handler());
  ASSERT_TRUE(recorder.WaitForResync());
  Write("/w/new");

  EXPECT_THAT(recorder.WaitForEvents(1), ElementsAre("/w/new"));
}

}  // namespace
}  // namespace xmppfed::etcd
