// Copying a whole store into another (xmppfed-agent --copy-store FROM TO),
// e.g. SQLite into etcd when an edge becomes a pool, and back: every
// partner as stored (revision and timestamps included), the gateway
// settings, the dialback passphrase (so dialback keys stay valid) and the
// invitations.
//
// Not the audit log: it records what was done to FROM, and stays there
// (readable by an agent on FROM); TO's log starts with the changes made to
// TO. Copying it would give its entries new ids in TO's order and, for a
// copy run again, append them twice. The copy itself writes no entry.
//
// TO must be empty, or hold only partners that FROM holds identically (a
// copy that stopped half way is run again and goes on): anything else is
// refused before a write. Partners go in as many transactions as TO needs
// (etcd's limits), each all or nothing; the settings in one; invitations
// in batches. The copy reads FROM while it runs: stop the agents writing
// to it first (an SQLite store cannot be opened while its agent runs).
#ifndef XMPPFED_AGENT_STORE_STORE_COPY_H_
#define XMPPFED_AGENT_STORE_STORE_COPY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "agent/store/store.h"

namespace xmppfed::store {

struct CopyReport {
  uint64_t partners_copied = 0;
  // Already in TO, identical (a copy run again).
  uint64_t partners_present = 0;
  uint64_t invitations = 0;
  bool gateway_settings = false;  // FROM had gateway settings stored
};

absl::StatusOr<CopyReport> CopyStore(Store& from, Store& to);

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_STORE_COPY_H_
