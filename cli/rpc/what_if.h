// The human description of a change, for --what-if and confirmation
// prompts: `description "" -> "new"; tlsNegotiation Required -> Optional`.
#ifndef XMPPFED_CLI_RPC_WHAT_IF_H_
#define XMPPFED_CLI_RPC_WHAT_IF_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output/record.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// One "key old -> new" per key in `keys` whose value differs, joined by
// "; ". Strings of `quoted_keys` are shown in JSON quotes (free text, where
// "" must be visible), other strings bare (enum spellings, numbers); lists
// as [a, b]. "" when nothing differs.
std::string DescribeChanges(const Record& before, const Record& after,
                            std::span<const std::string_view> keys,
                            std::span<const std::string_view> quoted_keys);

// The writable partner fields that would change, as records {"field",
// "old", "new"} with the values typed as in PartnerRecord; `before` null
// (a partner to be created) gives every field, without "old".
Records PartnerChangeRecords(const v1::Partner* before,
                             const v1::Partner& after);

// The same as text: "description "" -> "x"; enableKeepAlive true -> false",
// or for a new partner "description "x"; partnerType Federated; ...".
std::string DescribePartnerChanges(const v1::Partner* before,
                                   const v1::Partner& after);

// The writable partner fields that differ ("" when none).
std::string DescribePartnerChange(const v1::Partner& before,
                                  const v1::Partner& after);

// The gateway settings that differ ("" when none); the passphrase is never
// shown, only that it changes.
std::string DescribeGatewayChange(const v1::GatewayConfigChange& change);

// At most this many names in a confirmation question or a note.
inline constexpr std::size_t kNamesShown = 10;

// The first kNamesShown of `total` names, "a, b and 3 more" (`names` may
// hold only the first kNamesShown; `total` 0 means names.size()).
std::string NameList(const std::vector<std::string>& names,
                     std::size_t total = 0);

// "1 partner", "2 partners".
std::string PartnerCount(std::size_t count);

// A live session as remove-session names it: "5 (Inbound fabrikam.com)";
// "5 (Inbound)" while its remote domain is not known yet.
std::string DescribeSession(const v1::Session& session);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_WHAT_IF_H_
