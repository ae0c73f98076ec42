#include "agent/metrics/timed_store.h"

#include <gtest/gtest.h>

#include "agent/metrics/agent_metrics.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::metrics {
namespace {

struct Observed : StoreTimings {
  int reads = 0;
  int writes = 0;
  void ObserveStore(StoreOperation operation, double seconds) override {
    EXPECT_GE(seconds, 0);
    (operation == StoreOperation::kRead ? reads : writes) += 1;
  }
};

TEST(TimedStoreTest, TimesReadsAndWritesAndReturnsWhatTheStoreDoes) {
  testing::TempDir dir("timed-store");
  absl::StatusOr<std::unique_ptr<store::Store>> inner =
      store::OpenStore("sqlite:" + dir.File("x.db"));
  ASSERT_TRUE(inner.ok()) << inner.status();
  Observed observed;
  TimedStore timed(*std::move(inner), &observed);

  v1::Partner partner;
  partner.set_identity("partner.test");
  absl::StatusOr<v1::Partner> created =
      timed.CreatePartner(partner, v1::AuditEntry());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->revision(), 1u);
  absl::StatusOr<std::optional<v1::Partner>> read =
      timed.GetPartner("partner.test");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->identity(), "partner.test");
  // A refusal is the inner store's, and still timed.
  EXPECT_EQ(timed.CreatePartner(partner, v1::AuditEntry()).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(observed.writes, 2);
  EXPECT_EQ(observed.reads, 1);
  EXPECT_EQ(timed.uri(), "sqlite:" + dir.File("x.db"));
}

}  // namespace
}  // namespace xmppfed::metrics
