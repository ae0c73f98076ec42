#include "agent/config/setup_checks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace xmppfed::config {

std::vector<std::string> SetupWarnings(const AgentOptions& options,
                                       const StoredPartnerFacts& partners) {
  std::vector<std::string> warnings;
  if (options.local_domains.empty()) {
    warnings.push_back(
        "no local domain (--domain): the edge serves no domain, so every "
        "partner's stream is refused with host-unknown and test-partner has "
        "no domain to test from");
  }
  if (!options.s2s_listen.off && options.tls_credentials.empty() &&
      partners.tls_required > 0) {
    std::string examples = absl::StrJoin(partners.tls_required_examples, ", ");
    if (partners.tls_required > partners.tls_required_examples.size()) {
      absl::StrAppend(&examples, ", ...");
    }
    warnings.push_back(absl::StrCat(
        "the S2S listener (--s2s-listen ", options.s2s_listen.ToString(),
        ") has no certificate (--tls-cert, --tls-key), but ",
        partners.tls_required,
        partners.tls_required == 1 ? " partner requires" : " partners require",
        " TLS (tlsNegotiation Required: ", examples,
        "): no stream with them can be set up"));
  }
  return warnings;
}

}  // namespace xmppfed::config
