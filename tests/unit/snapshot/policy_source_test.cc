// InvitationBook and SnapshotPublisher: what readers see, and when.
#include "agent/snapshot/policy_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/snapshot/partner_fixtures.h"

namespace xmppfed::snapshot::testing {
namespace {

TEST(InvitationBookTest, APairIsKnownInItsDirectionOnlyAndAddedOnce) {
  InvitationBook book;
  EXPECT_TRUE(book.Add("alice@example.test", "bob@partner.test"));
  EXPECT_FALSE(book.Add("alice@example.test", "bob@partner.test"));
  EXPECT_TRUE(book.Contains("alice@example.test", "bob@partner.test"));
  EXPECT_FALSE(book.Contains("bob@partner.test", "alice@example.test"));
  EXPECT_FALSE(book.Contains("alice@example.test", "carol@partner.test"));
  EXPECT_EQ(book.size(), 1u);
}

TEST(InvitationBookTest, ConcurrentAddsCountEachPairOnce) {
  InvitationBook book;
  std::atomic<int> new_pairs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (book.Add("u" + std::to_string(i) + "@example.test",
                     "c@partner.test")) {
          ++new_pairs;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(new_pairs.load(), 500);
  EXPECT_EQ(book.size(), 500u);
}

TEST(SnapshotPublisherTest, PublishSwapsTheSnapshotThenCallsTheListener) {
  auto first = std::make_shared<const PolicySnapshot>(
      std::vector<std::string>{"example.test"});
  SnapshotPublisher publisher(first);
  EXPECT_EQ(publisher.Current(), first);

  auto second = std::make_shared<PolicySnapshot>(*first);
  second->UpsertPartner(MakePartner("a.com"));
  std::shared_ptr<const PolicySnapshot> seen_in_listener;
  publisher.SetPublishListener([&] { seen_in_listener = publisher.Current(); });
  publisher.Publish(second);

  EXPECT_EQ(publisher.Current(), second);
  EXPECT_EQ(seen_in_listener, second);
  // The first snapshot is untouched for whoever still holds it.
  EXPECT_EQ(first->PartnerFor("a.com"), nullptr);
}

TEST(SnapshotPublisherTest, ANewInvitationIsSeenAtOnceAndSunkOnce) {
  SnapshotPublisher publisher(std::make_shared<const PolicySnapshot>(
      std::vector<std::string>{"example.test"}));
  std::vector<std::string> sunk;
  publisher.SetInvitationSink(
      [&](std::string_view local, std::string_view remote) {
        sunk.push_back(std::string(local) + ">" + std::string(remote));
      });
  publisher.RecordInvitation("a@example.test", "b@partner.test");
  EXPECT_TRUE(publisher.IsInvited("a@example.test", "b@partner.test"));
  publisher.RecordInvitation("a@example.test", "b@partner.test");
  EXPECT_EQ(sunk, std::vector<std::string>{"a@example.test>b@partner.test"});
}

}  // namespace
}  // namespace xmppfed::snapshot::testing
