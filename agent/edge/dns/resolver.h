// Where to connect for a partner domain (RFC 6120 §3.2, XEP-0368), without
// blocking the caller: SRV for _xmpp-server._tcp (and _xmpps-server._tcp),
// then A and AAAA of each target.
//
// Threading contract: Resolve* may be called from any thread. `done` is
// called exactly once, ON THE RESOLVER'S WORKER THREAD, never from inside
// Resolve* itself; the caller (an edge event loop) posts the result to its
// own thread. Destroying the Resolver answers every outstanding request with
// Cancelled, on the worker, before the destructor returns; so `done` must be
// safe to run while its owner is being torn down (posting to a loop that is
// still alive, or checking a liveness token, are both fine).
#ifndef XMPPFED_AGENT_EDGE_DNS_RESOLVER_H_
#define XMPPFED_AGENT_EDGE_DNS_RESOLVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmppfed::edge::dns {

// RFC 6120 §3.2.2: the port of the A/AAAA fallback.
inline constexpr uint16_t kDefaultServerPort = 5269;

struct ResolverOptions {
  // DNS servers to ask, as "ip:port" ("[ipv6]:port" for IPv6). Empty: those
  // of /etc/resolv.conf. Tests point this at a server on loopback.
  std::vector<std::string> servers;
  // Upper bound from a Resolve* call to its `done`, for the whole lookup
  // (SRV and addresses): past it `done` gets DeadlineExceeded.
  std::chrono::milliseconds timeout{10'000};
};

// One address to connect to.
struct Address {
  std::string ip;  // Numeric, "192.0.2.1" or "2001:db8::1" (no brackets).
  uint16_t port = 0;
  std::string host;  // The SRV target, or the domain/host looked up; for logs.
  // An _xmpps-server._tcp target (XEP-0368): TLS from the first byte.
  bool direct_tls = false;

  friend bool operator==(const Address&, const Address&) = default;
};

class Resolver {
 public:
  using Callback = std::function<void(absl::StatusOr<std::vector<Address>>)>;

  // Starts the worker thread. A bad server list does not fail here: every
  // request is then answered with InvalidArgument saying why.
  explicit Resolver(ResolverOptions options);
  // Stops the worker; outstanding requests get Cancelled (see above).
  ~Resolver();

  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Which SRV services ResolveServer asks for.
  enum class Services {
    kStartTlsOnly,  // _xmpp-server._tcp alone
    kWithDirectTls  // and _xmpps-server._tcp (XEP-0368), merged
  };

  // The addresses of `domain`'s XMPP server-to-server service, in the order
  // to try them: the SRV targets of _xmpp-server._tcp.<domain> (with
  // kWithDirectTls merged with those of _xmpps-server._tcp.<domain>, their
  // addresses marked direct_tls: MergeServiceRecords in srv_order.h) in
  // RFC 2782 order, each target's IPv6 and IPv4 addresses together in
  // the order c-ares sorts them (RFC 6724), duplicates dropped. Targets that
  // do not resolve are skipped as long as one does.
  // A failed _xmpps-server._tcp lookup counts as no record of it.
  //  * No SRV record (NXDOMAIN, or the name exists without SRV), or the SRV
  //    lookup failed (no answer in c-ares' time, SERVFAIL, REFUSED, no DNS
  //    server reachable, a malformed answer): the domain's own A/AAAA, port
  //    5269 (RFC 6120 §3.2.1, §3.2.2; RFC 2782). c-ares reads /etc/hosts
  //    first, so a domain known only there is found without any DNS server.
  //  * The single SRV target "." (of each service asked, or of one while the
  //    other has no record): NotFound "... the domain says it offers no
  //    XMPP server-to-server service", and no fallback.
  //  * Nothing at all: NotFound naming the domain. When the SRV lookup
  //    failed and the fallback found nothing either: the SRV lookup's
  //    failure (Unavailable, DeadlineExceeded), naming both.
  //  * Past the request's timeout: DeadlineExceeded. c-ares' own tries end
  //    within 3/4 of it, which leaves the last quarter for the fallback.
  void ResolveServer(const std::string& domain, Callback done,
                     Services services = Services::kStartTlsOnly);

  // The addresses of `host` (a partner's proxyFqdn), each with `port`. An
  // IP literal ("192.0.2.1", "2001:db8::1", "[2001:db8::1]") is answered
  // without any DNS query. Errors as for ResolveServer.
  void ResolveHost(const std::string& host, uint16_t port, Callback done);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xmppfed::edge::dns

#endif  // XMPPFED_AGENT_EDGE_DNS_RESOLVER_H_
