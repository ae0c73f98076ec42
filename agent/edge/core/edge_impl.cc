#include "agent/edge/core/edge_impl.h"

#include <algorithm>
#include <cstdlib>
#include <future>
#include <optional>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/descriptors.h"
#include "agent/edge/sessions/dialback_verifier.h"
#include "agent/edge/sessions/inbound_session.h"
#include "agent/edge/stream/stream_id.h"
#include "agent/edge/stream/xml_stream.h"
#include "agent/edge/xml/stream_writer.h"
#include "agent/policy/domain.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

// What a peer accepted while the process is out of descriptors reads before
// the connection closes (RFC 6120 4.9.1.1: a header, then the error).
std::string OutOfDescriptorsRefusal(const std::string& default_ns) {
  xml::StreamHeader header;
  header.default_ns = default_ns;
  header.version = "1.0";
  return xml::StreamHeaderXml(header, /*with_xml_declaration=*/true) +
         xml::StreamErrorXml(xml::StreamError::kResourceConstraint,
                             "out of file descriptors");
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
      metrics_(options_.metrics != nullptr
                   ? options_.metrics
                   : &metrics::NoEdgeMetrics::Instance()),
      policy_source_(policy),
      policy_(policy->Current()) {
  router_ = std::make_unique<Router>(
      this, policy,
      [this](const snapshot::PartnerRef& partner, const std::string& from,
             const std::string& to) {
        return OpenStanzaStream(partner, from, to);
      },
      [this](const snapshot::PartnerRef& partner, xmpp_stanza_t* stanza) {
        return HandleServerIq(partner, stanza);
      });
  flow_ = std::make_unique<FlowControl>(
      &registry_,
      [this](std::string_view domain) -> Session* {
        return router_->ComponentFor(domain);
      },
      [this] {
        const v1::GatewayConfig& gateway = policy_->gateway();
        return FlowControl::Watermarks{gateway.stream_output_high_watermark(),
                                       gateway.stream_output_low_watermark()};
      });
}

EdgeImpl::~EdgeImpl() {
  Shutdown();
  s2s_acceptor_.reset();
  s2s_tls_acceptor_.reset();
  component_acceptor_.reset();
  // Probes first: they hold pointers to their sessions.
  probes_.clear();
  registry_.Clear();
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

  // The unit's LimitNOFILE sets both limits; a shell's soft limit is often
  // far below its hard one.
  net::RaiseDescriptorLimit();
  CheckDescriptorBudget();
  if (options_.s2s_listen) {
    absl::StatusOr<std::unique_ptr<Acceptor>> acceptor = Acceptor::Listen(
        loop_.get(), options_.s2s_listen->host, options_.s2s_listen->port,
        [this](int fd) { AcceptS2s(fd, /*direct_tls=*/false); },
        {.refusal = OutOfDescriptorsRefusal("jabber:server")});
    if (!acceptor.ok()) return acceptor.status();
    s2s_acceptor_ = *std::move(acceptor);
  }
  if (options_.s2s_tls_listen) {
    absl::StatusOr<std::unique_ptr<Acceptor>> acceptor = Acceptor::Listen(
        loop_.get(), options_.s2s_tls_listen->host,
        options_.s2s_tls_listen->port,
        [this](int fd) { AcceptS2s(fd, /*direct_tls=*/true); },
        // Refused without a word: the peer expects a TLS handshake.
        Acceptor::Options{});
    if (!acceptor.ok()) return acceptor.status();
    s2s_tls_acceptor_ = *std::move(acceptor);
  }
  if (options_.component_listen) {
    absl::StatusOr<std::unique_ptr<Acceptor>> acceptor = Acceptor::Listen(
        loop_.get(), options_.component_listen->host,
        options_.component_listen->port,
        [this](int fd) { AcceptComponent(fd); },
        {.refusal = OutOfDescriptorsRefusal("jabber:component:accept")});
    if (!acceptor.ok()) return acceptor.status();
    component_acceptor_ = *std::move(acceptor);
  }
  thread_ = std::thread([this] { loop_->Run(); });
  return absl::OkStatus();
}

std::string EdgeImpl::s2s_address() const {
  return s2s_acceptor_ ? s2s_acceptor_->address() : "off";
}

std::string EdgeImpl::s2s_tls_address() const {
  return s2s_tls_acceptor_ ? s2s_tls_acceptor_->address() : "off";
}

std::string EdgeImpl::component_address() const {
  return component_acceptor_ ? component_acceptor_->address() : "off";
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

void EdgeImpl::ResolveAndConnect(OutboundStream* session,
                                 const snapshot::PartnerRef& partner,
                                 const std::string& domain) {
  uint64_t id = session->id();
  ResolvePartner(
      partner, domain,
      [this, id](absl::StatusOr<std::vector<dns::Address>> found) {
        Session* live = registry_.Find(id);
        if (live == nullptr) return;
        auto* outbound = static_cast<OutboundStream*>(live);
        if (!found.ok()) {
          outbound->FailResolution(std::string(found.status().message()));
          return;
        }
        std::vector<ConnectTarget> targets;
        for (const dns::Address& address : *found) {
          targets.push_back({address.ip, address.port, address.direct_tls});
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
  // TLS NotSupported never uses direct TLS (XEP-0368): its xmpps-server
  // records are not even asked for, and a tls:// proxyFqdn (refused by
  // validation) is not followed.
  bool tls_allowed =
      partner->tls_negotiation() != v1::NEGOTIATION_NOT_SUPPORTED;
  if (!partner->proxy_fqdn().empty()) {
    policy::ProxyTarget proxy = policy::ParseProxyFqdn(partner->proxy_fqdn());
    if (proxy.direct_tls && !tls_allowed) {
      deliver(absl::FailedPreconditionError(
          "proxyFqdn " + std::string(partner->proxy_fqdn()) +
          " asks for direct TLS, which the partner's tlsNegotiation "
          "NotSupported forbids"));
      return;
    }
    // An IP literal is answered without any query.
    resolver_->ResolveHost(
        proxy.host, proxy.port,
        [deliver = std::move(deliver), direct_tls = proxy.direct_tls](
            absl::StatusOr<std::vector<dns::Address>> found) {
          if (found.ok()) {
            for (dns::Address& address : *found)
              address.direct_tls = direct_tls;
          }
          deliver(std::move(found));
        });
    return;
  }
  resolver_->ResolveServer(domain, std::move(deliver),
                           tls_allowed
                               ? dns::Resolver::Services::kWithDirectTls
                               : dns::Resolver::Services::kStartTlsOnly);
}

OutboundSession* EdgeImpl::OpenStanzaStream(const snapshot::PartnerRef& partner,
                                            const std::string& from,
                                            const std::string& to) {
  OutboundSession* session =
      registry_.Add(std::make_unique<OutboundSession>(this, from, to, partner));
  metrics_->StreamStarted(session->id());
  ResolveAndConnect(session, partner, to);
  return session;
}

void EdgeImpl::VerifyDialback(const std::string& receiving,
                              const std::string& originating,
                              const std::string& stream_id,
                              const std::string& key,
                              std::function<void(VerifyOutcome)> done) {
  snapshot::PartnerRef partner = policy_->Partner(originating);
  if (partner == nullptr || shut_down_) {
    done(VerifyOutcome::kUnreachable);
    return;
  }
  if (verifications_in_flight_ >= kMaxVerificationsInFlight) {
    done(VerifyOutcome::kBusy);
    return;
  }
  std::pair<std::string, std::string> pair(receiving, originating);
  DialbackVerifier* live = nullptr;
  if (auto it = verifiers_.find(pair); it != verifiers_.end()) {
    live = static_cast<DialbackVerifier*>(registry_.Find(it->second));
  }
  if (live != nullptr && live->requests() >= DialbackVerifier::kMaxRequests) {
    done(VerifyOutcome::kBusy);
    return;
  }
  ++verifications_in_flight_;
  DialbackVerifier::Request request{
      receiving, stream_id, key,
      [this, done = std::move(done)](VerifyOutcome outcome) {
        --verifications_in_flight_;
        done(outcome);
      }};
  if (live != nullptr && live->Add(std::move(request))) return;
  DialbackVerifier* verifier = registry_.Add(std::make_unique<DialbackVerifier>(
      this, originating, partner, std::move(request)));
  verifiers_[pair] = verifier->id();
  ResolveAndConnect(verifier, partner, originating);
}

bool EdgeImpl::AttachComponent(const std::string& domain,
                               ComponentSession* session) {
  if (!router_->AttachComponent(domain, session)) return false;
  flow_->SourceChanged(session);
  return true;
}

void EdgeImpl::StreamFailed(Session* session, const std::string& partner,
                            const std::string& step,
                            const std::string& reason) {
  federation_status_.Failed(partner,
                            session->kind() == SessionKind::kInbound
                                ? StreamDirection::kInbound
                                : StreamDirection::kOutbound,
                            step, reason, absl::Now());
}

void EdgeImpl::PartnersChanged(Session* session) {
  // An inbound stream proved a domain of another partner: federation with
  // that partner works inbound.
  if (session->kind() == SessionKind::kInbound) SessionEstablished(session);
  registry_.Rebind(session);
  flow_->SourceChanged(session);
}

void EdgeImpl::ReverseRoutesChanged(Session* session) {
  bool inbound = session->kind() == SessionKind::kInbound;
  if (inbound) router_->AddReverseRoutes(static_cast<InboundSession*>(session));
  // Federation with the partner works the other way too, over this stream:
  // a time, not another live stream (get-partner-status counts streams by
  // kind, so a bidi stream is counted once).
  for (const std::string& partner : session->Partners()) {
    federation_status_.Succeeded(
        partner,
        inbound ? StreamDirection::kOutbound : StreamDirection::kInbound,
        absl::Now());
  }
  flow_->SourceChanged(session);
}

void EdgeImpl::SessionEstablished(Session* session) {
  pre_auth_.Forget(session->id());
  SessionKind kind = session->kind();
  if (kind != SessionKind::kInbound && kind != SessionKind::kOutbound) return;
  if (kind == SessionKind::kOutbound &&
      static_cast<OutboundStream*>(session)->traced()) {
    return;  // a probe: test-partner reports it
  }
  StreamDirection direction = kind == SessionKind::kInbound
                                  ? StreamDirection::kInbound
                                  : StreamDirection::kOutbound;
  for (const std::string& partner : session->Partners()) {
    federation_status_.Succeeded(partner, direction, absl::Now());
  }
  // Counted once the session's own callback is done: an inbound session
  // sets its auth method just after telling the edge.
  loop_->Post([this, id = session->id(), kind] {
    Session* live = registry_.Find(id);
    if (live == nullptr) return;
    SessionInfo info = live->Info();
    metrics_->StreamOpened(id,
                           kind == SessionKind::kInbound
                               ? metrics::Direction::kInbound
                               : metrics::Direction::kOutbound,
                           info.auth, info.partner);
  });
}

void EdgeImpl::SessionClosed(Session* session, const std::string& reason) {
  metrics_->StreamClosed(session->id());
  // The stream layer's wording for a failed handshake (agent/edge/stream).
  if (reason.starts_with("TLS handshake failed")) {
    metrics_->Failed(metrics::FailureKind::kTls, "handshake-failed");
  }
  if (session->kind() != SessionKind::kComponent && session->stream()) {
    const StreamCounters& counters = session->stream()->counters();
    closed_traffic_.bytes_received += counters.bytes_in;
    closed_traffic_.bytes_sent += counters.bytes_out;
  }
  pre_auth_.Forget(session->id());
  if (session->kind() == SessionKind::kVerifier) {
    std::erase_if(verifiers_, [id = session->id()](const auto& entry) {
      return entry.second == id;
    });
  }
  router_->Forget(session);
  registry_.Retire(session);
  uint64_t id = session->id();
  // Deleted once the caller's stack has unwound.
  loop_->Post([this, id] { registry_.Remove(id); });
}

void EdgeImpl::AdoptPolicy() {
  std::shared_ptr<const snapshot::PolicySnapshot> before = policy_;
  policy_ = policy_source_->Current();
  if (policy_ == before) return;
  const v1::GatewayConfig& was = before->gateway();
  const v1::GatewayConfig& now = policy_->gateway();
  if (was.stream_output_high_watermark() !=
          now.stream_output_high_watermark() ||
      was.stream_output_low_watermark() != now.stream_output_low_watermark()) {
    flow_->WatermarksChanged();
  }
  if (was.connection_limit() != now.connection_limit() ||
      was.component_connection_limit() != now.component_connection_limit()) {
    CheckDescriptorBudget();
  }
  for (Session* session : registry_.All()) session->RecheckPolicy();
  federation_status_.Prune([this](const std::string& identity) {
    return policy_->partners().FindIdentity(identity) != nullptr;
  });
}

void EdgeImpl::PolicyChanged() {
  if (loop_->InLoopThread()) {
    AdoptPolicy();
    return;
  }
  // Waits until the loop took the snapshot and re-checked every stream, so
  // that a change acknowledged to its caller already applies to the next
  // stream. Bounded: a loop that stopped (shutdown) runs no more tasks.
  auto adopted = std::make_shared<std::promise<void>>();
  std::future<void> done = adopted->get_future();
  loop_->Post([this, adopted] {
    AdoptPolicy();
    adopted->set_value();
  });
  done.wait_for(std::chrono::seconds(5));
}

void EdgeImpl::Shutdown() {
  if (!thread_.joinable()) return;
  RunOnLoop<bool>([this] {
    shut_down_ = true;
    for (Session* session : registry_.All()) {
      session->Close(xml::StreamError::kSystemShutdown,
                     "the edge is shutting down");
    }
    return true;
  });
  // Give the closing streams a moment to flush their last bytes.
  for (int i = 0; i < 20; ++i) {
    if (RunOnLoop<size_t>([this] { return registry_.size(); }) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  loop_->Stop();
  thread_.join();
}

}  // namespace xmppfed::edge
