// rpc::TargetChecks (test-partner -) over an in-test PartnerTester (the seam
// the federation edge fills) and a real store: how many checks run at once,
// the order of the results, and the targets that need no check. The real
// checks behind the seam are tested by the federation tests.
#include "agent/rpc/partner_check_targets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/service/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::rpc {
namespace {

using ::testing::ElementsAre;

// Holds every check until the test finishes it, or (auto_pass) passes it
// at once; counts how many were waiting at most.
class GatedTester final : public PartnerTester {
 public:
  explicit GatedTester(bool auto_pass = false) : auto_pass_(auto_pass) {}

  void Test(const v1::Partner& partner, const std::string& domain,
            absl::Duration,
            std::function<void(const v1::TestPartnerStep&)> on_step) override {
    std::unique_lock<std::mutex> lock(mutex_);
    tested_.push_back(partner.identity() + " " + domain);
    if (auto_pass_) {
      lock.unlock();
      Report(on_step, "");
      return;
    }
    waiting_.push_back({domain, std::move(on_step)});
    most_waiting_ = std::max(most_waiting_, waiting_.size());
    changed_.notify_all();
  }

  // The domains of the waiting checks once `count` are waiting.
  std::vector<std::string> WaitFor(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    EXPECT_TRUE(changed_.wait_for(lock, std::chrono::seconds(10),
                                  [&] { return waiting_.size() >= count; }))
        << waiting_.size() << " checks waiting, not " << count;
    std::vector<std::string> domains;
    for (const Check& check : waiting_) domains.push_back(check.domain);
    return domains;
  }

  // Reports every step of the check of `domain`, from this thread; the
  // step named `failed_step` fails and the ones after it are skipped.
  void Finish(const std::string& domain, const std::string& failed_step = "") {
    std::unique_lock<std::mutex> lock(mutex_);
    auto check =
        std::find_if(waiting_.begin(), waiting_.end(),
                     [&](const Check& c) { return c.domain == domain; });
    ASSERT_NE(check, waiting_.end()) << domain;
    auto on_step = std::move(check->on_step);
    waiting_.erase(check);
    lock.unlock();
    Report(on_step, failed_step);
  }

  std::size_t most_waiting() {
    std::lock_guard<std::mutex> lock(mutex_);
    return most_waiting_;
  }
  std::vector<std::string> tested() {
    std::lock_guard<std::mutex> lock(mutex_);
    return tested_;
  }

 private:
  struct Check {
    std::string domain;
    std::function<void(const v1::TestPartnerStep&)> on_step;
  };

  static void Report(
      const std::function<void(const v1::TestPartnerStep&)>& on_step,
      const std::string& failed_step) {
    bool failed = false;
    for (const char* name : kTestSteps) {
      v1::TestPartnerStep step;
      step.set_step(name);
      if (failed) {
        step.set_result("Skipped");
      } else if (name == failed_step) {
        step.set_result("Failed");
        step.set_diagnosis("the peer said no");
        failed = true;
      } else {
        step.set_result("Passed");
      }
      on_step(step);
    }
  }

  const bool auto_pass_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Check> waiting_;
  std::size_t most_waiting_ = 0;
  std::vector<std::string> tested_;
};

v1::PartnerTarget Target(uint64_t line, const std::string& identity) {
  v1::PartnerTarget target;
  target.set_line(line);
  target.set_identity(identity);
  return target;
}

// The replies a run wrote, safe to read while it runs.
struct Written {
  std::mutex mutex;
  std::vector<v1::PartnerTargetsReply> replies;

  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> lines;
    for (const auto& reply : replies) {
      for (const v1::TargetResult& result : reply.results()) {
        lines.push_back(result.identity() + " " +
                        v1::TargetStatus_Name(result.status()) +
                        (result.error().empty() ? "" : " " + result.error()));
      }
    }
    return lines;
  }
  v1::TargetSummary Summary() {
    std::lock_guard<std::mutex> lock(mutex);
    return replies.empty() ? v1::TargetSummary() : replies.back().summary();
  }
};

class TargetChecksTest : public xmppfed::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    for (const char* identity : {"a.com", "b.com", "c.com", "d.com"}) {
      v1::Partner partner;
      partner.set_identity(identity);
      if (std::string(identity) == "a.com")
        partner.add_additional_domains("a.net");
      ASSERT_TRUE(store_->CreatePartner(partner, testing::TestAudit()).ok());
    }
  }

  // Runs the checks of `messages` (the last marked `last` unless
  // `abandon`); the first is the one Run is given.
  absl::Status Check(TargetChecks& checks,
                     std::vector<std::vector<v1::PartnerTarget>> messages,
                     Written& written, bool abandon = false) {
    std::deque<v1::PartnerTargetsRequest> requests;
    for (auto& targets : messages) {
      v1::PartnerTargetsRequest request;
      for (auto& target : targets) *request.add_targets() = target;
      requests.push_back(std::move(request));
    }
    if (!abandon) requests.back().set_last(true);
    v1::PartnerTargetsRequest first = std::move(requests.front());
    requests.pop_front();
    return checks.Run(
        first,
        [&](v1::PartnerTargetsRequest* request) {
          if (requests.empty()) return false;
          *request = std::move(requests.front());
          requests.pop_front();
          return true;
        },
        [&](const v1::PartnerTargetsReply& reply) {
          std::lock_guard<std::mutex> lock(written.mutex);
          written.replies.push_back(reply);
          return true;
        },
        [] {});
  }
};

TEST_F(TargetChecksTest, AtMostTheConcurrencyRunsAndResultsKeepInputOrder) {
  GatedTester tester;
  TargetChecks checks(&tester, store_.get(), absl::Seconds(20),
                      /*concurrency=*/2);
  Written written;
  absl::Status status;
  std::thread run([&] {
    status = Check(checks,
                   {{Target(1, "a.com"), Target(2, "b.com")},
                    {Target(3, "c.com"), Target(4, "d.com")}},
                   written);
  });
  EXPECT_THAT(tester.WaitFor(2), ElementsAre("a.com", "b.com"));
  tester.Finish("b.com");
  // b's slot is free for c; b's result waits for a's.
  EXPECT_THAT(tester.WaitFor(2), ElementsAre("a.com", "c.com"));
  EXPECT_TRUE(written.Lines().empty());
  tester.Finish("a.com", "auth");
  EXPECT_THAT(tester.WaitFor(2), ElementsAre("c.com", "d.com"));
  tester.Finish("d.com");
  tester.Finish("c.com");
  run.join();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(
      written.Lines(),
      ElementsAre("a.com TARGET_STATUS_FAILED auth failed: the peer "
                  "said no",
                  "b.com TARGET_STATUS_PASSED", "c.com TARGET_STATUS_PASSED",
                  "d.com TARGET_STATUS_PASSED"));
  EXPECT_EQ(tester.most_waiting(), 2u);
  v1::TargetSummary summary = written.Summary();
  EXPECT_EQ(summary.passed(), 3u);
  EXPECT_EQ(summary.failed(), 1u);
}

TEST_F(TargetChecksTest, TargetsWithoutAPartnerGetTheirResultWithoutACheck) {
  GatedTester tester(/*auto_pass=*/true);
  TargetChecks checks(&tester, store_.get(), absl::Seconds(20));
  Written written;
  v1::PartnerTarget unreadable = Target(3, "");
  unreadable.set_input_error("invalid JSON at column 1: oops");
  absl::Status status =
      Check(checks,
            {{Target(1, "nope.com"), Target(2, "bad..com"), unreadable},
             {Target(4, "A.NET")}},
            written);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(
      written.Lines(),
      ElementsAre(
          "nope.com TARGET_STATUS_NOT_FOUND identity=nope.com: no partner has "
          "this domain",
          ::testing::StartsWith("bad..com TARGET_STATUS_REFUSED identity="),
          " TARGET_STATUS_REFUSED invalid JSON at column 1: oops",
          "a.net TARGET_STATUS_PASSED"));
  EXPECT_THAT(tester.tested(), ElementsAre("a.com a.net"));
  v1::TargetSummary summary = written.Summary();
  EXPECT_EQ(summary.not_found(), 1u);
  EXPECT_EQ(summary.refused(), 2u);
  EXPECT_EQ(summary.passed(), 1u);
}

TEST_F(TargetChecksTest, AStreamThatEndsWithoutItsLastMessageIsCancelled) {
  GatedTester tester(/*auto_pass=*/true);
  TargetChecks checks(&tester, store_.get(), absl::Seconds(20));
  Written written;
  absl::Status status = Check(checks, {{Target(1, "a.com")}, {}}, written,
                              /*abandon=*/true);
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled) << status;
  EXPECT_THAT(written.Lines(), ElementsAre("a.com TARGET_STATUS_PASSED"));
}

}  // namespace
}  // namespace xmppfed::rpc
