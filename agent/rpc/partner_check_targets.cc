#include "agent/rpc/partner_check_targets.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/runtime/log.h"
#include "agent/service/batch_run.h"
#include "agent/service/partner_targets.h"
#include "agent/service/partner_writes.h"

namespace xmppfed::rpc {
namespace {

using Clock = std::chrono::steady_clock;

// One target from the moment it is started until its result is written.
struct Slot {
  v1::TargetResult result;
  std::vector<v1::TestPartnerStep> steps;
  // The edge's check is under way (not for a target refused at once).
  bool checking = false;
  bool done = false;
  Clock::time_point deadline;
};

}  // namespace

// Everything the reader thread and the edge's callbacks touch, under one
// mutex; shared, so a step the edge reports after Run gave up lands
// somewhere harmless.
struct TargetChecks::Shared {
  std::mutex mutex;
  std::condition_variable changed;
  // Targets read but not started; the reader adds one message's worth only
  // once this is empty.
  std::deque<v1::PartnerTarget> pending;
  bool input_ended = false;  // the `last` message was read
  bool input_lost = false;   // a read failed before it
  bool stopping = false;     // Run is ending; the reader must not wait
  // Started and not yet written, in input order; the first is target
  // number `first_number`.
  std::deque<Slot> slots;
  uint64_t first_number = 0;
  std::size_t checking = 0;

  Slot* Find(uint64_t number) {
    if (number < first_number || number - first_number >= slots.size()) {
      return nullptr;
    }
    return &slots[number - first_number];
  }

  void OnStep(uint64_t number, const v1::TestPartnerStep& step) {
    std::lock_guard<std::mutex> lock(mutex);
    Slot* slot = Find(number);
    if (slot == nullptr || slot->done) return;
    slot->steps.push_back(step);
    if (slot->steps.size() < std::size(kTestSteps)) return;
    FinishCheck(slot->steps, &slot->result);
    slot->steps.clear();
    slot->done = true;
    --checking;
    changed.notify_all();
  }
};

TargetChecks::TargetChecks(PartnerTester* tester, store::Store* store,
                           absl::Duration timeout, std::size_t concurrency,
                           std::size_t window)
    : tester_(tester),
      store_(store),
      timeout_(timeout),
      concurrency_(concurrency),
      window_(window) {}

absl::Status TargetChecks::Run(const v1::PartnerTargetsRequest& first,
                               const ReadRequest& read, const WriteReply& write,
                               const std::function<void()>& cancel_read) {
  auto shared = std::make_shared<Shared>();
  Shared& s = *shared;
  s.pending.assign(first.targets().begin(), first.targets().end());
  s.input_ended = first.last();
  std::thread reader;
  if (!first.last()) {
    reader = std::thread([&s, &read] {
      while (true) {
        v1::PartnerTargetsRequest request;
        bool received = read(&request);
        std::unique_lock<std::mutex> lock(s.mutex);
        if (!received) {
          s.input_lost = true;
          s.changed.notify_all();
          return;
        }
        for (v1::PartnerTarget& target : *request.mutable_targets()) {
          s.pending.push_back(std::move(target));
        }
        s.input_ended = request.last();
        s.changed.notify_all();
        if (s.input_ended) return;
        s.changed.wait(lock, [&] { return s.pending.empty() || s.stopping; });
        if (s.stopping) return;
      }
    });
  }

  v1::TargetSummary summary;
  std::unique_lock<std::mutex> lock(s.mutex);
  // Ends the run (with the lock held): the reader stops, the log says how.
  auto end = [&](const absl::Status& status) {
    s.stopping = true;
    s.changed.notify_all();
    lock.unlock();
    if (reader.joinable()) {
      if (!status.ok()) cancel_read();
      reader.join();
    }
    runtime::LogInfo(
        "partners.tested",
        absl::StrCat("passed=", summary.passed(), " failed=", summary.failed(),
                     " not_found=", summary.not_found(),
                     " refused=", summary.refused(),
                     status.ok() ? "" : " error=", status.message()));
  };
  auto can_start = [&] {
    return !s.pending.empty() && s.checking < concurrency_ &&
           s.slots.size() < window_;
  };
  const absl::Duration limit = timeout_ + kReportSlack;
  uint64_t next_number = 0;

  while (true) {
    while (can_start()) {
      v1::PartnerTarget target = std::move(s.pending.front());
      s.pending.pop_front();
      if (s.pending.empty()) s.changed.notify_all();  // the reader may go on
      uint64_t number = next_number++;
      s.slots.emplace_back();
      lock.unlock();
      v1::TargetResult result;
      std::optional<v1::Partner> partner;
      absl::Status failure;
      if (service::StartTarget(target, &result)) {
        absl::StatusOr<v1::Partner> owner =
            PartnerOwning(*store_, result.identity());
        if (owner.ok()) {
          partner = *std::move(owner);
        } else if (service::IsRefusal(owner.status())) {
          service::RefuseTarget(owner.status(), &result);
        } else {
          failure = owner.status();
        }
      }
      std::string domain = result.identity();
      lock.lock();
      if (!failure.ok()) {
        end(failure);
        return failure;
      }
      Slot& slot = *s.Find(number);
      slot.result = std::move(result);
      if (!partner) {
        slot.done = true;
        continue;
      }
      slot.checking = true;
      slot.deadline = Clock::now() + absl::ToChronoNanoseconds(limit);
      ++s.checking;
      lock.unlock();
      tester_->Test(*partner, domain, timeout_,
                    [shared, number](const v1::TestPartnerStep& step) {
                      shared->OnStep(number, step);
                    });
      lock.lock();
    }

    // A check the edge did not finish in time fails on its own.
    Clock::time_point now = Clock::now();
    std::optional<Clock::time_point> next_deadline;
    for (Slot& slot : s.slots) {
      if (!slot.checking || slot.done) continue;
      if (slot.deadline <= now) {
        slot.result.set_status(v1::TARGET_STATUS_FAILED);
        slot.result.set_error("the edge did not finish the check in time");
        slot.done = true;
        --s.checking;
      } else if (!next_deadline || slot.deadline < *next_deadline) {
        next_deadline = slot.deadline;
      }
    }

    v1::PartnerTargetsReply reply;
    while (!s.slots.empty() && s.slots.front().done) {
      service::CountTarget(s.slots.front().result.status(), &summary);
      *reply.add_results() = std::move(s.slots.front().result);
      s.slots.pop_front();
      ++s.first_number;
    }
    if (reply.results_size() > 0) {
      lock.unlock();
      bool sent = write(reply);
      lock.lock();
      if (!sent) {
        end(service::ClientGone());
        return service::ClientGone();
      }
      continue;
    }
    if (s.input_lost) {
      end(service::ClientGone());
      return service::ClientGone();
    }
    if (s.input_ended && s.pending.empty() && s.slots.empty()) break;

    auto progress = [&] {
      return can_start() || (!s.slots.empty() && s.slots.front().done) ||
             s.input_lost ||
             (s.input_ended && s.pending.empty() && s.slots.empty());
    };
    if (next_deadline) {
      s.changed.wait_until(lock, *next_deadline, progress);
    } else {
      s.changed.wait(lock, progress);
    }
  }

  end(absl::OkStatus());
  return service::SendSummary(summary, write);
}

}  // namespace xmppfed::rpc
