#include "agent/edge/sessions/outbound_session.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/dialback/dialback_key.h"
#include "agent/edge/net/tcp.h"
#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/tls/identity.h"
#include "agent/edge/xml/stream_writer.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

// Stanzas waiting for a stream; beyond this they are bounced at once.
constexpr size_t kMaxQueuedStanzas = 10000;

// A <db:result/> that is not 'valid': 'invalid', or 'error' with the
// condition of its <error/> child (XEP-0220 §2.4).
diagnosis::PeerRefusal DialbackRefusal(xmpp_stanza_t* result) {
  diagnosis::PeerRefusal refusal;
  if (xml::Attribute(result, "type") != "error") {
    refusal.kind = diagnosis::PeerRefusal::Kind::kDialbackInvalid;
    return refusal;
  }
  refusal.kind = diagnosis::PeerRefusal::Kind::kDialbackError;
  xmpp_stanza_t* error = xmpp_stanza_get_child_by_name(result, "error");
  for (xmpp_stanza_t* child =
           error == nullptr ? nullptr : xmpp_stanza_get_children(error);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    const char* name = xmpp_stanza_get_name(child);
    if (!xmpp_stanza_is_tag(child) || name == nullptr) continue;
    if (std::string_view(name) == "text") {
      refusal.text = xml::TextOf(child);
    } else if (refusal.condition.empty()) {
      refusal.condition = name;
    }
  }
  return refusal;
}

}  // namespace

OutboundSession::OutboundSession(EdgeServices* services,
                                 std::string local_domain,
                                 std::string remote_domain,
                                 snapshot::PartnerRef partner)
    : services_(services),
      id_(services->NewSessionId()),
      local_domain_(std::move(local_domain)),
      remote_domain_(std::move(remote_domain)),
      partner_(std::move(partner)) {}

OutboundSession::OutboundSession(EdgeServices* services,
                                 std::string remote_domain,
                                 snapshot::PartnerRef partner,
                                 VerifyRequest verify)
    : services_(services),
      id_(services->NewSessionId()),
      local_domain_(verify.receiving),
      remote_domain_(std::move(remote_domain)),
      partner_(std::move(partner)),
      verify_(std::make_unique<VerifyRequest>(std::move(verify))) {}

OutboundSession::~OutboundSession() {
  net::EventLoop& loop = services_->loop();
  if (establishment_timer_ != 0) loop.CancelTimer(establishment_timer_);
  if (connecting_fd_ >= 0) {
    loop.Unwatch(connecting_fd_);
    ::close(connecting_fd_);
  }
  for (xmpp_stanza_t* stanza : queue_) xmpp_stanza_release(stanza);
}

void OutboundSession::Log(const std::string& event,
                          const std::string& details) const {
  runtime::LogInfo(event,
                   absl::StrCat("id=", id_, " local=", local_domain_,
                                " remote=", remote_domain_,
                                verify_ ? " purpose=verify " : " ", details));
}

void OutboundSession::Connect(std::vector<ConnectTarget> targets) {
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

void OutboundSession::FailResolution(const std::string& reason) {
  Fail("remote-server-not-found", reason);
}

void OutboundSession::TryNextTarget() {
  if (failed_) return;
  while (next_target_ < targets_.size()) {
    const ConnectTarget& target = targets_[next_target_++];
    absl::StatusOr<int> fd = net::StartConnect(target.ip, target.port);
    if (!fd.ok()) {
      Log("s2s.outbound.connect_failed",
          absl::StrCat("address=", target.ip, ":", target.port, " error=\"",
                       fd.status().message(), "\""));
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

void OutboundSession::OnConnectReady() {
  int fd = connecting_fd_;
  services_->loop().Unwatch(fd);
  connecting_fd_ = -1;
  absl::Status connected = net::ConnectResult(fd);
  if (!connected.ok()) {
    ::close(fd);
    Log("s2s.outbound.connect_failed",
        absl::StrCat("error=\"", connected.message(), "\""));
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
  stream_->SetTimeouts({.output_stalled = InactivityTimeout()});
  Log("s2s.outbound.connect", "peer=" + stream_->peer_address());
  if (trace_ != nullptr) trace_->OnConnected(stream_->peer_address());
  SendHeader();
}

void OutboundSession::SendHeader() {
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

void OutboundSession::OnStreamOpen(const xml::StreamHeader& header) {
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

void OutboundSession::OnStanza(xmpp_stanza_t* stanza) {
  if (failed_ || closed_) return;
  if (xml::Is(stanza, "features", kNsStreams)) {
    if (trace_ != nullptr) trace_->OnFeatures(stanza);
    HandleFeatures(stanza);
  } else if (xml::Is(stanza, "proceed", kNsTls) && awaiting_proceed_) {
    awaiting_proceed_ = false;
    stream_->SuspendParser();
    // Our client certificate is the SASL EXTERNAL credential: the one
    // valid for the domain this stream is from.
    SSL_CTX* ctx = services_->tls().client_for(local_domain_);
    std::string name = remote_domain_;
    stream_->StartTls(
        [ctx, name](int fd) { return tls::TlsChannel::Client(ctx, fd, name); });
  } else if (awaiting_sasl_ && (xml::Is(stanza, "success", sasl::kNsSasl) ||
                                xml::Is(stanza, "failure", sasl::kNsSasl))) {
    HandleSaslOutcome(stanza);
  } else if (xml::Is(stanza, "failure", kNsTls)) {
    if (trace_ != nullptr) {
      trace_->OnPeerRefused(
          {diagnosis::PeerRefusal::Kind::kStartTlsFailure, "", ""});
    }
    Fail("remote-server-not-found", remote_domain_ + " refused STARTTLS");
  } else if (xml::Is(stanza, "result", kNsDialback) && !verify_) {
    std::string type = xml::Attribute(stanza, "type");
    if (type == "valid") {
      BecomeEstablished();
    } else {
      if (trace_ != nullptr) trace_->OnPeerRefused(DialbackRefusal(stanza));
      Fail("remote-server-not-found",
           remote_domain_ + " did not accept our dialback key (type='" + type +
               "')");
    }
  } else if (xml::Is(stanza, "verify", kNsDialback) && verify_) {
    std::string type = xml::Attribute(stanza, "type");
    VerifyOutcome outcome =
        type == "valid" ? VerifyOutcome::kValid : VerifyOutcome::kInvalid;
    auto done = std::move(verify_->done);
    verify_->done = nullptr;
    verified_ = true;
    if (done) done(outcome);
    stream_->CloseGracefully("verification answered");
  } else {
    Log("s2s.outbound.ignored",
        absl::StrCat("element=", xmpp_stanza_get_name(stanza)));
  }
}

void OutboundSession::HandleFeatures(xmpp_stanza_t* features) {
  if (sasl_done_) {
    // The features of the stream restarted after SASL: nothing is left to
    // negotiate.
    BecomeEstablished();
    return;
  }
  policy::AllowedAuth allowed = partner_->allowed();
  xmpp_stanza_t* starttls = xml::Child(features, "starttls", kNsTls);
  if (!tls_done_) {
    if (starttls != nullptr && allowed.tls_offered) {
      awaiting_proceed_ = true;
      stream_->Send(std::string("<starttls xmlns='") + kNsTls + "'/>");
      return;
    }
    if (allowed.tls_required) {
      Fail("remote-server-not-found",
           "TLS is required with " + std::string(partner_->identity()) +
               ", but " + remote_domain_ + " does not offer STARTTLS");
      return;
    }
    if (starttls != nullptr &&
        xml::Child(starttls, "required", kNsTls) != nullptr) {
      Fail("remote-server-not-found",
           remote_domain_ +
               " requires TLS, which the partner's policy "
               "does not allow");
      return;
    }
  }
  if (xml::Child(features, "dialback", kNsDialbackFeature) != nullptr) {
    peer_declared_dialback_ = true;
  }
  Authenticate(features);
}

void OutboundSession::Authenticate(xmpp_stanza_t* features) {
  policy::AllowedAuth allowed = partner_->allowed();
  std::string no_sasl = SaslExternalObstacle(features);
  if (no_sasl.empty()) {
    awaiting_sasl_ = true;
    stream_->Send(sasl::AuthXml(local_domain_));
    Log("s2s.outbound.sasl_auth", "mechanism=EXTERNAL");
    return;
  }
  bool dialback =
      tls_done_ ? allowed.dialback_over_tls : allowed.dialback_over_tcp;
  if (!dialback) {
    // Never a weaker stream: without SASL and without dialback the
    // attempt ends.
    Fail("remote-server-not-found",
         allowed.sasl_external && !verify_
             ? "SASL EXTERNAL is the only authentication the partner's "
               "policy allows on this stream, and " +
                   no_sasl
             : "the partner's policy allows no authentication this edge "
               "can do on this stream");
    return;
  }
  if (allowed.sasl_external && !verify_ && tls_done_) {
    Log("s2s.outbound.sasl_skipped", "reason=\"" + no_sasl + "\"");
  }
  if (!peer_declared_dialback_) {
    Fail("remote-server-not-found",
         remote_domain_ + " does not offer Server Dialback");
    return;
  }
  if (verify_) {
    stream_->Send(DialbackVerifyXml(local_domain_, remote_domain_,
                                    verify_->stream_id, "", verify_->key));
    return;
  }
  std::string key =
      dialback::DialbackKey(services_->policy().dialback_secret(),
                            remote_domain_, local_domain_, remote_stream_id_);
  stream_->Send(DialbackResultXml(local_domain_, remote_domain_, "", key));
}

void OutboundSession::OnTlsEstablished() {
  tls_done_ = true;
  tls::TlsChannel* tls = stream_->tls();
  if (trace_ != nullptr) trace_->OnTls(*tls);
  // Against the partner domain, never the address connected to (SRV target
  // or proxyFqdn).
  tls::IdentityMatch identity =
      tls::MatchXmppServerIdentity(tls->peer_certificate(), remote_domain_);
  bool trusted =
      tls->peer_chain_trusted() && identity != tls::IdentityMatch::kNone;
  server_certificate_valid_ = trusted;
  Log("s2s.outbound.tls",
      absl::StrCat(
          "version=", tls->version(), " cipher=", tls->cipher(),
          " certificate=", trusted ? "valid" : "not-valid",
          " identity=", std::string(tls::IdentityMatchName(identity))));
  if (!trusted && partner_->allowed().tls_required) {
    Fail("remote-server-not-found", "the certificate of " + remote_domain_ +
                                        " is not trusted or does not name it");
    return;
  }
  SendHeader();
}

void OutboundSession::BecomeEstablished() {
  established_ = true;
  established_at_ = absl::Now();
  auth_ = sasl_done_  ? "SaslExternal"
          : tls_done_ ? "DialbackTls"
                      : "DialbackTcp";
  if (establishment_timer_ != 0) {
    services_->loop().CancelTimer(establishment_timer_);
    establishment_timer_ = 0;
  }
  Log("s2s.outbound.authenticated", "auth=" + auth_);
  if (trace_ != nullptr) trace_->OnAuthenticated(auth_);
  services_->SessionEstablished(this);
  while (!queue_.empty() && !closed_) {
    xmpp_stanza_t* stanza = queue_.front();
    queue_.pop_front();
    stream_->SendStanza(stanza);
    xmpp_stanza_release(stanza);
  }
  if (partner_->enable_keep_alive()) {
    stream_->SetTimeouts(
        {.output_stalled = InactivityTimeout(),
         .keep_alive = absl::Seconds(
             services_->policy().gateway().keep_alive_interval())});
  }
}

absl::Duration OutboundSession::InactivityTimeout() const {
  return absl::Seconds(
      services_->policy().gateway().stream_inactivity_timeout());
}

void OutboundSession::Send(xmpp_stanza_t* stanza) {
  if (established_ && stream_ && !closed_) {
    stream_->SendStanza(stanza);
    return;
  }
  if (failed_ || closed_ || queue_.size() >= kMaxQueuedStanzas) {
    if (xmpp_stanza_t* bounce = MakeBounce(
            services_->xmpp(), stanza,
            failed_ ? "remote-server-not-found" : "resource-constraint")) {
      services_->DeliverLocally(bounce);
      xmpp_stanza_release(bounce);
    }
    return;
  }
  queue_.push_back(xmpp_stanza_clone(stanza));
}

void OutboundSession::Fail(const std::string& condition,
                           const std::string& reason) {
  if (failed_) return;
  failed_ = true;
  Log("s2s.outbound.failed", "reason=\"" + reason + "\"");
  if (trace_ != nullptr) trace_->OnFailed(reason);
  std::deque<xmpp_stanza_t*> queued;
  queued.swap(queue_);
  for (xmpp_stanza_t* stanza : queued) {
    if (xmpp_stanza_t* bounce =
            MakeBounce(services_->xmpp(), stanza, condition)) {
      services_->DeliverLocally(bounce);
      xmpp_stanza_release(bounce);
    }
    xmpp_stanza_release(stanza);
  }
  if (verify_ && verify_->done) {
    auto done = std::move(verify_->done);
    verify_->done = nullptr;
    done(VerifyOutcome::kUnreachable);
  }
  if (stream_ && !stream_->closed()) {
    stream_->CloseWithError(StreamError::kUndefinedCondition, reason);
  } else if (!closed_) {
    closed_ = true;
    services_->SessionClosed(this, reason);
  }
}

SessionInfo OutboundSession::Info() const {
  SessionInfo info;
  info.id = id_;
  info.direction = "Outbound";
  info.local_domain = local_domain_;
  info.remote_domain = remote_domain_;
  info.partner = std::string(partner_->identity());
  info.auth = auth_;
  info.established_at = established_at_;
  if (stream_) AddStreamFacts(*stream_, &info);
  return info;
}

void OutboundSession::Close(StreamError error, const std::string& text) {
  if (closed_) return;
  if (!established_) {
    Fail("remote-server-not-found", text);
    return;
  }
  stream_->CloseWithError(error, text);
}

void OutboundSession::RecheckPolicy() {
  if (closed_) return;
  snapshot::PartnerRef partner = services_->policy().Partner(remote_domain_);
  if (!partner) {
    Close(StreamError::kPolicyViolation,
          remote_domain_ + " is no longer a partner");
    return;
  }
  partner_ = partner;
  policy::AllowedAuth allowed = partner_->allowed();
  bool auth_allowed = sasl_done_ ? allowed.sasl_external
                                 : (tls_done_ ? allowed.dialback_over_tls
                                              : allowed.dialback_over_tcp);
  if (established_ && ((!tls_done_ && allowed.tls_required) || !auth_allowed)) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy no longer allows this stream's security");
  }
}

void OutboundSession::OnStreamEnd() { stream_->CloseGracefully("peer closed"); }

void OutboundSession::OnClosed(const std::string& reason) {
  if (closed_) return;
  if (!established_ && !failed_ && !verified_) {
    // Closed while negotiating: what was queued cannot be delivered.
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

void OutboundSession::Finish(const std::string& reason) {
  if (closed_) return;
  if (stream_ && !stream_->closed()) {
    stream_->CloseGracefully(reason);
  } else {
    Fail("remote-server-not-found", reason);
  }
}

}  // namespace xmppfed::edge
