#include "agent/edge/core/edge_impl.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cstdlib>
#include <future>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/tcp.h"
#include "agent/edge/sessions/inbound_session.h"
#include "agent/edge/sessions/partner_types.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/stream/stream_id.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

// "host", "host:port", "[v6]:port" -> host and port (5269 when absent).
std::pair<std::string, uint16_t> SplitHostPort(const std::string& text) {
  std::string host = text;
  uint16_t port = 5269;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    host = text.substr(1, close - 1);
    if (close + 1 < text.size() && text[close + 1] == ':') {
      port = static_cast<uint16_t>(std::stoi(text.substr(close + 2)));
    }
  } else if (size_t colon = text.rfind(':');
             colon != std::string::npos && text.find(':') == colon) {
    host = text.substr(0, colon);
    port = static_cast<uint16_t>(std::stoi(text.substr(colon + 1)));
  }
  return {host, port};
}

}  // namespace

absl::StatusOr<std::unique_ptr<Edge>> Edge::Start(
    EdgeOptions options, snapshot::PolicySource* policy) {
  auto edge = std::make_unique<EdgeImpl>(std::move(options), policy);
  if (absl::Status opened = edge->Open(); !opened.ok()) return opened;
  return edge;
}

EdgeImpl::EdgeImpl(EdgeOptions options, snapshot::PolicySource* policy)
    : options_(std::move(options)),
      policy_source_(policy),
      policy_(policy->Current()) {}

EdgeImpl::~EdgeImpl() {
  Shutdown();
  // Probes first: they hold pointers to their sessions.
  probes_.clear();
  sessions_.clear();
  if (s2s_fd_ >= 0) ::close(s2s_fd_);
  if (component_fd_ >= 0) ::close(component_fd_);
  resolver_.reset();
  if (xmpp_ != nullptr) xmpp_ctx_free(xmpp_);
}

absl::Status EdgeImpl::Open() {
  xmpp_initialize();
  xmpp_ = xmpp_ctx_new(nullptr, nullptr);
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) return loop.status();
  loop_ = *std::move(loop);
  absl::StatusOr<std::unique_ptr<tls::TlsContexts>> tls =
      tls::TlsContexts::Create(options_.credentials, options_.ca_file);
  if (!tls.ok()) return tls.status();
  tls_ = *std::move(tls);
  dns::ResolverOptions resolver_options;
  resolver_options.servers = options_.dns_servers;
  resolver_ = std::make_unique<dns::Resolver>(resolver_options);

  if (options_.s2s_listen) {
    if (absl::Status opened =
            OpenListener(*options_.s2s_listen, &s2s_fd_, &s2s_address_);
        !opened.ok()) {
      return opened;
    }
    absl::Status watched = loop_->Watch(s2s_fd_, net::EventLoop::kReadable,
                                        [this](uint32_t) { AcceptS2s(); });
    if (!watched.ok()) return watched;
  }
  if (options_.component_listen) {
    if (absl::Status opened = OpenListener(*options_.component_listen,
                                           &component_fd_, &component_address_);
        !opened.ok()) {
      return opened;
    }
    absl::Status watched =
        loop_->Watch(component_fd_, net::EventLoop::kReadable,
                     [this](uint32_t) { AcceptComponents(); });
    if (!watched.ok()) return watched;
  }
  thread_ = std::thread([this] { loop_->Run(); });
  return absl::OkStatus();
}

absl::Status EdgeImpl::OpenListener(const ListenOn& on, int* fd,
                                    std::string* bound) {
  absl::StatusOr<int> listener = net::ListenTcp(on.host, on.port, 128);
  if (!listener.ok()) return listener.status();
  *fd = *listener;
  absl::StatusOr<uint16_t> port = net::LocalPort(*fd);
  if (!port.ok()) return port.status();
  bool v6 = on.host.find(':') != std::string::npos;
  *bound = v6 ? absl::StrCat("[", on.host, "]:", *port)
              : absl::StrCat(on.host, ":", *port);
  return absl::OkStatus();
}

bool EdgeImpl::CanServeTls(const std::string& local_domain) {
  return tls_->server() != nullptr;
}

xml::StreamLimits EdgeImpl::limits() {
  xml::StreamLimits limits;
  limits.max_stanza_bytes = policy_->gateway().max_stanza_size();
  return limits;
}

std::string EdgeImpl::NewStreamId() {
  absl::StatusOr<std::string> id = RandomStreamId();
  if (!id.ok()) {
    // A predictable id would make dialback keys guessable: no stream at all
    // is better than that, and the generator does not recover.
    runtime::LogError("edge.fatal", std::string(id.status().message()));
    std::abort();
  }
  return *std::move(id);
}

size_t EdgeImpl::CountPartnerSessions(const std::string& partner) {
  size_t count = 0;
  for (const auto& [id, session] : sessions_) {
    if (session->Info().partner == partner) ++count;
  }
  return count;
}

void EdgeImpl::AcceptS2s() {
  while (true) {
    absl::StatusOr<int> fd = net::AcceptConnection(s2s_fd_);
    if (!fd.ok()) return;
    if (shut_down_ ||
        sessions_.size() >= policy_->gateway().connection_limit()) {
      runtime::LogWarning("s2s.inbound.refused",
                          "reason=\"connection limit reached\"");
      ::close(*fd);
      continue;
    }
    auto session = std::make_unique<InboundSession>(this, *fd);
    InboundSession* raw = session.get();
    sessions_[raw->id()] = std::move(session);
    if (absl::Status started = raw->Start(); !started.ok()) {
      sessions_.erase(raw->id());
    }
  }
}

void EdgeImpl::AcceptComponents() {
  while (true) {
    absl::StatusOr<int> fd = net::AcceptConnection(component_fd_);
    if (!fd.ok()) return;
    if (shut_down_) {
      ::close(*fd);
      continue;
    }
    auto session = std::make_unique<ComponentSession>(
        this, *fd, options_.component_secret);
    ComponentSession* raw = session.get();
    sessions_[raw->id()] = std::move(session);
    if (absl::Status started = raw->Start(); !started.ok()) {
      sessions_.erase(raw->id());
    }
  }
}

void EdgeImpl::ResolveAndConnect(OutboundSession* session,
                                 const snapshot::PartnerRef& partner,
                                 const std::string& domain) {
  uint64_t id = session->id();
  ResolvePartner(
      partner, domain,
      [this, id](absl::StatusOr<std::vector<dns::Address>> found) {
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return;
        auto* outbound = static_cast<OutboundSession*>(it->second.get());
        if (!found.ok()) {
          outbound->FailResolution(std::string(found.status().message()));
          return;
        }
        std::vector<ConnectTarget> targets;
        for (const dns::Address& address : *found) {
          targets.push_back({address.ip, address.port});
        }
        outbound->Connect(std::move(targets));
      });
}

void EdgeImpl::ResolvePartner(
    const snapshot::PartnerRef& partner, const std::string& domain,
    std::function<void(absl::StatusOr<std::vector<dns::Address>>)> done) {
  // The resolver answers on its own thread; the answer is handled here.
  auto deliver = [this, done = std::move(done)](
                     absl::StatusOr<std::vector<dns::Address>> found) {
    loop_->Post([done, found = std::move(found)] { done(found); });
  };
  if (!partner->proxy_fqdn().empty()) {
    // An IP literal is answered without any query.
    auto [host, port] = SplitHostPort(std::string(partner->proxy_fqdn()));
    resolver_->ResolveHost(host, port, std::move(deliver));
    return;
  }
  resolver_->ResolveServer(domain, std::move(deliver));
}

OutboundSession* EdgeImpl::AddOutbound(
    std::unique_ptr<OutboundSession> session) {
  OutboundSession* raw = session.get();
  sessions_[raw->id()] = std::move(session);
  return raw;
}

void EdgeImpl::VerifyDialback(const std::string& receiving,
                              const std::string& originating,
                              const std::string& stream_id,
                              const std::string& key,
                              std::function<void(VerifyOutcome)> done) {
  snapshot::PartnerRef partner = policy_->Partner(originating);
  if (!partner || shut_down_) {
    done(VerifyOutcome::kUnreachable);
    return;
  }
  OutboundSession::VerifyRequest request{receiving, stream_id, key,
                                         std::move(done)};
  OutboundSession* session = AddOutbound(std::make_unique<OutboundSession>(
      this, originating, partner, std::move(request)));
  ResolveAndConnect(session, partner, originating);
}

void EdgeImpl::LogMessageBody(std::string_view event, xmpp_stanza_t* stanza) {
  // Bodies are private: only an operator's explicit setting logs them.
  if (!policy_->gateway().enable_logging_all_message_bodies()) return;
  const char* name = xmpp_stanza_get_name(stanza);
  if (name == nullptr || std::string_view(name) != "message") return;
  xmpp_stanza_t* body = xmpp_stanza_get_child_by_name(stanza, "body");
  if (body == nullptr) return;
  runtime::LogInfo(event, absl::StrCat("from=", xml::Attribute(stanza, "from"),
                                       " to=", xml::Attribute(stanza, "to"),
                                       " body=\"", xml::TextOf(body), "\""));
}

void EdgeImpl::DeliverLocally(xmpp_stanza_t* stanza) {
  LogMessageBody("s2s.message.in", stanza);
  std::string to = DomainOf(xmpp_stanza_get_to(stanza));
  auto it = components_.find(to);
  if (it != components_.end()) {
    it->second->Send(stanza);
    return;
  }
  // No gateway for that domain: tell the sender, if it was a partner.
  xmpp_stanza_t* bounce = MakeBounce(xmpp_, stanza, "service-unavailable");
  if (bounce == nullptr) return;
  std::string bounce_to = DomainOf(xmpp_stanza_get_to(bounce));
  if (!policy_->IsLocal(bounce_to)) DeliverFromComponent(to, bounce);
  xmpp_stanza_release(bounce);
}

void EdgeImpl::DeliverFromPartner(const snapshot::PartnerRef& partner,
                                  xmpp_stanza_t* stanza) {
  if (HandleServerIq(partner, stanza)) return;
  if (NeedsInvitation(*partner, stanza)) {
    std::string local = BareJid(xmpp_stanza_get_to(stanza));
    std::string remote = BareJid(xmpp_stanza_get_from(stanza));
    if (!policy_source_->IsInvited(local, remote)) {
      runtime::LogInfo(
          "s2s.blocked",
          absl::StrCat("partner=", std::string(partner->identity()),
                       " from=", remote, " to=", local,
                       " stanza=", xmpp_stanza_get_name(stanza),
                       " reason=\"PublicUnverified contact not invited\""));
      // A message is answered as if the user did not exist (RFC 6121
      // §8.5.2); a subscription request is dropped silently (§3.1.3).
      if (!IsSubscriptionRequest(stanza)) {
        if (xmpp_stanza_t* bounce =
                MakeBounce(xmpp_, stanza, "service-unavailable")) {
          DeliverFromComponent(DomainOf(xmpp_stanza_get_to(stanza)), bounce);
          xmpp_stanza_release(bounce);
        }
      }
      return;
    }
  }
  DeliverLocally(stanza);
}

void EdgeImpl::DeliverFromComponent(const std::string& component_domain,
                                    xmpp_stanza_t* stanza) {
  std::string to = DomainOf(xmpp_stanza_get_to(stanza));
  if (policy_->IsLocal(to)) {
    DeliverLocally(stanza);
    return;
  }
  snapshot::PartnerRef partner = policy_->Partner(to);
  if (!partner) {
    if (xmpp_stanza_t* bounce = MakeBounce(xmpp_, stanza, "not-allowed")) {
      DeliverLocally(bounce);
      xmpp_stanza_release(bounce);
    }
    return;
  }
  if (IsSubscriptionRequest(stanza)) {
    // Remembered for every partner type: a partner's type may change later.
    // In memory at once (the partner's next stanza sees it); stored by the
    // policy's writer thread, never on this one.
    policy_source_->RecordInvitation(BareJid(xmpp_stanza_get_from(stanza)),
                                     BareJid(xmpp_stanza_get_to(stanza)));
  }
  xmpp_stanza_t* stripped = StripForPartner(xmpp_, *partner, stanza);
  if (stripped != nullptr) stanza = stripped;
  LogMessageBody("s2s.message.out", stanza);
  SendToPartner(partner, to, stanza);
  if (stripped != nullptr) xmpp_stanza_release(stripped);
}

void EdgeImpl::SendToPartner(const snapshot::PartnerRef& partner,
                             const std::string& to, xmpp_stanza_t* stanza) {
  std::string from = DomainOf(xmpp_stanza_get_from(stanza));
  auto key = std::make_pair(from, to);
  auto it = outbound_.find(key);
  if (it == outbound_.end()) {
    OutboundSession* session =
        AddOutbound(std::make_unique<OutboundSession>(this, from, to, partner));
    outbound_[key] = session;
    session->Send(stanza);
    ResolveAndConnect(session, partner, to);
    return;
  }
  it->second->Send(stanza);
}

bool EdgeImpl::AttachComponent(const std::string& domain,
                               ComponentSession* session) {
  return components_.emplace(domain, session).second;
}

void EdgeImpl::SessionEstablished(Session* session) {}

void EdgeImpl::SessionClosed(Session* session, const std::string& reason) {
  uint64_t id = session->id();
  for (auto it = outbound_.begin(); it != outbound_.end(); ++it) {
    if (it->second == session) {
      outbound_.erase(it);
      break;
    }
  }
  for (auto it = components_.begin(); it != components_.end(); ++it) {
    if (it->second == session) {
      components_.erase(it);
      break;
    }
  }
  // Deleted once the caller's stack has unwound.
  loop_->Post([this, id] { sessions_.erase(id); });
}

template <typename T>
T EdgeImpl::RunOnLoop(std::function<T()> task) {
  std::promise<T> promise;
  std::future<T> result = promise.get_future();
  loop_->Post([&] { promise.set_value(task()); });
  return result.get();
}

std::vector<SessionInfo> EdgeImpl::ListSessions(const std::string& partner) {
  return RunOnLoop<std::vector<SessionInfo>>([&] {
    std::vector<SessionInfo> infos;
    for (const auto& [id, session] : sessions_) {
      SessionInfo info = session->Info();
      if (info.direction == "Component") continue;
      if (!partner.empty() && info.partner != partner) continue;
      infos.push_back(std::move(info));
    }
    return infos;
  });
}

std::vector<SessionInfo> EdgeImpl::CloseSessions(
    const std::vector<uint64_t>& ids, const std::string& partner) {
  return RunOnLoop<std::vector<SessionInfo>>([&] {
    std::vector<SessionInfo> closed;
    for (const auto& [id, session] : sessions_) {
      SessionInfo info = session->Info();
      if (info.direction == "Component") continue;
      bool named = std::find(ids.begin(), ids.end(), id) != ids.end();
      bool of_partner = !partner.empty() && info.partner == partner;
      if (!named && !of_partner) continue;
      session->Close(xml::StreamError::kPolicyViolation,
                     "closed by the operator");
      closed.push_back(std::move(info));
    }
    return closed;
  });
}

void EdgeImpl::PolicyChanged() {
  loop_->Post([this] {
    policy_ = policy_source_->Current();
    std::vector<Session*> live;
    for (const auto& [id, session] : sessions_) live.push_back(session.get());
    for (Session* session : live) session->RecheckPolicy();
  });
}

void EdgeImpl::Shutdown() {
  if (!thread_.joinable()) return;
  RunOnLoop<bool>([this] {
    shut_down_ = true;
    for (const auto& [id, session] : sessions_) {
      session->Close(xml::StreamError::kSystemShutdown,
                     "the edge is shutting down");
    }
    return true;
  });
  // Give the closing streams a moment to flush their last bytes.
  for (int i = 0; i < 20; ++i) {
    if (RunOnLoop<size_t>([this] { return sessions_.size(); }) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  loop_->Stop();
  thread_.join();
}

}  // namespace xmppfed::edge
