// Partner rows of the SQLite store: the building blocks of every partner
// operation, usable inside a transaction the caller already opened. A single
// change wraps one of them in its own transaction; a bulk import can run
// thousands of them in one (all or nothing), and since every refusal
// (ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT) is
// detected before anything is written, a refused record leaves the
// transaction exactly as it was, so a best-effort import can go on with the
// next record. Any other error (I/O) means the transaction must be abandoned.
#ifndef XMPPFED_AGENT_STORE_SQLITE_PARTNERS_H_
#define XMPPFED_AGENT_STORE_SQLITE_PARTNERS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/sqlite_connection.h"
#include "google/protobuf/timestamp.pb.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store::sqlite {

// The current time in microseconds since the Unix epoch, the precision of
// every stored timestamp.
int64_t NowMicros();
void SetTimestamp(int64_t micros, google::protobuf::Timestamp* timestamp);

// Reads: any connection, inside a transaction or not.
absl::StatusOr<std::optional<v1::Partner>> ReadPartner(
    Connection* conn, std::string_view identity);
absl::StatusOr<std::optional<std::string>> ReadDomainOwner(
    Connection* conn, std::string_view domain);
// Partners whose identity matches `glob` (empty: all), in identity order,
// read row by row from one statement (one snapshot).
absl::Status ReadPartners(Connection* conn, std::string_view glob,
                          const std::function<bool(const v1::Partner&)>& visit);
absl::StatusOr<uint64_t> CountPartnerRows(Connection* conn);

// Writes: inside a write transaction on `conn`. Each returns the partner as
// stored (additional domains sorted, bookkeeping fields set).
absl::StatusOr<v1::Partner> InsertPartner(Connection* conn,
                                          const v1::Partner& partner,
                                          int64_t now_us);
absl::StatusOr<v1::Partner> ReplacePartner(
    Connection* conn, const v1::Partner& partner,
    std::optional<uint64_t> expected_revision, int64_t now_us);
// Removes the partner and (by cascade) its domains; NOT_FOUND if absent.
absl::Status DeletePartner(Connection* conn, std::string_view identity);
// The same, returning the partner as it was.
absl::StatusOr<v1::Partner> TakePartner(Connection* conn,
                                        std::string_view identity);

// NOT_FOUND for `identity`, with the detail the store's contract names.
absl::Status PartnerNotFound(std::string_view identity);

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_PARTNERS_H_
