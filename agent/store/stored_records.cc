#include "agent/store/stored_records.h"

#include <openssl/rand.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "agent/errors/field_error.h"

namespace xmppfed::store {
namespace {

absl::string_view View(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

void SetTimestamp(int64_t micros, google::protobuf::Timestamp* timestamp) {
  // Floor division: nanos must be in [0, 1e9) even before 1970.
  int64_t seconds = micros / 1'000'000;
  int64_t rest = micros % 1'000'000;
  if (rest < 0) {
    rest += 1'000'000;
    --seconds;
  }
  timestamp->set_seconds(seconds);
  timestamp->set_nanos(static_cast<int32_t>(rest * 1'000));
}

int64_t MicrosOf(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1'000'000 + timestamp.nanos() / 1'000;
}

v1::Partner StoredForm(const v1::Partner& partner, uint64_t revision,
                       int64_t created_us, int64_t modified_us) {
  v1::Partner stored = partner;
  std::sort(stored.mutable_additional_domains()->begin(),
            stored.mutable_additional_domains()->end());
  stored.set_revision(revision);
  SetTimestamp(created_us, stored.mutable_created_at());
  SetTimestamp(modified_us, stored.mutable_modified_at());
  return stored;
}

absl::Status CheckOwnDomains(const v1::Partner& partner) {
  // Views of the partner's own strings, inserted as explicit string_views:
  // given the std::string itself, absl kept a view of a temporary copy
  // (caught by ASan).
  absl::flat_hash_set<std::string_view> seen = {
      std::string_view(partner.identity())};
  for (const std::string& domain : partner.additional_domains()) {
    if (!seen.insert(std::string_view(domain)).second) {
      return errors::InvalidField("additionalDomains", domain,
                                  domain == partner.identity()
                                      ? "is the partner's identity"
                                      : "is listed more than once");
    }
  }
  return absl::OkStatus();
}

absl::Status DomainTaken(std::string_view field, std::string_view domain,
                         std::string_view owner) {
  std::string rule =
      owner == domain
          ? "is already a partner"
          : absl::StrCat("already belongs to partner ", View(owner));
  return errors::FieldError(
      absl::StatusCode::kAlreadyExists, field, domain, rule,
      absl::StrCat(View(field), "=", View(domain), ": ", rule), owner);
}

absl::Status PartnerNotFound(std::string_view identity) {
  constexpr char kRule[] = "no partner has this identity";
  return errors::FieldError(
      absl::StatusCode::kNotFound, "identity", identity, kRule,
      absl::StrCat("identity=", View(identity), ": ", kRule));
}

absl::Status StaleRevision(std::string_view what, uint64_t expected,
                           uint64_t stored) {
  std::string rule = absl::StrCat(View(what), " is at revision ", stored,
                                  "; it changed since it was read");
  return errors::FieldError(absl::StatusCode::kFailedPrecondition, "revision",
                            absl::StrCat(expected), rule,
                            absl::StrCat("revision=", expected, ": ", rule));
}

absl::StatusOr<std::string> RandomPassphrase() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError(
        "cannot generate the dialback passphrase: OpenSSL RAND_bytes failed");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace xmppfed::store
