// The change listener: once per committed change, never for a refusal or a
// read, on the writing thread, free to read the store.
#include <atomic>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {
namespace {

TEST_P(StoreTest, ChangeListenerIsCalledOncePerCommit) {
  Store& store = Open();
  int calls = 0;
  store.SetChangeListener([&] { ++calls; });

  ASSERT_TRUE(store.CreatePartner(MakePartner("a.com")).ok());
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(store.CreatePartner(MakePartner("b.com")).ok());
  EXPECT_EQ(calls, 2);
  ASSERT_TRUE(store.UpdatePartner(MakePartner("a.com"), 1).ok());
  EXPECT_EQ(calls, 3);
  ASSERT_TRUE(store.DeletePartners({"a.com", "b.com"}).ok());
  EXPECT_EQ(calls, 4);
  ASSERT_TRUE(
      store.PutGatewayConfig(v1::GatewayConfig(), "x", std::nullopt).ok());
  EXPECT_EQ(calls, 5);
}

TEST_P(StoreTest, ChangeListenerIsNotCalledForRefusedChanges) {
  Store& store = Open();
  ASSERT_TRUE(store.CreatePartner(MakePartner("a.com", {"a.net"})).ok());
  ASSERT_TRUE(
      store.PutGatewayConfig(v1::GatewayConfig(), std::nullopt, std::nullopt)
          .ok());
  int calls = 0;
  store.SetChangeListener([&] { ++calls; });

  EXPECT_FALSE(store.CreatePartner(MakePartner("a.com")).ok());
  EXPECT_FALSE(store.CreatePartner(MakePartner("b.com", {"a.net"})).ok());
  EXPECT_FALSE(store.UpdatePartner(MakePartner("a.com"), 7).ok());
  EXPECT_FALSE(store.UpdatePartner(MakePartner("c.com"), std::nullopt).ok());
  EXPECT_FALSE(store.DeletePartners({"a.com", "c.com"}).ok());
  EXPECT_FALSE(
      store.PutGatewayConfig(v1::GatewayConfig(), std::nullopt, 7).ok());
  EXPECT_EQ(calls, 0);
}

TEST_P(StoreTest, ChangeListenerIsNotCalledForReads) {
  Store& store = Open();
  ASSERT_TRUE(store.CreatePartner(MakePartner("a.com")).ok());
  int calls = 0;
  store.SetChangeListener([&] { ++calls; });

  ASSERT_TRUE(store.GetPartner("a.com").ok());
  ASSERT_TRUE(store.FindDomainOwner("a.com").ok());
  ASSERT_TRUE(store.CountPartners().ok());
  ASSERT_TRUE(
      store.ForEachPartner("", [](const v1::Partner&) { return true; }).ok());
  ASSERT_TRUE(store.GetGatewayConfig().ok());
  ASSERT_TRUE(store.GetDialbackPassphrase().ok());
  EXPECT_EQ(calls, 0);
}

TEST_P(StoreTest, ChangeListenerRunsOnTheWritingThread) {
  Store& store = Open();
  std::thread::id called_on;
  store.SetChangeListener([&] { called_on = std::this_thread::get_id(); });

  std::thread::id writer_id;
  std::thread writer([&] {
    writer_id = std::this_thread::get_id();
    EXPECT_TRUE(store.CreatePartner(MakePartner("a.com")).ok());
  });
  writer.join();

  EXPECT_EQ(called_on, writer_id);
}

TEST_P(StoreTest, ChangeListenerSeesTheCommittedChange) {
  Store& store = Open();
  std::optional<uint64_t> seen_revision;
  store.SetChangeListener([&] {
    absl::StatusOr<std::optional<v1::Partner>> partner =
        store.GetPartner("a.com");
    if (partner.ok() && partner->has_value()) {
      seen_revision = (*partner)->revision();
    }
  });

  ASSERT_TRUE(store.CreatePartner(MakePartner("a.com")).ok());
  EXPECT_EQ(seen_revision, 1u);
  ASSERT_TRUE(store.UpdatePartner(MakePartner("a.com"), 1).ok());
  EXPECT_EQ(seen_revision, 2u);
}

TEST_P(StoreTest, EmptyChangeListenerRemovesTheListener) {
  Store& store = Open();
  int calls = 0;
  store.SetChangeListener([&] { ++calls; });
  store.SetChangeListener(nullptr);

  ASSERT_TRUE(store.CreatePartner(MakePartner("a.com")).ok());
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace xmppfed::store::testing
