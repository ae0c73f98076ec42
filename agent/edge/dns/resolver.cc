#include "agent/edge/dns/resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/edge/dns/ares_loop.h"
#include "agent/edge/dns/srv_order.h"

namespace xmppfed::edge::dns {
namespace {

using AddressesOr = absl::StatusOr<std::vector<Address>>;

// The absl::Status code for a c-ares result; `context` starts the message.
absl::Status StatusFromAres(int code, std::string_view context) {
  const std::string message =
      absl::StrCat(absl::string_view(context.data(), context.size()), ": ",
                   ares_strerror(code));
  switch (code) {
    case ARES_ENOTFOUND:
    case ARES_ENODATA:
      return absl::NotFoundError(message);
    case ARES_ETIMEOUT:
      return absl::DeadlineExceededError(message);
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION:
      return absl::CancelledError(message);
    case ARES_EBADNAME:
      return absl::InvalidArgumentError(message);
    case ARES_ENOMEM:
      return absl::ResourceExhaustedError(message);
    default:  // SERVFAIL, REFUSED, unreachable servers, malformed answers.
      return absl::UnavailableError(message);
  }
}

// The SRV services of a server lookup: STARTTLS (RFC 6120 §3.2.1) and
// direct TLS (XEP-0368).
constexpr const char* kServices[] = {"_xmpp-server", "_xmpps-server"};

// "a.example." -> "a.example": names are compared and reported without the
// root's dot.
std::string WithoutTrailingDot(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

// The canonical text of an IP literal ("[2001:DB8::1]" -> "2001:db8::1"),
// or nullopt for anything else.
std::optional<std::string> CanonicalIpLiteral(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string text(host);
  unsigned char bytes[sizeof(in6_addr)];
  char canonical[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (::inet_pton(family, text.c_str(), bytes) == 1 &&
        ::inet_ntop(family, bytes, canonical, sizeof canonical) != nullptr) {
      return std::string(canonical);
    }
  }
  return std::nullopt;
}

std::optional<std::string> NumericAddress(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN];
  const void* bytes = nullptr;
  if (address->sa_family == AF_INET) {
    bytes = &reinterpret_cast<const sockaddr_in*>(address)->sin_addr;
  } else if (address->sa_family == AF_INET6) {
    bytes = &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
  } else {
    return std::nullopt;
  }
  if (::inet_ntop(address->sa_family, bytes, text, sizeof text) == nullptr) {
    return std::nullopt;
  }
  return std::string(text);
}

}  // namespace

// All state below the public API lives on the AresLoop's worker thread;
// the only cross-thread entry is Submit(), which posts to it.
class Resolver::Impl {
 public:
  explicit Impl(const ResolverOptions& options) : timeout_(options.timeout) {
    AresLoopSettings settings;
    settings.servers = options.servers;
    // Two tries (the second waits twice as long) finish within 3/4 of the
    // request's timeout, so c-ares reports its own timeout before the
    // request's deadline cuts it off whenever it can.
    settings.first_try_timeout =
        std::max(std::chrono::milliseconds(50), options.timeout / 4);
    settings.tries = 2;
    loop_ = std::make_unique<AresLoop>(settings, [this] { CancelAll(); });
  }

  // Joins the worker (answering what is outstanding) while loop_ and the
  // maps are still there for the callbacks that run.
  ~Impl() { loop_->Stop(); }

  // Any thread. `server_lookup`: SRV first (ResolveServer); else the A/AAAA
  // of `name` on `port` (ResolveHost).
  void Submit(std::string name, bool server_lookup, bool direct_tls,
              uint16_t port, Callback done) {
    loop_->Post([this, name = std::move(name), server_lookup, direct_tls, port,
                 done = std::move(done)]() mutable {
      Begin(std::move(name), server_lookup, direct_tls, port, std::move(done));
    });
  }

 private:
  struct Request {
    std::string name;
    bool server_lookup = false;
    Callback done;
    // SRV phase: the answers of _xmpp-server (0) and _xmpps-server (1),
    // and how many are awaited.
    std::vector<SrvRecord> srv_records[2];
    absl::Status srv_status[2];
    std::size_t srv_pending = 0;
    uint64_t deadline_timer = 0;
    // Address phase: the targets in order, and each one's result.
    bool fallback = false;  // The targets are the domain itself on 5269.
    // Why the SRV lookup failed, when the fallback follows a failure rather
    // than an answer without SRV records.
    absl::Status srv_failure;
    std::vector<Target> targets;
    std::vector<std::optional<AddressesOr>> results;
    std::size_t pending = 0;
  };

  // What c-ares hands back to its callbacks. Requests are found again by id,
  // so an answer for a request that already finished (its deadline passed)
  // is simply dropped.
  struct CallContext {
    Impl* impl;
    uint64_t request_id;
    std::size_t target_index;
  };

  static void OnSrvAnswer(void* arg, int status, int /*timeouts*/,
                          unsigned char* answer, int answer_length) {
    std::unique_ptr<CallContext> context(static_cast<CallContext*>(arg));
    context->impl->HandleSrvAnswer(context->request_id, context->target_index,
                                   status, answer, answer_length);
  }

  static void OnAddresses(void* arg, int status, int /*timeouts*/,
                          ares_addrinfo* result) {
    std::unique_ptr<CallContext> context(static_cast<CallContext*>(arg));
    context->impl->HandleAddresses(context->request_id, context->target_index,
                                   status, result);
    if (result != nullptr) ares_freeaddrinfo(result);
  }

  void Begin(std::string name, bool server_lookup, bool direct_tls,
             uint16_t port, Callback done) {
    name = WithoutTrailingDot(std::move(name));
    if (loop_->stopping()) {
      done(absl::CancelledError("DNS resolver shut down"));
      return;
    }
    if (!loop_->status().ok()) {
      done(loop_->status());
      return;
    }
    if (name.empty()) {
      done(absl::InvalidArgumentError("DNS lookup of an empty name"));
      return;
    }
    if (!server_lookup) {
      if (std::optional<std::string> ip = CanonicalIpLiteral(name)) {
        done(std::vector<Address>{{*ip, port, name}});
        return;
      }
    }
    const uint64_t id = next_id_++;
    auto request = std::make_unique<Request>();
    request->name = name;
    request->server_lookup = server_lookup;
    request->done = std::move(done);
    request->deadline_timer =
        loop_->AddTimer(AresLoop::Clock::now() + timeout_, [this, id] {
          Finish(id, absl::DeadlineExceededError(absl::StrCat(
                         "DNS lookup for ", requests_.at(id)->name,
                         " got no answer within ", timeout_.count(), " ms")));
        });
    requests_[id] = std::move(request);
    if (server_lookup) {
      // Counted before either query: c-ares may answer inside ares_query.
      requests_[id]->srv_pending = direct_tls ? 2 : 1;
      for (std::size_t service = 0; service < (direct_tls ? 2u : 1u);
           ++service) {
        const std::string srv_name =
            absl::StrCat(kServices[service], "._tcp.", name);
        ares_query(loop_->channel(), srv_name.c_str(), ns_c_in, ns_t_srv,
                   &Impl::OnSrvAnswer, new CallContext{this, id, service});
      }
    } else {
      LookUpAddresses(id, {{name, port}}, /*fallback=*/false);
    }
  }

  // One service's answer (0: _xmpp-server, 1: _xmpps-server); once every
  // service asked has answered, the targets are decided.
  void HandleSrvAnswer(uint64_t id, std::size_t service, int status,
                       unsigned char* answer, int answer_length) {
    auto it = requests_.find(id);
    if (it == requests_.end()) return;
    Request& request = *it->second;
    const std::string context = absl::StrCat(
        "DNS lookup of ", kServices[service], "._tcp.", request.name);
    if (status == ARES_SUCCESS) {
      ares_srv_reply* replies = nullptr;
      const int parsed = ares_parse_srv_reply(answer, answer_length, &replies);
      for (ares_srv_reply* r = replies; r != nullptr; r = r->next) {
        request.srv_records[service].push_back(
            {r->host, r->port, r->priority, r->weight});
      }
      if (replies != nullptr) ares_free_data(replies);
      if (parsed != ARES_SUCCESS && parsed != ARES_ENODATA) {
        request.srv_records[service].clear();
        request.srv_status[service] = StatusFromAres(
            parsed, absl::StrCat("SRV answer for ", request.name));
      }
    } else if (status != ARES_ENOTFOUND && status != ARES_ENODATA) {
      request.srv_status[service] = StatusFromAres(status, context);
      // Only a cancellation of the lookup of the service every server has
      // ends the request; a failed xmpps-server lookup counts as none.
      if (service == 0 && !FallsBackAfter(status)) {
        Finish(id, request.srv_status[service]);
        return;
      }
    }
    if (--request.srv_pending == 0) DecideTargets(id);
  }

  void DecideTargets(uint64_t id) {
    Request& request = *requests_.at(id);
    const std::string domain = request.name;
    if (loop_->stopping()) {
      Finish(id, absl::CancelledError("DNS resolver shut down"));
      return;
    }
    absl::StatusOr<std::vector<Target>> ordered =
        MergeServiceRecords(std::move(request.srv_records[0]),
                            std::move(request.srv_records[1]), rng_);
    if (!ordered.ok()) {
      Finish(id, absl::NotFoundError(
                     absl::StrCat(domain, ": ", ordered.status().message())));
    } else if (!ordered->empty()) {
      LookUpAddresses(id, *std::move(ordered), /*fallback=*/false);
    } else if (!request.srv_status[0].ok()) {
      FallBackAfterFailure(id, request.srv_status[0]);
    } else {  // No SRV record of either service.
      LookUpAddresses(id, {{domain, kDefaultServerPort}}, /*fallback=*/true);
    }
  }

  // RFC 6120 §3.2.1 step 3 / RFC 2782: when the SRV lookup fails (no
  // answer, SERVFAIL, REFUSED, no server reachable, a malformed answer) the
  // domain's own A/AAAA on 5269 are tried, as for a domain without SRV
  // records; that is also where the hosts file answers. Not after a
  // cancellation, a name DNS cannot carry, or lack of memory.
  static bool FallsBackAfter(int ares_status) {
    return ares_status != ARES_ECANCELLED && ares_status != ARES_EDESTRUCTION &&
           ares_status != ARES_EBADNAME && ares_status != ARES_ENOMEM;
  }

  void FallBackAfterFailure(uint64_t id, absl::Status failure) {
    Request& request = *requests_.at(id);
    request.srv_failure = std::move(failure);
    LookUpAddresses(id, {{request.name, kDefaultServerPort}},
                    /*fallback=*/true);
  }

  // Starts the A/AAAA lookups of every target at once.
  void LookUpAddresses(uint64_t id, std::vector<Target> targets,
                       bool fallback) {
    Request& request = *requests_.at(id);
    request.fallback = fallback;
    request.targets = targets;
    request.results.assign(targets.size(), std::nullopt);
    request.pending = targets.size();
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;  // Both AAAA and A.
    hints.ai_socktype = SOCK_STREAM;
    // c-ares may answer inside ares_getaddrinfo (a hosts-file hit, a bad
    // name), and the last answer finishes and frees the request: from here
    // on only `targets` and `id` are used.
    for (std::size_t i = 0; i < targets.size(); ++i) {
      ares_getaddrinfo(loop_->channel(), targets[i].host.c_str(), nullptr,
                       &hints, &Impl::OnAddresses,
                       new CallContext{this, id, i});
    }
  }

  void HandleAddresses(uint64_t id, std::size_t index, int status,
                       const ares_addrinfo* result) {
    auto it = requests_.find(id);
    if (it == requests_.end()) return;
    Request& request = *it->second;
    const Target& target = request.targets[index];
    if (status != ARES_SUCCESS) {
      request.results[index] = StatusFromAres(status, target.host);
    } else {
      std::vector<Address> addresses;
      for (const ares_addrinfo_node* node = result ? result->nodes : nullptr;
           node != nullptr; node = node->ai_next) {
        if (std::optional<std::string> ip = NumericAddress(node->ai_addr)) {
          addresses.push_back(
              {*std::move(ip), target.port, target.host, target.direct_tls});
        }
      }
      request.results[index] = std::move(addresses);
    }
    if (--request.pending == 0) Finish(id, Combine(request));
  }

  // The addresses of every target in order, or why there are none.
  AddressesOr Combine(const Request& request) {
    if (loop_->stopping()) {
      return absl::CancelledError("DNS resolver shut down");
    }
    std::vector<Address> addresses;
    std::set<std::tuple<std::string, uint16_t, bool>> seen;
    std::vector<absl::Status> failures;
    for (const std::optional<AddressesOr>& result : request.results) {
      if (!result->ok()) {
        failures.push_back(result->status());
        continue;
      }
      for (const Address& address : **result) {
        if (seen.insert({address.ip, address.port, address.direct_tls})
                .second) {
          addresses.push_back(address);
        }
      }
    }
    if (!addresses.empty()) return addresses;
    if (failures.empty()) {  // Answers, but without a usable address.
      failures.push_back(absl::NotFoundError("no IPv4 or IPv6 address"));
    }
    if (!request.srv_failure.ok()) {
      // Neither lookup answered: the SRV failure is the likelier cause
      // (the same servers), and it says more than a NotFound would.
      failures.insert(failures.begin(), request.srv_failure);
    }
    const absl::Status* worst = &failures.front();
    for (const absl::Status& failure : failures) {
      if (!absl::IsNotFound(failure)) {
        worst = &failure;
        break;
      }
    }
    std::vector<std::string> reasons;
    for (const absl::Status& failure : failures) {
      reasons.emplace_back(failure.message());
    }
    std::string message;
    if (!request.server_lookup) {
      message = absl::StrCat("no address for ", request.name, " (",
                             absl::StrJoin(reasons, "; "), ")");
    } else if (!request.srv_failure.ok()) {
      message = absl::StrCat(
          request.name,
          ": the _xmpp-server._tcp SRV lookup failed and so did the fallback "
          "to the domain's address on port ",
          kDefaultServerPort, " (", absl::StrJoin(reasons, "; "), ")");
    } else if (request.fallback) {
      message = absl::StrCat(request.name,
                             " has no _xmpp-server._tcp SRV record and no "
                             "address (",
                             absl::StrJoin(reasons, "; "), ")");
    } else {
      message = absl::StrCat("none of the _xmpp-server._tcp SRV targets of ",
                             request.name, " has an address (",
                             absl::StrJoin(reasons, "; "), ")");
    }
    return absl::Status(worst->code(), message);
  }

  void Finish(uint64_t id, AddressesOr result) {
    auto it = requests_.find(id);
    if (it == requests_.end()) return;
    std::unique_ptr<Request> request = std::move(it->second);
    requests_.erase(it);
    loop_->CancelTimer(request->deadline_timer);
    request->done(std::move(result));
  }

  // On the worker as it stops, after c-ares cancelled its queries.
  void CancelAll() {
    std::vector<uint64_t> ids;
    for (const auto& [id, request] : requests_) ids.push_back(id);
    for (uint64_t id : ids) {
      Finish(id, absl::CancelledError("DNS resolver shut down"));
    }
  }

  const std::chrono::milliseconds timeout_;
  std::mt19937_64 rng_{std::random_device{}()};
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Request>> requests_;
  std::unique_ptr<AresLoop> loop_;  // Last: its worker uses all the above.
};

Resolver::Resolver(ResolverOptions options)
    : impl_(std::make_unique<Impl>(options)) {}

Resolver::~Resolver() = default;

void Resolver::ResolveServer(const std::string& domain, Callback done,
                             Services services) {
  impl_->Submit(domain, /*server_lookup=*/true,
                services == Services::kWithDirectTls, kDefaultServerPort,
                std::move(done));
}

void Resolver::ResolveHost(const std::string& host, uint16_t port,
                           Callback done) {
  impl_->Submit(host, /*server_lookup=*/false, /*direct_tls=*/false, port,
                std::move(done));
}

}  // namespace xmppfed::edge::dns
