// The domains authenticated on one inbound stream (RFC 6120 §6, XEP-0220
// §2), each with the partner that owns it and how it was proved: SASL
// EXTERNAL authenticates the stream header's `from`, dialback may add more
// domains, of the same partner or of others. Every stanza is judged by the
// partner of its `from` domain, and a policy change re-judges every domain.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_AUTHENTICATED_DOMAINS_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_AUTHENTICATED_DOMAINS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/snapshot/policy_snapshot.h"

namespace xmppfed::edge {

enum class AuthMethod { kSaslExternal, kDialback };

class AuthenticatedDomains {
 public:
  struct Entry {
    snapshot::PartnerRef partner;
    AuthMethod method;
  };

  void Add(std::string domain, snapshot::PartnerRef partner, AuthMethod method);
  // nullptr when `domain` was not authenticated on this stream.
  const Entry* Find(std::string_view domain) const;
  bool empty() const { return domains_.empty(); }
  size_t size() const { return domains_.size(); }
  // The identities of the partners with a domain here, each once, sorted.
  std::vector<std::string> Partners() const;

  // Re-judges every domain by the partner that owns it in `policy` (which
  // may now be another partner, or none) and the method that proved it, on
  // a stream that is (or is not) secured by TLS. Each entry takes its
  // partner from `policy`. Returns why the stream may not go on, or nullopt
  // when every domain still may.
  std::optional<std::string> Recheck(const snapshot::PolicySnapshot& policy,
                                     bool tls_done);

 private:
  std::map<std::string, Entry, std::less<>> domains_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_AUTHENTICATED_DOMAINS_H_
