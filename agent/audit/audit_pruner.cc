#include "agent/audit/audit_pruner.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/runtime/log.h"

namespace xmppfed::audit {

AuditPruner::AuditPruner(store::Store* store, RetentionDays retention_days,
                         Options options)
    : store_(store),
      retention_days_(std::move(retention_days)),
      options_(options) {}

AuditPruner::~AuditPruner() { Stop(); }

void AuditPruner::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditPruner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool AuditPruner::Stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

absl::StatusOr<uint64_t> AuditPruner::PruneOnce() {
  absl::StatusOr<uint32_t> days = retention_days_();
  if (!days.ok()) return days.status();
  absl::Time cutoff = absl::Now() - absl::Hours(24) * static_cast<int>(*days);
  uint64_t total = 0;
  while (!Stopping()) {
    absl::StatusOr<uint64_t> removed =
        store_->PruneAuditEntries(cutoff, options_.batch);
    if (!removed.ok()) return removed.status();
    total += *removed;
    if (*removed < options_.batch) break;
  }
  if (total > 0) {
    runtime::LogInfo("audit.pruned",
                     absl::StrCat("count=", total, " retentionDays=", *days));
  }
  return total;
}

void AuditPruner::Run() {
  while (true) {
    if (absl::StatusOr<uint64_t> pruned = PruneOnce(); !pruned.ok()) {
      runtime::LogError(
          "audit.prune.failed",
          absl::StrCat("error=\"", pruned.status().message(), "\""));
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.interval),
                       [this] { return stopping_; })) {
      return;
    }
  }
}

}  // namespace xmppfed::audit
