#include "agent/snapshot/policy_keeper.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/runtime/log.h"

namespace xmppfed::snapshot {
namespace {

constexpr absl::Duration kRetryEvery = absl::Seconds(1);

}  // namespace

absl::StatusOr<std::unique_ptr<PolicyKeeper>> PolicyKeeper::Start(
    store::Store* store, std::vector<std::string> local_domains) {
  std::unique_ptr<PolicyKeeper> keeper(
      new PolicyKeeper(store, std::move(local_domains)));
  // Listening first: a change committed during the read is applied after
  // it (OnChange waits for the read; patches are idempotent), never lost.
  // The listener is set and removed without the keeper's lock: a store may
  // wait for a running notice (etcd does), and that notice may be waiting
  // for the lock.
  PolicyKeeper* raw = keeper.get();
  store->SetChangeListener(
      [raw](const store::StoreChange& change) { raw->OnChange(change); });
  absl::Status read;
  {
    absl::MutexLock lock(&raw->mutex_);
    read = raw->Reload();
    if (read.ok()) {
      raw->loaded_ = true;
    } else {
      raw->stopping_ = true;  // a notice waiting for the read returns
    }
  }
  if (!read.ok()) {
    store->SetChangeListener(nullptr);
    return read;
  }
  if (absl::Status loaded = keeper->LoadInvitations(); !loaded.ok()) {
    store->SetChangeListener(nullptr);
    return loaded;
  }
  keeper->publisher_.SetInvitationSink(
      [writer = &keeper->writer_](std::string_view local,
                                  std::string_view remote) {
        writer->Enqueue(local, remote);
      });
  keeper->retry_thread_ =
      std::thread([raw = keeper.get()] { raw->RetryReloads(); });
  return keeper;
}

PolicyKeeper::PolicyKeeper(store::Store* store,
                           std::vector<std::string> local_domains)
    : store_(store),
      local_domains_(local_domains),
      publisher_(
          std::make_shared<const PolicySnapshot>(std::move(local_domains))),
      writer_(store) {}

PolicyKeeper::~PolicyKeeper() {
  store_->SetChangeListener(nullptr);
  publisher_.SetInvitationSink(nullptr);
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (retry_thread_.joinable()) retry_thread_.join();
}

absl::Status PolicyKeeper::LoadInvitations() {
  InvitationBook& book = publisher_.invitations();
  return store_->ForEachInvitation([&](const store::Invitation& invitation) {
    book.Add(invitation.local_jid, invitation.remote_jid);
    return true;
  });
}

absl::Status PolicyKeeper::ReadGateway(PolicySnapshot* next) {
  absl::StatusOr<std::optional<v1::GatewayConfig>> config =
      store_->GetGatewayConfig();
  if (!config.ok()) return config.status();
  absl::StatusOr<std::string> secret = store_->GetDialbackPassphrase();
  if (!secret.ok()) return secret.status();
  next->SetGateway(config->value_or(v1::GatewayConfig()), *std::move(secret));
  return absl::OkStatus();
}

absl::Status PolicyKeeper::Reload() {
  absl::Time started = absl::Now();
  auto next = std::make_shared<PolicySnapshot>(local_domains_);
  absl::Status read = ReadGateway(next.get());
  if (read.ok()) {
    read = store_->ForEachPartner("", [&](const v1::Partner& partner) {
      next->UpsertPartner(partner);
      return true;
    });
  }
  if (!read.ok()) {
    reload_needed_ = true;
    runtime::LogError(
        "policy.read_failed",
        absl::StrCat("error=\"", read.message(),
                     "\" action=\"the last policy stays in force; retrying\""));
    return read;
  }
  reload_needed_ = false;
  next->set_revision(revision_);
  size_t partners = next->partners().partner_count();
  size_t domains = next->partners().domain_count();
  publisher_.Publish(std::move(next));
  runtime::LogInfo(
      "policy.loaded",
      absl::StrCat("partners=", partners, " domains=", domains, " took_ms=",
                   absl::ToInt64Milliseconds(absl::Now() - started)));
  return absl::OkStatus();
}

void PolicyKeeper::OnChange(const store::StoreChange& change) {
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(this, &PolicyKeeper::LoadedOrStopping));
  if (stopping_) return;
  revision_ = std::max(revision_, change.revision);
  InvitationBook& book = publisher_.invitations();
  for (const store::Invitation& invitation : change.invitations) {
    book.Add(invitation.local_jid, invitation.remote_jid);
  }
  if (change.reload_all || reload_needed_) {
    Reload().IgnoreError();  // logged; retried
    return;
  }
  if (change.upserted.empty() && change.removed.empty() &&
      !change.gateway_changed) {
    return;
  }
  absl::Time started = absl::Now();
  auto next = std::make_shared<PolicySnapshot>(*publisher_.Current());
  for (const std::string& identity : change.removed) {
    next->RemovePartner(identity);
  }
  for (const v1::Partner& partner : change.upserted) {
    next->UpsertPartner(partner);
  }
  if (change.gateway_changed) {
    if (absl::Status read = ReadGateway(next.get()); !read.ok()) {
      // The partners of the change apply now; the settings with the retry.
      reload_needed_ = true;
      runtime::LogError(
          "policy.read_failed",
          absl::StrCat("error=\"", read.message(),
                       "\" action=\"the last gateway settings stay in force; "
                       "retrying\""));
    }
  }
  next->set_revision(revision_);
  publisher_.Publish(std::move(next));
  runtime::LogInfo(
      "policy.patched",
      absl::StrCat(
          "revision=", revision_, " upserted=", change.upserted.size(),
          " removed=", change.removed.size(),
          change.gateway_changed ? " gateway=changed" : "",
          " took_us=", absl::ToInt64Microseconds(absl::Now() - started)));
}

void PolicyKeeper::RetryReloads() {
  absl::MutexLock lock(&mutex_);
  while (!stopping_) {
    mutex_.Await(absl::Condition(this, &PolicyKeeper::StoppingOrReloadNeeded));
    if (stopping_) return;
    mutex_.AwaitWithTimeout(absl::Condition(&stopping_), kRetryEvery);
    if (stopping_) return;
    if (reload_needed_) Reload().IgnoreError();  // logged
  }
}

}  // namespace xmppfed::snapshot
