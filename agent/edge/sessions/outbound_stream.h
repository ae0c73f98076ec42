// What every stream this edge opens to a partner's server does before it
// authenticates: connect to the resolved addresses in turn (proxyFqdn, else
// DNS), start TLS at once on a direct TLS target (XEP-0368: SNI the partner
// domain, ALPN xmpp-server, the certificate judged as after STARTTLS, which
// is then never asked for; a handshake that fails moves on to the next
// address like a refused connection), send our header, negotiate STARTTLS as
// the partner's row says (StartTlsInitiating: Required is never downgraded, the
// certificate must be trusted and name the partner domain), and give up when
// all that takes longer than streamEstablishmentTimeout. Two kinds build on it:
// OutboundSession carries stanzas, DialbackVerifier checks one dialback key.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_STREAM_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_STREAM_H_

#include <memory>
#include <string>
#include <vector>

#include "agent/edge/negotiation/starttls_initiating.h"
#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/outbound_trace.h"
#include "agent/edge/sessions/session.h"
#include "agent/edge/stream/xml_stream.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

// Where to connect, already resolved.
struct ConnectTarget {
  std::string ip;
  uint16_t port = 0;
  // An _xmpps-server._tcp target or a tls:// proxyFqdn (XEP-0368).
  bool direct_tls = false;
};

class OutboundStream : public Session, protected XmlStreamObserver {
 public:
  ~OutboundStream() override;

  // Starts connecting to the first of `targets` (resolved by the caller),
  // trying the next on failure.
  void Connect(std::vector<ConnectTarget> targets);
  // Fails the attempt: no address could be found.
  void FailResolution(const std::string& reason);
  // Ends the stream politely (</stream:stream>), without a stream error.
  void Finish(const std::string& reason);

  // Reports the negotiation's steps to `trace` (test-partner's probe);
  // nullptr stops it. The trace must outlive the session or be removed.
  void set_trace(OutboundTrace* trace) { trace_ = trace; }
  // A probe's stream (test-partner), not one carrying stanzas.
  bool traced() const { return trace_ != nullptr; }

  const std::string& local_domain() const { return local_domain_; }
  const std::string& remote_domain() const { return remote_domain_; }
  const snapshot::PartnerRef& partner() const { return partner_; }
  bool established() const { return established_; }

  uint64_t id() const override { return id_; }
  std::vector<std::string> Partners() const override {
    return {std::string(partner_->identity())};
  }
  XmlStream* stream() override { return stream_.get(); }
  SessionInfo Info() const override;
  void Close(xml::StreamError error, const std::string& text) override;
  // The partner still owns the domain; subclasses add what their own
  // authentication needs (CheckPolicy).
  void RecheckPolicy() override;

 protected:
  // `purpose` goes into every log line ("" for stanza streams).
  OutboundStream(EdgeServices* services, std::string local_domain,
                 std::string remote_domain, snapshot::PartnerRef partner,
                 std::string purpose);

  // The features of a stream past STARTTLS (secured, or going without TLS
  // as the row allows): authenticate on it. Also called for the features
  // after a SASL restart.
  virtual void Authenticate(xmpp_stanza_t* features) = 0;
  // An element of the subclass's own negotiation.
  virtual void OnElement(xmpp_stanza_t* stanza) = 0;
  // The attempt failed before it was established (bounce, report).
  virtual void OnAttemptFailed(const std::string& condition,
                               const std::string& reason) = 0;
  // With the current policy's partner: why this stream may no longer go
  // on ("" when it may).
  virtual std::string CheckPolicy() const = 0;
  // Closing now ends the work normally (a verifier that got its answer).
  virtual bool CloseIsExpected() const { return false; }

  // Ends the attempt: OnAttemptFailed, then closes.
  void Fail(const std::string& condition, const std::string& reason);
  // Authentication succeeded: the establishment timer stops.
  void MarkEstablished(const std::string& auth);
  // A new header from us, for a restart.
  void SendHeader();
  // Routine events at info; failures and refusals at warning, per-element
  // detail at debug.
  void Log(const std::string& event, const std::string& details,
           runtime::LogLevel level = runtime::LogLevel::kInfo) const;

  EdgeServices* services_;
  const uint64_t id_;
  const std::string local_domain_;
  const std::string remote_domain_;
  snapshot::PartnerRef partner_;
  std::unique_ptr<XmlStream> stream_;
  StartTlsInitiating tls_;
  // The receiving server's stream id (dialback keys are computed over it)
  // and whether it declared the dialback namespace or feature.
  std::string remote_stream_id_;
  bool peer_declared_dialback_ = false;
  bool established_ = false;
  bool failed_ = false;
  bool closed_ = false;
  std::string auth_;
  absl::Time established_at_ = absl::InfinitePast();
  OutboundTrace* trace_ = nullptr;

 private:
  void TryNextTarget();
  void OnConnectReady();
  void OnStreamOpen(const xml::StreamHeader& header) override;
  void OnStanza(xmpp_stanza_t* stanza) override;
  void OnStreamEnd() override;
  void OnTlsEstablished() override;
  void OnClosed(const std::string& reason) override;
  void HandleFeatures(xmpp_stanza_t* features);
  void StartTls();
  // XEP-0368: the TLS handshake right after the TCP connection.
  void StartDirectTls();

  const std::string purpose_;
  // The step under way, named as test-partner's: "dns", "connect",
  // "stream", "starttls", "auth" (for the partner's federation status).
  std::string step_ = "dns";
  std::vector<ConnectTarget> targets_;
  size_t next_target_ = 0;
  int connecting_fd_ = -1;
  // The target connected to (or being connected to) is direct TLS.
  bool direct_tls_ = false;
  net::EventLoop::TimerId establishment_timer_ = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_STREAM_H_
