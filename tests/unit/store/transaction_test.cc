// Store::RunPartnerTransaction: the bulk-write path of import-partners.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using End = TransactionEnd;

class TransactionTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    Open();
  }
};

TEST_P(TransactionTest, CommittedWritesAreVisibleAndSurviveReopen) {
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com")).ok());
        EXPECT_TRUE(txn.CreatePartner(MakePartner("b.com", {"b.net"})).ok());
        return End::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;
  Open();
  EXPECT_EQ(ListIdentities(*store_, ""),
            (std::vector<std::string>{"a.com", "b.com"}));
  absl::StatusOr<std::optional<std::string>> owner =
      store_->FindDomainOwner("b.net");
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->value_or(""), "b.com");
}

TEST_P(TransactionTest, RollBackDiscardsEveryWrite) {
  ASSERT_TRUE(store_
                  ->CreatePartner(MakePartner("kept.com"),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com")).ok());
        v1::Partner changed = MakePartner("kept.com");
        changed.set_description("changed");
        EXPECT_TRUE(txn.UpdatePartner(changed, std::nullopt).ok());
        return End::kRollBack;
      });
  ASSERT_TRUE(run.ok()) << run;
  EXPECT_EQ(ListIdentities(*store_, ""), std::vector<std::string>{"kept.com"});
  absl::StatusOr<std::optional<v1::Partner>> kept =
      store_->GetPartner("kept.com");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->description(), "Partner kept.com");
  EXPECT_EQ((*kept)->revision(), 1u);
}

TEST_P(TransactionTest, BodyErrorIsReturnedAndNothingIsWritten) {
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com")).ok());
        return absl::CancelledError("client went away");
      });
  EXPECT_EQ(run.code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(ListIdentities(*store_, "").empty());
}

TEST_P(TransactionTest, ReadsSeeTheTransactionsOwnWrites) {
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com", {"a.net"})).ok());
        absl::StatusOr<std::optional<v1::Partner>> read =
            txn.GetPartner("a.com");
        EXPECT_TRUE(read.ok() && read->has_value());
        absl::StatusOr<std::optional<std::string>> owner =
            txn.FindDomainOwner("a.net");
        EXPECT_TRUE(owner.ok());
        EXPECT_EQ(owner->value_or(""), "a.com");
        return End::kRollBack;
      });
  EXPECT_TRUE(run.ok()) << run;
}

TEST_P(TransactionTest, RefusedWriteLeavesTheTransactionUsable) {
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com", {"a.net"})).ok());
        absl::StatusOr<v1::Partner> clash =
            txn.CreatePartner(MakePartner("b.com", {"x.net", "a.net"}));
        EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
        EXPECT_TRUE(txn.CreatePartner(MakePartner("c.com", {"x.net"})).ok())
            << "the refused partner's first domain must not have been kept";
        return End::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;
  EXPECT_EQ(ListIdentities(*store_, ""),
            (std::vector<std::string>{"a.com", "c.com"}));
}

TEST_P(TransactionTest, UpdateChecksTheExpectedRevision) {
  ASSERT_TRUE(
      store_
          ->CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        absl::StatusOr<v1::Partner> stale =
            txn.UpdatePartner(MakePartner("a.com"), 5);
        EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
        absl::StatusOr<v1::Partner> updated =
            txn.UpdatePartner(MakePartner("a.com"), 1);
        EXPECT_TRUE(updated.ok());
        EXPECT_EQ(updated->revision(), 2u);
        return End::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;
}

TEST_P(TransactionTest, DeleteRemovesThePartnerAndFreesItsDomains) {
  ASSERT_TRUE(store_
                  ->CreatePartner(MakePartner("a.com", {"a.net"}),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(
      store_
          ->CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        absl::StatusOr<v1::Partner> removed = txn.DeletePartner("a.com");
        EXPECT_TRUE(removed.ok()) << removed.status();
        EXPECT_EQ(removed->identity(), "a.com");
        EXPECT_EQ(removed->description(), "Partner a.com");
        EXPECT_EQ(txn.GetPartner("a.com")->has_value(), false);
        // Its domain is free again inside the same transaction.
        EXPECT_TRUE(txn.CreatePartner(MakePartner("c.com", {"a.net"})).ok());
        return End::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;
  EXPECT_EQ(ListIdentities(*store_, ""),
            (std::vector<std::string>{"b.com", "c.com"}));
}

TEST_P(TransactionTest, DeleteOfAMissingPartnerIsNotFoundAndChangesNothing) {
  ASSERT_TRUE(
      store_
          ->CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  absl::Status run = store_->RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
        absl::StatusOr<v1::Partner> missing = txn.DeletePartner("z.com");
        EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
        std::optional<v1::ErrorDetail> detail =
            errors::GetErrorDetail(missing.status());
        EXPECT_TRUE(detail.has_value());
        if (detail) {
          EXPECT_EQ(detail->field(), "identity");
          EXPECT_EQ(detail->value(), "z.com");
        }
        EXPECT_TRUE(txn.DeletePartner("a.com").ok());
        return End::kRollBack;
      });
  ASSERT_TRUE(run.ok()) << run;
  EXPECT_EQ(ListIdentities(*store_, ""), std::vector<std::string>{"a.com"});
}

TEST_P(TransactionTest, ListenerRunsOnlyAfterACommit) {
  std::atomic<int> commits{0};
  store_->SetChangeListener([&](const StoreChange&) { ++commits; });
  auto create_a = [](PartnerTransaction& txn) -> absl::StatusOr<End> {
    EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com")).ok());
    return End::kRollBack;
  };
  ASSERT_TRUE(store_->RunPartnerTransaction(create_a).ok());
  EXPECT_EQ(commits.load(), 0);
  ASSERT_TRUE(store_
                  ->RunPartnerTransaction(
                      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
                        EXPECT_TRUE(
                            txn.CreatePartner(MakePartner("a.com")).ok());
                        return End::kCommit;
                      })
                  .ok());
  EXPECT_EQ(commits.load(), 1);
}

TEST_P(TransactionTest, AllPartnersOfOneTransactionShareOneTimestamp) {
  ASSERT_TRUE(store_
                  ->RunPartnerTransaction(
                      [](PartnerTransaction& txn) -> absl::StatusOr<End> {
                        for (const char* id : {"a.com", "b.com", "c.com"}) {
                          EXPECT_TRUE(txn.CreatePartner(MakePartner(id)).ok());
                        }
                        return End::kCommit;
                      })
                  .ok());
  absl::StatusOr<std::optional<v1::Partner>> a = store_->GetPartner("a.com");
  absl::StatusOr<std::optional<v1::Partner>> c = store_->GetPartner("c.com");
  ASSERT_TRUE(a.ok() && a->has_value() && c.ok() && c->has_value());
  EXPECT_EQ(Micros((*a)->created_at()), Micros((*c)->created_at()));
}

XMPPFED_STORE_BACKENDS(TransactionTest);

}  // namespace
}  // namespace xmppfed::store::testing
