#include "agent/edge/sessions/outbound_stream.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/tcp.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/tls/identity.h"
#include "agent/edge/xml/stream_writer.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

}  // namespace

OutboundStream::OutboundStream(EdgeServices* services, std::string local_domain,
                               std::string remote_domain,
                               snapshot::PartnerRef partner,
                               std::string purpose)
    : services_(services),
      id_(services->NewSessionId()),
      local_domain_(std::move(local_domain)),
      remote_domain_(std::move(remote_domain)),
      partner_(std::move(partner)),
      purpose_(std::move(purpose)) {}

OutboundStream::~OutboundStream() {
  net::EventLoop& loop = services_->loop();
  if (establishment_timer_ != 0) loop.CancelTimer(establishment_timer_);
  if (connecting_fd_ >= 0) {
    loop.Unwatch(connecting_fd_);
    ::close(connecting_fd_);
  }
}

void OutboundStream::Log(const std::string& event, const std::string& details,
                         runtime::LogLevel level) const {
  if (!runtime::LogEnabled(level)) return;
  runtime::Log(
      level, event,
      absl::StrCat(
          "id=", id_, " local=", local_domain_, " remote=", remote_domain_,
          purpose_.empty() ? " " : " purpose=" + purpose_ + " ", details));
}

void OutboundStream::Connect(std::vector<ConnectTarget> targets) {
  step_ = "connect";
  targets_ = std::move(targets);
  absl::Duration timeout = absl::Seconds(
      services_->policy().gateway().stream_establishment_timeout());
  establishment_timer_ = services_->loop().AddTimer(timeout, [this] {
    establishment_timer_ = 0;
    if (!established_) {
      Fail("remote-server-timeout", "the stream was not established in time");
    }
  });
  TryNextTarget();
}

void OutboundStream::FailResolution(const std::string& reason) {
  Fail("remote-server-not-found", reason);
}

void OutboundStream::TryNextTarget() {
  if (failed_) return;
  while (next_target_ < targets_.size()) {
    const ConnectTarget& target = targets_[next_target_++];
    direct_tls_ = target.direct_tls;
    absl::StatusOr<int> fd = net::StartConnect(target.ip, target.port);
    if (!fd.ok()) {
      Log("s2s.outbound.connect_failed",
          absl::StrCat("address=", target.ip, ":", target.port, " error=\"",
                       fd.status().message(), "\""),
          runtime::LogLevel::kWarning);
      continue;
    }
    connecting_fd_ = *fd;
    absl::Status watched =
        services_->loop().Watch(connecting_fd_, net::EventLoop::kWritable,
                                [this](uint32_t) { OnConnectReady(); });
    if (!watched.ok()) {
      ::close(connecting_fd_);
      connecting_fd_ = -1;
      continue;
    }
    return;
  }
  Fail("remote-server-not-found",
       "cannot connect to any address of " + remote_domain_);
}

void OutboundStream::OnConnectReady() {
  int fd = connecting_fd_;
  services_->loop().Unwatch(fd);
  connecting_fd_ = -1;
  absl::Status connected = net::ConnectResult(fd);
  if (!connected.ok()) {
    ::close(fd);
    Log("s2s.outbound.connect_failed",
        absl::StrCat("error=\"", connected.message(), "\""),
        runtime::LogLevel::kWarning);
    TryNextTarget();
    return;
  }
  stream_ = std::make_unique<XmlStream>(&services_->loop(), services_->xmpp(),
                                        fd, services_->limits(),
                                        static_cast<XmlStreamObserver*>(this));
  if (absl::Status started = stream_->Start(); !started.ok()) {
    Fail("remote-server-not-found", std::string(started.message()));
    return;
  }
  stream_->SetTimeouts(
      {.output_stalled = absl::Seconds(
           services_->policy().gateway().stream_inactivity_timeout())});
  services_->WatchOutput(this);
  step_ = "stream";
  Log("s2s.outbound.connect", "peer=" + stream_->peer_address() +
                                  (direct_tls_ ? " direct_tls=true" : ""));
  if (trace_ != nullptr) trace_->OnConnected(stream_->peer_address());
  if (direct_tls_) {
    StartDirectTls();
    return;
  }
  SendHeader();
}

void OutboundStream::StartDirectTls() {
  step_ = "starttls";
  tls_.BeginDirect();
  std::shared_ptr<const tls::TlsContexts> contexts = services_->tls();
  SSL_CTX* ctx = contexts->client_for(local_domain_);
  std::string name = remote_domain_;
  stream_->StartTls([contexts, ctx, name](int fd) {
    return tls::TlsChannel::Client(ctx, fd, name, contexts,
                                   tls::TlsChannel::Mode::kDirect);
  });
}

void OutboundStream::SendHeader() {
  xml::StreamHeader header;
  header.default_ns = kNsServer;
  header.from = local_domain_;
  header.to = remote_domain_;
  header.version = "1.0";
  header.prefixes = {{"db", kNsDialback}};
  stream_->set_header_for_errors(header);
  stream_->Send(xml::StreamHeaderXml(header, true));
  stream_->set_header_sent(true);
}

void OutboundStream::OnStreamOpen(const xml::StreamHeader& header) {
  if (header.default_ns != kNsServer) {
    Close(StreamError::kInvalidNamespace,
          "a server-to-server stream is in namespace jabber:server");
    return;
  }
  remote_stream_id_ = header.id;
  peer_declared_dialback_ = false;
  for (const auto& [prefix, ns] : header.prefixes) {
    if (ns == kNsDialback) peer_declared_dialback_ = true;
  }
}

void OutboundStream::OnStanza(xmpp_stanza_t* stanza) {
  if (failed_ || closed_) return;
  if (xml::Is(stanza, "features", kNsStreams)) {
    if (trace_ != nullptr) trace_->OnFeatures(stanza);
    HandleFeatures(stanza);
  } else if (xml::Is(stanza, "proceed", kNsTls)) {
    if (tls_.OnProceed()) {
      StartTls();
    } else {
      Fail("remote-server-not-found",
           remote_domain_ + " sent <proceed/> unasked");
    }
  } else if (xml::Is(stanza, "failure", kNsTls)) {
    if (trace_ != nullptr) {
      trace_->OnPeerRefused(
          {diagnosis::PeerRefusal::Kind::kStartTlsFailure, "", ""});
    }
    services_->metrics().Failed(metrics::FailureKind::kTls, "starttls-refused");
    Fail("remote-server-not-found", remote_domain_ + " refused STARTTLS");
  } else {
    OnElement(stanza);
  }
}

void OutboundStream::HandleFeatures(xmpp_stanza_t* features) {
  if (!tls_.done()) {
    StartTlsInitiating::Step step =
        tls_.OnFeatures(features, partner_->allowed(),
                        std::string(partner_->identity()), remote_domain_);
    if (step.kind == StartTlsInitiating::Step::Kind::kRequest) {
      stream_->Send(StartTlsInitiating::StartTlsXml());
      return;
    }
    if (step.kind == StartTlsInitiating::Step::Kind::kFail) {
      services_->metrics().Failed(metrics::FailureKind::kTls, "not-offered");
      Fail("remote-server-not-found", step.reason);
      return;
    }
  }
  if (xml::Child(features, "dialback", kNsDialbackFeature) != nullptr) {
    peer_declared_dialback_ = true;
  }
  step_ = "auth";
  Authenticate(features);
}

void OutboundStream::StartTls() {
  step_ = "starttls";
  stream_->SuspendParser();
  // Our client certificate is the SASL EXTERNAL credential: the one valid
  // for the domain this stream is from.
  std::shared_ptr<const tls::TlsContexts> contexts = services_->tls();
  SSL_CTX* ctx = contexts->client_for(local_domain_);
  std::string name = remote_domain_;
  stream_->StartTls([contexts, ctx, name](int fd) {
    return tls::TlsChannel::Client(ctx, fd, name, contexts);
  });
}

void OutboundStream::OnTlsEstablished() {
  tls::TlsChannel* tls = stream_->tls();
  if (trace_ != nullptr) trace_->OnTls(*tls);
  // Against the partner domain, never the address connected to (SRV
  // target or proxyFqdn).
  tls::IdentityMatch identity =
      tls::MatchXmppServerIdentity(tls->peer_certificate(), remote_domain_);
  StartTlsInitiating::Step step = tls_.OnEstablished(
      tls->peer_chain_trusted(), identity, partner_->allowed(), remote_domain_);
  Log("s2s.outbound.tls",
      absl::StrCat(
          "version=", tls->version(), " cipher=", tls->cipher(),
          direct_tls_ ? " direct_tls=true alpn=" : "",
          direct_tls_ ? (tls->alpn().empty() ? "none" : tls->alpn()) : "",
          " certificate=", tls_.certificate_valid() ? "valid" : "not-valid",
          " identity=", std::string(tls::IdentityMatchName(identity))));
  if (step.kind == StartTlsInitiating::Step::Kind::kFail) {
    services_->metrics().Failed(metrics::FailureKind::kTls, "peer-certificate");
    Fail("remote-server-not-found", step.reason);
    return;
  }
  SendHeader();
}

void OutboundStream::MarkEstablished(const std::string& auth) {
  established_ = true;
  established_at_ = absl::Now();
  auth_ = auth;
  if (establishment_timer_ != 0) {
    services_->loop().CancelTimer(establishment_timer_);
    establishment_timer_ = 0;
  }
}

void OutboundStream::Fail(const std::string& condition,
                          const std::string& reason) {
  if (failed_) return;
  failed_ = true;
  Log("s2s.outbound.failed", "reason=\"" + reason + "\"",
      runtime::LogLevel::kWarning);
  if (trace_ != nullptr) {
    trace_->OnFailed(reason);
  } else if (kind() == SessionKind::kOutbound) {
    // Stanza streams only: a probe reports to its caller, and a dialback
    // verifier's failure shows on the inbound stream it was for.
    services_->StreamFailed(this, std::string(partner_->identity()), step_,
                            reason);
  }
  OnAttemptFailed(condition, reason);
  if (stream_ && !stream_->closed()) {
    stream_->CloseWithError(StreamError::kUndefinedCondition, reason);
  } else if (!closed_) {
    closed_ = true;
    services_->SessionClosed(this, reason);
  }
}

SessionInfo OutboundStream::Info() const {
  SessionInfo info;
  info.id = id_;
  info.direction = "Outbound";
  info.local_domain = local_domain_;
  info.remote_domain = remote_domain_;
  info.partner = std::string(partner_->identity());
  info.auth = auth_;
  info.established_at = established_at_;
  info.direct_tls = stream_ != nullptr && direct_tls_;
  if (stream_) AddStreamFacts(*stream_, &info);
  return info;
}

void OutboundStream::Close(StreamError error, const std::string& text) {
  if (closed_) return;
  if (!established_) {
    Fail("remote-server-not-found", text);
    return;
  }
  if (error != StreamError::kSystemShutdown && !stream_->ending()) {
    Log("s2s.outbound.policy_close",
        absl::StrCat("condition=", std::string(xml::StreamErrorName(error)),
                     " reason=\"", text, "\""),
        runtime::LogLevel::kWarning);
  }
  stream_->CloseWithError(error, text);
}

void OutboundStream::RecheckPolicy() {
  if (closed_) return;
  snapshot::PartnerRef partner = services_->policy().Partner(remote_domain_);
  if (partner == nullptr) {
    Close(StreamError::kPolicyViolation,
          remote_domain_ + " is no longer a partner");
    return;
  }
  bool moved = partner->identity() != partner_->identity();
  partner_ = std::move(partner);
  if (moved) services_->PartnersChanged(this);
  if (!established_) return;
  if (!tls_.done() && partner_->allowed().tls_required) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy now requires TLS");
    return;
  }
  if (std::string why = CheckPolicy(); !why.empty()) {
    Close(StreamError::kPolicyViolation, why);
  }
}

void OutboundStream::OnStreamEnd() { stream_->CloseGracefully("peer closed"); }

void OutboundStream::OnClosed(const std::string& reason) {
  if (closed_) return;
  if (!established_ && !failed_ && direct_tls_ && !tls_.done() &&
      next_target_ < targets_.size()) {
    // The direct TLS handshake failed (not TLS there, a refused ALPN): the
    // next address is tried, as after a failed connection. The stream is
    // deleted once its own call stack has unwound.
    Log("s2s.outbound.connect_failed",
        "peer=" + stream_->peer_address() + " direct_tls=true error=\"" +
            reason + "\"",
        runtime::LogLevel::kWarning);
    tls_ = StartTlsInitiating();
    std::shared_ptr<XmlStream> failed(stream_.release());
    services_->loop().Post([failed] {});
    step_ = "connect";
    TryNextTarget();
    return;
  }
  if (!established_ && !failed_ && !CloseIsExpected()) {
    // Closed while negotiating: what waited cannot be delivered.
    Fail("remote-server-not-found", reason);
    if (closed_) return;
  }
  closed_ = true;
  Log("s2s.outbound.close", "reason=\"" + reason + "\"");
  if (OutboundTrace* trace = std::exchange(trace_, nullptr)) {
    trace->OnFailed("the stream closed: " + reason);
  }
  services_->SessionClosed(this, reason);
}

void OutboundStream::Finish(const std::string& reason) {
  if (closed_) return;
  if (stream_ && !stream_->closed()) {
    stream_->CloseGracefully(reason);
  } else {
    Fail("remote-server-not-found", reason);
  }
}

}  // namespace xmppfed::edge
