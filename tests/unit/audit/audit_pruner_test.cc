// AuditPruner: entries older than the retention go, batch by batch; newer
// ones stay; the thread prunes at once when started.
#include "agent/audit/audit_pruner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "tests/unit/service/store_fixture.h"

namespace xmppfed::audit {
namespace {

using google::protobuf::util::TimeUtil;

class AuditPrunerTest : public testing::StoreFixture {
 protected:
  void Append(absl::Duration age, int count) {
    for (int i = 0; i < count; ++i) {
      v1::AuditEntry entry;
      *entry.mutable_time() = TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(absl::Now() - age));
      entry.set_verb("v");
      ASSERT_TRUE(store_->AppendAuditEntry(entry).ok());
    }
  }
  size_t Count() {
    size_t count = 0;
    EXPECT_TRUE(store_
                    ->ForEachAuditEntry({},
                                        [&](const v1::AuditEntry&) {
                                          ++count;
                                          return true;
                                        })
                    .ok());
    return count;
  }
};

TEST_F(AuditPrunerTest, RemovesWhatIsOlderThanTheRetentionInBatches) {
  Append(absl::Hours(24 * 40), 7);
  Append(absl::Hours(24 * 20), 2);
  AuditPruner::Options options;
  options.batch = 3;
  uint32_t days = 30;
  AuditPruner pruner(
      store_.get(), [&]() -> absl::StatusOr<uint32_t> { return days; },
      options);
  absl::StatusOr<uint64_t> pruned = pruner.PruneOnce();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 7u);
  EXPECT_EQ(Count(), 2u);
  // The setting is read anew on every pass.
  days = 10;
  EXPECT_EQ(*pruner.PruneOnce(), 2u);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(AuditPrunerTest, TheThreadPrunesWhenItStarts) {
  Append(absl::Hours(24 * 400), 3);
  AuditPruner pruner(store_.get(),
                     []() -> absl::StatusOr<uint32_t> { return 365; });
  pruner.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pruner.Stop();
  EXPECT_EQ(Count(), 0u);
}

TEST_F(AuditPrunerTest, AnErrorReadingTheRetentionRemovesNothing) {
  Append(absl::Hours(24 * 400), 1);
  AuditPruner pruner(store_.get(), []() -> absl::StatusOr<uint32_t> {
    return absl::UnavailableError("store down");
  });
  EXPECT_FALSE(pruner.PruneOnce().ok());
  EXPECT_EQ(Count(), 1u);
}

}  // namespace
}  // namespace xmppfed::audit
