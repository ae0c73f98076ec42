// The partner rules that need state, shared by the single-partner use cases
// and the bulk import: they differ only in where they look domains up (the
// store's last commit, or an open transaction).
#ifndef XMPPFED_AGENT_SERVICE_PARTNER_CHECKS_H_
#define XMPPFED_AGENT_SERVICE_PARTNER_CHECKS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

// The identity of the partner owning a domain (as identity or additional
// domain), nullopt when it is free.
using DomainOwnerLookup =
    std::function<absl::StatusOr<std::optional<std::string>>(
        std::string_view domain)>;

// An identity as stored: normalised like any domain; wildcards refused with
// a hint to use --filter.
absl::StatusOr<std::string> NormalizeIdentity(std::string_view input);

// The partner a domain resolves to and the key that matched: `domain` itself
// when a partner owns it exactly, else the longest wildcard "*.SUFFIX" of a
// partner covering it.
struct CoveringOwner {
  std::string matched;
  std::string identity;
};
// Exact first, then the wildcards covering `domain` longest suffix first:
// one lookup per label. nullopt when no partner's domain covers it.
absl::StatusOr<std::optional<CoveringOwner>> FindCoveringOwner(
    std::string_view domain, const DomainOwnerLookup& find_owner);

// INVALID_ARGUMENT when the identity or an additional domain is one of
// `local_domains`, or a wildcard additional domain covers one of them.
absl::Status CheckNoLocalDomain(const v1::Partner& partner,
                                const std::vector<std::string>& local_domains);

// CheckNoLocalDomain, then ALREADY_EXISTS naming the owner when another
// partner owns one of the domains (the same error the store gives).
absl::Status CheckDomainsFree(const v1::Partner& partner,
                              const std::vector<std::string>& local_domains,
                              const DomainOwnerLookup& find_owner);

// NOT_FOUND for `identity`, saying so when it is another partner's
// additional domain or covered by one of its wildcards.
absl::Status PartnerNotFound(const std::string& identity,
                             const DomainOwnerLookup& find_owner);

// True when the two differ at most in the store's bookkeeping (revision,
// timestamps): writing one over the other would change nothing.
bool SameConfiguration(const v1::Partner& a, const v1::Partner& b);

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_CHECKS_H_
