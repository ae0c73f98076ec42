// A stream this edge opens to a partner's server (we are the originating
// server), for one (local domain, partner domain) pair. Two purposes:
//
// * kStanzas: carries the internal side's stanzas to the partner. Opened on
//   demand; stanzas wait in a bounded queue while it connects (proxyFqdn,
//   else DNS SRV), negotiates STARTTLS as the partner's policy wants (a
//   partner whose TLS is Required but whose server does not offer it is
//   refused, never downgraded; its certificate must be trusted and name
//   the partner domain) and authenticates: with SASL EXTERNAL (XEP-0178)
//   when the row allows it, the server offers it after TLS and its
//   certificate is trusted and valid for the partner domain (RFC 6125,
//   agent/edge/tls/identity.h) -- our credential being our client
//   certificate --, else (or after a SASL failure) with dialback where the
//   row allows that, else not at all. When that fails
//   every queued stanza is bounced (remote-server-not-found, or
//   remote-server-timeout when it took too long).
// * kVerify: asks the partner's authoritative server whether a dialback key
//   it sent on an inbound stream is valid (XEP-0220 §2.2), then closes.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_SESSION_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_SESSION_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/outbound_trace.h"
#include "agent/edge/sessions/session.h"
#include "agent/edge/stream/xml_stream.h"

namespace xmppfed::edge {

// Where to connect, already resolved.
struct ConnectTarget {
  std::string ip;
  uint16_t port = 0;
};

class OutboundSession : public Session, private XmlStreamObserver {
 public:
  struct VerifyRequest {
    std::string receiving;  // our local domain the key was sent to
    std::string stream_id;
    std::string key;
    std::function<void(VerifyOutcome)> done;
  };

  // A stanza stream from `local_domain` to `remote_domain` (a domain of
  // `partner`).
  OutboundSession(EdgeServices* services, std::string local_domain,
                  std::string remote_domain, snapshot::PartnerRef partner);
  // A verification of a dialback key `remote_domain` sent us.
  OutboundSession(EdgeServices* services, std::string remote_domain,
                  snapshot::PartnerRef partner, VerifyRequest verify);
  ~OutboundSession() override;

  // Starts connecting to the first of `targets` (resolved by the caller),
  // trying the next on failure.
  void Connect(std::vector<ConnectTarget> targets);
  // Fails the session: no address could be found.
  void FailResolution(const std::string& reason);

  // Sends now when established, else queues (bounded; over the bound the
  // stanza is bounced with resource-constraint).
  void Send(xmpp_stanza_t* stanza);

  bool established() const { return established_; }
  bool is_verify() const { return verify_ != nullptr; }

  // Reports the negotiation's steps to `trace` (test-partner's probe);
  // nullptr stops it. The trace must outlive the session or be removed.
  void set_trace(OutboundTrace* trace) { trace_ = trace; }
  // Ends the stream politely (</stream:stream>), without a stream error.
  void Finish(const std::string& reason);
  const std::string& local_domain() const { return local_domain_; }
  const std::string& remote_domain() const { return remote_domain_; }

  uint64_t id() const override { return id_; }
  SessionInfo Info() const override;
  void Close(xml::StreamError error, const std::string& text) override;
  void RecheckPolicy() override;

 private:
  void TryNextTarget();
  void OnConnectReady();
  void OnStreamOpen(const xml::StreamHeader& header) override;
  void OnStanza(xmpp_stanza_t* stanza) override;
  void OnStreamEnd() override;
  void OnTlsEstablished() override;
  void OnClosed(const std::string& reason) override;

  void SendHeader();
  void HandleFeatures(xmpp_stanza_t* features);
  // Picks SASL EXTERNAL or dialback for the stream `features` announced.
  void Authenticate(xmpp_stanza_t* features);
  // Why SASL EXTERNAL cannot be used on this stream ("" when it can).
  std::string SaslExternalObstacle(xmpp_stanza_t* features) const;
  void HandleSaslOutcome(xmpp_stanza_t* stanza);
  void BecomeEstablished();
  // streamInactivityTimeout: how long a peer may leave our output unread.
  absl::Duration InactivityTimeout() const;
  // Ends the attempt: bounces the queue with `condition`, reports a
  // verification as unreachable, and closes.
  void Fail(const std::string& condition, const std::string& reason);
  void Log(const std::string& event, const std::string& details) const;

  EdgeServices* services_;
  uint64_t id_;
  std::string local_domain_;
  std::string remote_domain_;
  snapshot::PartnerRef partner_;
  std::unique_ptr<VerifyRequest> verify_;

  std::vector<ConnectTarget> targets_;
  size_t next_target_ = 0;
  int connecting_fd_ = -1;
  std::unique_ptr<XmlStream> stream_;
  std::string remote_stream_id_;
  bool peer_declared_dialback_ = false;
  bool tls_done_ = false;
  bool awaiting_proceed_ = false;
  // The server's certificate is trusted and valid for remote_domain_.
  bool server_certificate_valid_ = false;
  // SASL EXTERNAL: <auth/> sent, no answer yet; succeeded (the stream
  // restarted); failed (dialback may follow on the same stream).
  bool awaiting_sasl_ = false;
  bool sasl_done_ = false;
  bool sasl_failed_ = false;
  bool established_ = false;
  bool failed_ = false;
  // A verification that got its answer: closing is then not a failure.
  bool verified_ = false;
  bool closed_ = false;
  std::string auth_;
  absl::Time established_at_ = absl::InfinitePast();

  std::deque<xmpp_stanza_t*> queue_;
  net::EventLoop::TimerId establishment_timer_ = 0;
  OutboundTrace* trace_ = nullptr;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_SESSION_H_
