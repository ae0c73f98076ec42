// What every store backend does the same way: the stored form of a partner
// (domains sorted, bookkeeping set), timestamps at microsecond precision,
// the random dialback passphrase, and the refusals of the Store contract
// (store.h) with their ErrorDetail, so that SQLite and etcd refuse alike.
#ifndef XMPPFED_AGENT_STORE_STORED_RECORDS_H_
#define XMPPFED_AGENT_STORE_STORED_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store {

// The current time in microseconds since the Unix epoch, the precision of
// every stored timestamp.
int64_t NowMicros();
void SetTimestamp(int64_t micros, google::protobuf::Timestamp* timestamp);
int64_t MicrosOf(const google::protobuf::Timestamp& timestamp);

// `partner` with its additional domains sorted and the bookkeeping given.
v1::Partner StoredForm(const v1::Partner& partner, uint64_t revision,
                       int64_t created_us, int64_t modified_us);

// INVALID_ARGUMENT (field "additionalDomains") when the partner's own list
// names a domain twice or names its identity.
absl::Status CheckOwnDomains(const v1::Partner& partner);

// ALREADY_EXISTS: `domain` (in `field`, "identity" or "additionalDomains")
// belongs to `owner`.
absl::Status DomainTaken(std::string_view field, std::string_view domain,
                         std::string_view owner);

// NOT_FOUND (field "identity").
absl::Status PartnerNotFound(std::string_view identity);

// FAILED_PRECONDITION (field "revision"): `what` ("the partner", "the
// gateway configuration") is at `stored`, not at `expected`.
absl::Status StaleRevision(std::string_view what, uint64_t expected,
                           uint64_t stored);

// 32 bytes of OpenSSL RAND_bytes, hex-encoded.
absl::StatusOr<std::string> RandomPassphrase();

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_STORED_RECORDS_H_
