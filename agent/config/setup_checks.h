// A setup that cannot work, told at start (and after a reload) as warnings
// in the log rather than found out from a partner's failed stream. The agent
// still starts: it must, to be managed. A component listener without a
// secret is worse (any process could act as the internal gateway), so
// ParseAgentOptions refuses it outright.
#ifndef XMPPFED_AGENT_CONFIG_SETUP_CHECKS_H_
#define XMPPFED_AGENT_CONFIG_SETUP_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "agent/config/agent_options.h"

namespace xmppfed::config {

// What the store holds that the checks need.
struct StoredPartnerFacts {
  // Partners whose tlsNegotiation is Required, and the first few of them.
  std::uint64_t tls_required = 0;
  std::vector<std::string> tls_required_examples;
};

inline constexpr std::size_t kSetupExamples = 3;

// Each warning is one sentence naming what is missing and its option.
std::vector<std::string> SetupWarnings(const AgentOptions& options,
                                       const StoredPartnerFacts& partners);

}  // namespace xmppfed::config

#endif  // XMPPFED_AGENT_CONFIG_SETUP_CHECKS_H_
