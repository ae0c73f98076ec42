#include "agent/store/store_copy.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"

namespace xmppfed::store {
namespace {

using ::google::protobuf::util::MessageDifferencer;

// Partners read from FROM before they are written to TO.
constexpr size_t kPartnersPerBatch = 1000;
constexpr size_t kInvitationsPerBatch = 1000;
// A batch whose transaction keeps losing races with another writer of TO.
constexpr int kMaxAttempts = 5;

absl::Status NotAnEmptyTarget(const std::string& identity,
                              std::string_view how) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the target store already holds partner ", identity, ", which ",
      absl::string_view(how.data(), how.size()), ": copy into an empty store"));
}

// TO may already hold partners only as FROM holds them.
absl::Status CheckTarget(Store& from, Store& to) {
  absl::Status mismatch = absl::OkStatus();
  absl::Status listed = to.ForEachPartner("", [&](const v1::Partner& held) {
    absl::StatusOr<std::optional<v1::Partner>> source =
        from.GetPartner(held.identity());
    if (!source.ok()) {
      mismatch = source.status();
    } else if (!source->has_value()) {
      mismatch = NotAnEmptyTarget(held.identity(), "the source does not hold");
    } else if (!MessageDifferencer::Equals(**source, held)) {
      mismatch =
          NotAnEmptyTarget(held.identity(), "the source holds differently");
    }
    return mismatch.ok();
  });
  if (!listed.ok()) return listed;
  return mismatch;
}

// Writes `batch` into TO in as many transactions as it takes.
absl::Status CopyBatch(const std::vector<v1::Partner>& batch, Store& to,
                       CopyReport* report) {
  size_t next = 0;
  int attempts = 0;
  while (next < batch.size()) {
    size_t done = 0;
    uint64_t copied = 0;
    uint64_t present = 0;
    absl::Status run = to.RunPartnerTransaction(
        [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
          for (size_t i = next; i < batch.size(); ++i) {
            const v1::Partner& partner = batch[i];
            absl::StatusOr<std::optional<v1::Partner>> held =
                txn.GetPartner(partner.identity());
            if (!held.ok()) return held.status();
            if (held->has_value()) {
              if (!MessageDifferencer::Equals(**held, partner)) {
                return NotAnEmptyTarget(partner.identity(),
                                        "the source holds differently");
              }
              ++present;
            } else {
              absl::StatusOr<v1::Partner> restored =
                  txn.RestorePartner(partner);
              if (!restored.ok()) {
                // The transaction is full: commit it, go on in another.
                if (restored.status().code() ==
                        absl::StatusCode::kResourceExhausted &&
                    done > 0) {
                  break;
                }
                return restored.status();
              }
              ++copied;
            }
            ++done;
          }
          return TransactionEnd::kCommit;
        });
    if (run.code() == absl::StatusCode::kAborted && ++attempts < kMaxAttempts) {
      continue;  // another writer of TO won a race: this part again
    }
    if (!run.ok()) return run;
    attempts = 0;
    next += done;
    report->partners_copied += copied;
    report->partners_present += present;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CopyReport> CopyStore(Store& from, Store& to) {
  CopyReport report;
  if (absl::Status target = CheckTarget(from, to); !target.ok()) return target;

  std::vector<v1::Partner> batch;
  absl::Status written = absl::OkStatus();
  absl::Status read = from.ForEachPartner("", [&](const v1::Partner& partner) {
    batch.push_back(partner);
    if (batch.size() < kPartnersPerBatch) return true;
    written = CopyBatch(batch, to, &report);
    batch.clear();
    return written.ok();
  });
  if (!read.ok()) return read;
  if (!written.ok()) return written;
  if (absl::Status last = CopyBatch(batch, to, &report); !last.ok()) {
    return last;
  }

  absl::StatusOr<std::optional<v1::GatewayConfig>> config =
      from.GetGatewayConfig();
  if (!config.ok()) return config.status();
  absl::StatusOr<std::string> passphrase = from.GetDialbackPassphrase();
  if (!passphrase.ok()) return passphrase.status();
  if (absl::Status settings = to.RestoreSettings(*config, *passphrase);
      !settings.ok()) {
    return settings;
  }
  report.gateway_settings = config->has_value();

  std::vector<Invitation> invitations;
  written = absl::OkStatus();
  read = from.ForEachInvitation([&](const Invitation& invitation) {
    invitations.push_back(invitation);
    ++report.invitations;
    if (invitations.size() < kInvitationsPerBatch) return true;
    written = to.RecordInvitations(invitations);
    invitations.clear();
    return written.ok();
  });
  if (!read.ok()) return read;
  if (!written.ok()) return written;
  if (absl::Status last = to.RecordInvitations(invitations); !last.ok()) {
    return last;
  }
  return report;
}

}  // namespace xmppfed::store
