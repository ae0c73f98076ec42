#include "agent/snapshot/invitation_writer.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/runtime/log.h"

namespace xmppfed::snapshot {
namespace {

constexpr std::chrono::seconds kRetryAfter(1);

}  // namespace

InvitationWriter::InvitationWriter(store::Store* store)
    : store_(store), thread_([this] { Run(); }) {}

InvitationWriter::~InvitationWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void InvitationWriter::Enqueue(std::string_view local_jid,
                               std::string_view remote_jid) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_.size() >= kMaxPending) {
      runtime::LogError(
          "invitations.dropped",
          absl::StrCat("local=", std::string(local_jid), " remote=",
                       std::string(remote_jid), " reason=\"", kMaxPending,
                       " invitations wait for the store; this one is kept "
                       "in memory only\""));
      return;
    }
    pending_.push_back(
        store::Invitation{std::string(local_jid), std::string(remote_jid)});
    ++enqueued_;
  }
  wake_.notify_all();
}

void InvitationWriter::Flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  uint64_t target = enqueued_;
  uint64_t failures = failed_attempts_;
  progressed_.wait(
      lock, [&] { return settled_ >= target || failed_attempts_ > failures; });
}

bool InvitationWriter::Store(const std::vector<store::Invitation>& batch) {
  absl::Status stored = store_->RecordInvitations(batch);
  if (!stored.ok()) {
    runtime::LogError("invitations.store_failed",
                      absl::StrCat("count=", batch.size(), " error=\"",
                                   stored.message(), "\""));
    return false;
  }
  runtime::LogInfo("invitations.stored", absl::StrCat("count=", batch.size()));
  return true;
}

void InvitationWriter::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, nothing left
    if (!stopping_ && pending_.size() < kMaxBatch) {
      // Gather what the next few milliseconds bring: one commit for all.
      wake_.wait_for(lock, absl::ToChronoMilliseconds(kGatherDelay),
                     [&] { return stopping_ || pending_.size() >= kMaxBatch; });
    }
    size_t take = std::min(pending_.size(), kMaxBatch);
    std::vector<store::Invitation> batch(
        std::make_move_iterator(pending_.begin()),
        std::make_move_iterator(pending_.begin() + take));
    pending_.erase(pending_.begin(), pending_.begin() + take);
    bool stopping = stopping_;
    lock.unlock();
    bool stored = Store(batch);
    lock.lock();
    if (stored) {
      settled_ += batch.size();
      progressed_.notify_all();
      continue;
    }
    if (stopping) {
      // Shutting down with the store failing: what is left stays unstored.
      settled_ += batch.size() + pending_.size();
      runtime::LogError(
          "invitations.lost",
          absl::StrCat("count=", batch.size() + pending_.size(),
                       " reason=\"the store refused them at shutdown\""));
      pending_.clear();
      progressed_.notify_all();
      return;
    }
    // Back at the front, in order, and tried again after a pause.
    pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()),
                    std::make_move_iterator(batch.end()));
    ++failed_attempts_;
    progressed_.notify_all();
    wake_.wait_for(lock, kRetryAfter, [&] { return stopping_; });
  }
}

}  // namespace xmppfed::snapshot
