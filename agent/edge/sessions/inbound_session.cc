#include "agent/edge/sessions/inbound_session.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/xml/stream_writer.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

}  // namespace

InboundSession::InboundSession(EdgeServices* services, int fd, bool direct_tls)
    : services_(services),
      id_(services->NewSessionId()),
      direct_tls_(direct_tls),
      stream_(std::make_unique<XmlStream>(
          &services->loop(), services->xmpp(), fd, services->limits(),
          static_cast<XmlStreamObserver*>(this))),
      stream_id_(services->NewStreamId()) {}

InboundSession::~InboundSession() {
  *alive_ = false;
  if (establishment_timer_ != 0) {
    services_->loop().CancelTimer(establishment_timer_);
  }
}

void InboundSession::UseStreamId(std::string id) {
  stream_id_ = std::move(id);
  xml::StreamHeader error_header;
  error_header.default_ns = kNsServer;
  error_header.id = stream_id_;
  error_header.version = "1.0";
  stream_->set_header_for_errors(error_header);
}

absl::Status InboundSession::Start() {
  UseStreamId(stream_id_);
  if (absl::Status started = stream_->Start(); !started.ok()) return started;
  const v1::GatewayConfig& gateway = services_->policy().gateway();
  // Unauthenticated, a stream holds a slot of the pre-authentication
  // budget: it has the shorter of the two deadlines.
  uint32_t deadline = std::min(gateway.unauthenticated_stream_timeout(),
                               gateway.stream_establishment_timeout());
  establishment_timer_ =
      services_->loop().AddTimer(absl::Seconds(deadline), [this, deadline] {
        establishment_timer_ = 0;
        if (authenticated_.empty()) {
          Close(StreamError::kConnectionTimeout,
                absl::StrCat("the stream did not authenticate within ",
                             deadline, " seconds"));
        }
      });
  absl::Duration inactivity =
      absl::Seconds(gateway.stream_inactivity_timeout());
  stream_->SetTimeouts(
      {.input_idle = inactivity, .output_stalled = inactivity});
  services_->WatchOutput(this);
  Log("s2s.inbound.connect", "peer=" + stream_->peer_address() +
                                 (direct_tls_ ? " direct_tls=true" : ""));
  if (direct_tls_) {
    tls_.BeginDirect();
    std::shared_ptr<const tls::TlsContexts> contexts = services_->tls();
    stream_->StartTls([contexts](int fd) {
      return tls::TlsChannel::Server(contexts->server(), fd, contexts,
                                     tls::TlsChannel::Mode::kDirect);
    });
  }
  return absl::OkStatus();
}

void InboundSession::Log(const std::string& event, const std::string& details,
                         runtime::LogLevel level) const {
  if (!runtime::LogEnabled(level)) return;
  runtime::Log(level, event,
               absl::StrCat("id=", id_, " local=", local_domain_,
                            " remote=", remote_domain_, " ", details));
}

SessionInfo InboundSession::Info() const {
  SessionInfo info;
  info.id = id_;
  info.direction = "Inbound";
  info.local_domain = local_domain_;
  info.remote_domain = remote_domain_;
  if (header_partner_ != nullptr) {
    info.partner = std::string(header_partner_->identity());
  }
  info.auth = auth_;
  info.established_at = established_at_;
  info.bidirectional = bidi_.negotiated();
  info.direct_tls = direct_tls_;
  AddStreamFacts(*stream_, &info);
  return info;
}

void InboundSession::Close(StreamError error, const std::string& text) {
  if (closed_ || stream_->ending()) return;
  // A refusal (before any domain was proved) or a policy close (after):
  // either way federation with that peer does not work as it asks, which
  // the operator sees at warning. A shutdown is routine.
  if (error != StreamError::kSystemShutdown) {
    Log(authenticated_.empty() ? "s2s.inbound.refused"
                               : "s2s.inbound.policy_close",
        absl::StrCat("condition=", std::string(xml::StreamErrorName(error)),
                     " reason=\"", text, "\""),
        runtime::LogLevel::kWarning);
    refusal_logged_ = true;
    if (authenticated_.empty()) ReportFailure(text);
  }
  stream_->CloseWithError(error, text);
}

snapshot::PartnerRef InboundSession::PartnerOf(std::string_view domain) const {
  const AuthenticatedDomains::Entry* entry = authenticated_.Find(domain);
  return entry == nullptr ? nullptr : entry->partner;
}

void InboundSession::RecheckPolicy() {
  if (closed_ || remote_domain_.empty()) return;
  const snapshot::PolicySnapshot& policy = services_->policy();
  // Every authenticated domain, each by its own partner.
  std::vector<std::string> partners_before = authenticated_.Partners();
  if (std::optional<std::string> why =
          authenticated_.Recheck(policy, tls_.done())) {
    Close(StreamError::kPolicyViolation, *why);
    return;
  }
  if (authenticated_.Partners() != partners_before) {
    services_->PartnersChanged(this);
  }
  // The partner the header names decides what the stream offers: the
  // stream is its stream too.
  header_partner_ = policy.Partner(remote_domain_);
  if (header_partner_ == nullptr) {
    Close(StreamError::kPolicyViolation,
          remote_domain_ + " is no longer a partner");
    return;
  }
  if (!tls_.done() && header_partner_->allowed().tls_required) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy now requires TLS");
    return;
  }
  if (direct_tls_ &&
      header_partner_->tls_negotiation() == v1::NEGOTIATION_NOT_SUPPORTED) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy is now tlsNegotiation NotSupported, which "
          "direct TLS (XEP-0368) is not used with");
    return;
  }
  // Negotiated under rules that no longer hold (the gateway turned bidi
  // off, or the partner now wants TLS this stream lacks): the peer
  // reconnects and negotiates what holds now (RFC 6120 §4.9.3.16).
  if (bidi_.negotiated() && !BidiPossible()) {
    Close(StreamError::kReset,
          "bidirectional streams are no longer allowed with this partner");
  }
}

void InboundSession::OnStreamOpen(const xml::StreamHeader& header) {
  if (header.default_ns != kNsServer) {
    Close(StreamError::kInvalidNamespace,
          "a server-to-server stream is in namespace jabber:server");
    return;
  }
  if (header.version != "1.0") {
    Close(StreamError::kUnsupportedVersion, "version 1.0 is required");
    return;
  }
  std::string to = DomainOf(header.to.c_str());
  std::string from = DomainOf(header.from.c_str());
  // Over TLS the header repeats the domains; one whose first header left
  // 'from' out names itself now. (Over direct TLS the first header comes
  // after TLS: nothing to repeat yet.)
  if (tls_.done() && !local_domain_.empty() &&
      (to != local_domain_ ||
       (!remote_domain_.empty() && from != remote_domain_))) {
    Close(StreamError::kPolicyViolation,
          "the stream restarted with other domains");
    return;
  }
  const snapshot::PolicySnapshot& policy = services_->policy();
  if (!policy.IsLocal(to)) {
    Close(StreamError::kHostUnknown, "'" + to + "' is not served here");
    return;
  }
  local_domain_ = to;
  if (from.empty() && !tls_.done() && services_->CanServeTls(to)) {
    // RFC 6120 §4.7.1 lets the first header leave 'from' out (openssl
    // s_client -starttls xmpp-server does, to show the certificate served).
    // TLS alone reveals nothing but that certificate, and the partner's
    // rules apply from the header that names it.
    OfferTlsOnly();
    return;
  }
  if (from.empty()) {
    Close(StreamError::kPolicyViolation,
          "the stream header must name the originating domain in 'from'");
    return;
  }
  remote_domain_ = from;
  header_partner_ = policy.Partner(from);
  if (header_partner_ == nullptr) {
    Close(StreamError::kPolicyViolation,
          "'" + from + "' is not a federation partner of " + to);
    return;
  }
  if (direct_tls_ &&
      header_partner_->tls_negotiation() == v1::NEGOTIATION_NOT_SUPPORTED) {
    // The partner said it does not use TLS: a stream over direct TLS
    // claiming to be it is not what it agreed to (XEP-0368 never applies).
    Close(StreamError::kPolicyViolation,
          "the partner's policy here is tlsNegotiation NotSupported, so " +
              from +
              " is not accepted over direct TLS (XEP-0368); use the "
              "plain server-to-server port");
    return;
  }
  Log("s2s.inbound.open",
      "partner=" + std::string(header_partner_->identity()));
  SendHeaderAndFeatures();
  if (!closed_) services_->StreamOpened(this);
}

void InboundSession::SendHeaderAndFeatures() {
  const policy::AllowedAuth& allowed = header_partner_->allowed();
  bool can_tls = services_->CanServeTls(local_domain_);
  if (!tls_.done() && allowed.tls_required && !can_tls) {
    Close(StreamError::kPolicyViolation,
          "TLS is required with this partner, but this edge has no "
          "certificate for " +
              local_domain_);
    return;
  }
  xml::StreamHeader header;
  header.default_ns = kNsServer;
  header.from = local_domain_;
  header.to = remote_domain_;
  header.id = stream_id_;
  header.version = "1.0";
  header.prefixes = {{"db", kNsDialback}};
  std::string features = "<stream:features>";
  if (sasl_.succeeded()) {
    // After SASL's restart nothing is left to negotiate (RFC 6120 §6.4.6).
    stream_->Send(xml::StreamHeaderXml(header, true) + features +
                  "</stream:features>");
    stream_->set_header_sent(true);
    OpenReverseRoutes();
    return;
  }
  std::string starttls = tls_.Offer(allowed, can_tls);
  features += starttls;
  features += bidi_.Offer(BidiPossible(), !authenticated_.empty());
  std::string no_sasl;
  std::string mechanisms = sasl_.Offer(SaslReceiving::Possible(
      tls_.done(), allowed, PeerCertificateFacts(), remote_domain_, &no_sasl));
  features += mechanisms;
  if (mechanisms.empty() && tls_.done() && allowed.sasl_external) {
    Log("s2s.inbound.sasl_not_offered", "reason=\"" + no_sasl + "\"");
  }
  bool dialback = DialbackAllowed(*header_partner_, tls_.done());
  if (dialback) {
    features += std::string("<dialback xmlns='") + kNsDialbackFeature +
                "'><errors/></dialback>";
  }
  features += "</stream:features>";
  stream_->Send(xml::StreamHeaderXml(header, true) + features);
  stream_->set_header_sent(true);
  if (starttls.empty() && !dialback && mechanisms.empty()) {
    // Never a weaker stream: a peer that cannot meet the policy is refused.
    Close(StreamError::kPolicyViolation,
          tls_.done() && allowed.sasl_external
              ? "SASL EXTERNAL is the only authentication the partner's "
                "policy allows on this stream, and " +
                    no_sasl
              : "no way to authenticate that the partner's policy allows is "
                "available on this stream");
  }
}

void InboundSession::ReportFailure(const std::string& reason) {
  // Attributed to the partner the header named: a claim, but the one the
  // operator asks about when that partner's streams do not get through.
  if (header_partner_ == nullptr) return;
  std::string step = tls_.done() ? "auth" : "stream";
  services_->StreamFailed(this, std::string(header_partner_->identity()), step,
                          reason);
}

void InboundSession::OfferTlsOnly() {
  Log("s2s.inbound.open", "partner=none reason=\"no 'from' yet\"");
  tls_only_ = true;
  policy::AllowedAuth tls_only{.tls_required = true,
                               .tls_offered = true,
                               .sasl_external = false,
                               .dialback_over_tls = false,
                               .dialback_over_tcp = false};
  xml::StreamHeader header;
  header.default_ns = kNsServer;
  header.from = local_domain_;
  header.id = stream_id_;
  header.version = "1.0";
  header.prefixes = {{"db", kNsDialback}};
  stream_->Send(xml::StreamHeaderXml(header, true) + "<stream:features>" +
                tls_.Offer(tls_only, true) + "</stream:features>");
  stream_->set_header_sent(true);
}

void InboundSession::OnStanza(xmpp_stanza_t* stanza) {
  if (closed_) return;
  if (tls_only_ && header_partner_ == nullptr) {
    if (xml::Is(stanza, "starttls", kNsTls)) {
      HandleStartTls();
    } else {
      Close(StreamError::kNotAuthorized,
            "STARTTLS first; then a header naming the originating domain");
    }
    return;
  }
  if (header_partner_ == nullptr) return;
  if (xml::Is(stanza, "starttls", kNsTls)) {
    HandleStartTls();
  } else if (xml::Is(stanza, "auth", sasl::kNsSasl)) {
    HandleSaslAuth(stanza);
  } else if (xml::Is(stanza, "result", kNsDialback)) {
    HandleDialbackResult(stanza);
  } else if (xml::Is(stanza, "verify", kNsDialback)) {
    HandleDialbackVerify(stanza);
  } else if (xml::Is(stanza, "bidi", kNsBidi)) {
    HandleBidiRequest();
  } else if (IsStanza(stanza)) {
    HandleStanza(stanza);
  } else {
    Close(StreamError::kUnsupportedStanzaType,
          "unexpected element '" + std::string(xmpp_stanza_get_name(stanza)) +
              "'");
  }
}

void InboundSession::HandleStanza(xmpp_stanza_t* stanza) {
  if (authenticated_.empty()) {
    Close(StreamError::kNotAuthorized,
          "stanzas before the stream was authenticated");
    return;
  }
  std::string from = DomainOf(xmpp_stanza_get_from(stanza));
  const AuthenticatedDomains::Entry* entry = authenticated_.Find(from);
  if (entry == nullptr) {
    Close(StreamError::kInvalidFrom,
          "'" + from + "' was not authenticated on this stream");
    return;
  }
  std::string to = DomainOf(xmpp_stanza_get_to(stanza));
  if (!services_->policy().IsLocal(to)) {
    Close(StreamError::kHostUnknown, "'" + to + "' is not served here");
    return;
  }
  // Judged by the partner that owns the `from` domain, not by the stream's.
  services_->DeliverFromPartner(entry->partner, stanza);
}

void InboundSession::OnStreamEnd() { stream_->CloseGracefully("peer closed"); }

void InboundSession::OnClosed(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  // A peer that named itself but never got authenticated, for a reason not
  // already logged as a refusal (a timeout, the peer giving up): a failure.
  bool failed =
      !remote_domain_.empty() && authenticated_.empty() && !refusal_logged_;
  Log("s2s.inbound.close", "reason=\"" + reason + "\"",
      failed ? runtime::LogLevel::kWarning : runtime::LogLevel::kInfo);
  if (failed) ReportFailure(reason);
  services_->SessionClosed(this, reason);
}

}  // namespace xmppfed::edge
