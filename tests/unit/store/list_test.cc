// ForEachPartner: glob matching, identity order, early stop, and listings
// that overlap writes and each other.
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ListTest : public StoreTest {
 protected:
  // Created out of order on purpose: the listing must sort by identity.
  void CreateAll() {
    Store& store = Open();
    for (const char* identity :
         {"contoso.com", "b2.example", "fabrikam.com", "a1.example",
          "Capital.example", "c3.example", "fabrikam.net", "ab.example"}) {
      ASSERT_TRUE(store
                      .CreatePartner(MakePartner(identity),
                                     ::xmppfed::testing::TestAudit())
                      .ok());
    }
  }
};

TEST_P(ListTest, EmptyGlobListsAllInIdentityOrder) {
  CreateAll();
  EXPECT_THAT(
      ListIdentities(*store_, ""),
      ElementsAre("Capital.example", "a1.example", "ab.example", "b2.example",
                  "c3.example", "contoso.com", "fabrikam.com", "fabrikam.net"));
}

TEST_P(ListTest, StarMatchesAnyRun) {
  CreateAll();
  EXPECT_THAT(ListIdentities(*store_, "fabrikam.*"),
              ElementsAre("fabrikam.com", "fabrikam.net"));
  EXPECT_THAT(ListIdentities(*store_, "*.com"),
              ElementsAre("contoso.com", "fabrikam.com"));
}

TEST_P(ListTest, QuestionMarkMatchesOneCharacter) {
  CreateAll();
  EXPECT_THAT(ListIdentities(*store_, "a?.example"),
              ElementsAre("a1.example", "ab.example"));
  EXPECT_THAT(ListIdentities(*store_, "?.example"), IsEmpty());
}

TEST_P(ListTest, CharacterClassMatchesARange) {
  CreateAll();
  EXPECT_THAT(ListIdentities(*store_, "[a-b]?.example"),
              ElementsAre("a1.example", "ab.example", "b2.example"));
}

TEST_P(ListTest, NegatedCharacterClassExcludesARange) {
  CreateAll();
  EXPECT_THAT(ListIdentities(*store_, "a[^a-z].example"),
              ElementsAre("a1.example"));
}

TEST_P(ListTest, GlobIsCaseSensitive) {
  CreateAll();
  EXPECT_THAT(ListIdentities(*store_, "c*"),
              ElementsAre("c3.example", "contoso.com"));
  EXPECT_THAT(ListIdentities(*store_, "C*"), ElementsAre("Capital.example"));
}

TEST_P(ListTest, LiteralGlobMatchesExactlyThatIdentity) {
  CreateAll();
  EXPECT_THAT(ListIdentities(*store_, "fabrikam.com"),
              ElementsAre("fabrikam.com"));
  EXPECT_THAT(ListIdentities(*store_, "fabrikam.co"), IsEmpty());
}

TEST_P(ListTest, ListedPartnersCarryTheirSortedAdditionalDomains) {
  Store& store = Open();
  ASSERT_TRUE(
      store
          .CreatePartner(MakePartner("a.com", {"a3.net", "a1.net", "a2.net"}),
                         ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("c.com", {"c.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  std::vector<std::vector<std::string>> domains;
  ASSERT_TRUE(store
                  .ForEachPartner("",
                                  [&](const v1::Partner& partner) {
                                    domains.push_back(Domains(partner));
                                    return true;
                                  })
                  .ok());

  EXPECT_THAT(domains, ElementsAre(ElementsAre("a1.net", "a2.net", "a3.net"),
                                   IsEmpty(), ElementsAre("c.net")));
}

TEST_P(ListTest, VisitReturningFalseStopsTheListing) {
  CreateAll();
  int visits = 0;
  absl::Status listed = store_->ForEachPartner("", [&](const v1::Partner&) {
    ++visits;
    return visits < 3;
  });
  EXPECT_TRUE(listed.ok()) << listed;
  EXPECT_EQ(visits, 3);
}

// The listing reads one snapshot on its own connection: a writer on another
// thread commits while the listing is open (it would hang if the read
// blocked it), and the listing goes on with the state it started from.
TEST_P(ListTest, WriteOnAnotherThreadCommitsWhileAListingIsOpen) {
  CreateAll();
  std::vector<std::string> listed;
  std::vector<uint64_t> revisions;
  bool wrote = false;
  absl::Status status = store_->ForEachPartner("", [&](const v1::Partner& p) {
    listed.push_back(p.identity());
    revisions.push_back(p.revision());
    if (listed.size() == 1) {
      std::future<bool> writer = std::async(std::launch::async, [&] {
        v1::Partner changed = MakePartner("fabrikam.com");
        changed.set_description("changed meanwhile");
        return store_
                   ->CreatePartner(MakePartner("zz.example"),
                                   ::xmppfed::testing::TestAudit())
                   .ok() &&
               store_
                   ->UpdatePartner(changed, std::nullopt,
                                   ::xmppfed::testing::TestAudit())
                   .ok() &&
               store_
                   ->DeletePartners({"contoso.com"},
                                    ::xmppfed::testing::TestRemoval())
                   .ok();
      });
      EXPECT_EQ(writer.wait_for(std::chrono::seconds(20)),
                std::future_status::ready);
      wrote = writer.get();
    }
    return true;
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(wrote);

  EXPECT_THAT(listed, ElementsAre("Capital.example", "a1.example", "ab.example",
                                  "b2.example", "c3.example", "contoso.com",
                                  "fabrikam.com", "fabrikam.net"));
  EXPECT_EQ(revisions[6], 1u);  // fabrikam.com as it was
  EXPECT_THAT(ListIdentities(*store_, "zz.*"), ElementsAre("zz.example"));
  EXPECT_EQ((*store_->GetPartner("fabrikam.com"))->revision(), 2u);
}

TEST_P(ListTest, ManyThreadsListAtOnce) {
  Store& store = Open();
  constexpr int kPartners = 100;
  for (int i = 0; i < kPartners; ++i) {
    ASSERT_TRUE(
        store
            .CreatePartner(MakePartner("p" + std::to_string(i) + ".example"),
                           ::xmppfed::testing::TestAudit())
            .ok());
  }
  constexpr int kThreads = 8;
  std::vector<int> counts(kThreads, 0);
  std::vector<int> ok(kThreads, 0);  // not vector<bool>: written concurrently
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        int seen = 0;
        ok[t] = store
                    .ForEachPartner("",
                                    [&](const v1::Partner&) {
                                      ++seen;
                                      return true;
                                    })
                    .ok();
        counts[t] = seen;
        if (!ok[t]) return;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(ok[t]) << "thread " << t;
    EXPECT_EQ(counts[t], kPartners) << "thread " << t;
  }
}

XMPPFED_STORE_BACKENDS(ListTest);

}  // namespace
}  // namespace xmppfed::store::testing
