// EdgeServices for tests of one session or of the router: a real event loop
// on a driven clock, a libstrophe context, TLS contexts without credentials
// (no STARTTLS), a policy snapshot the test sets, and records of what the
// session asked of the edge. Dialback verifications wait until the test
// answers them.
#ifndef XMPPFED_TESTS_UNIT_EDGE_SESSIONS_FAKE_EDGE_SERVICES_H_
#define XMPPFED_TESTS_UNIT_EDGE_SESSIONS_FAKE_EDGE_SERVICES_H_

#include <strophe.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/edge/net/clock.h"
#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/session.h"

namespace xmppfed::edge::testing {

class FakeEdgeServices : public EdgeServices {
 public:
  struct Delivery {
    std::string partner;  // "" for a stanza a component sent
    std::string xml;
  };
  struct Verification {
    std::string receiving;
    std::string originating;
    std::string key;
    std::function<void(VerifyOutcome)> done;
  };

  FakeEdgeServices();
  ~FakeEdgeServices() override;

  void set_policy(snapshot::PolicySnapshot policy);
  // One loop round without waiting.
  void Pump() { loop_->RunOnce(absl::ZeroDuration()); }
  void Advance(absl::Duration by);

  std::vector<Delivery> delivered;
  std::vector<Delivery> from_components;
  std::vector<Verification> verifications;
  std::vector<std::string> closed;
  int partners_changed = 0;
  // What CountPartnerStreams answers, per partner (0 when absent).
  std::map<std::string, size_t, std::less<>> partner_streams;

  net::EventLoop& loop() override { return *loop_; }
  xmpp_ctx_t* xmpp() override { return ctx_; }
  std::shared_ptr<const tls::TlsContexts> tls() override { return tls_; }
  bool CanServeTls(const std::string&) override { return false; }
  const snapshot::PolicySnapshot& policy() override { return *policy_; }
  xml::StreamLimits limits() override { return xml::StreamLimits(); }
  std::string NewStreamId() override {
    return "stream-" + std::to_string(++last_stream_id_);
  }
  uint64_t NewSessionId() override { return ++last_session_id_; }
  size_t CountPartnerStreams(std::string_view partner) override;
  void PartnersChanged(Session*) override { ++partners_changed; }
  void WatchOutput(Session*) override {}
  void VerifyDialback(const std::string& receiving,
                      const std::string& originating,
                      const std::string& stream_id, const std::string& key,
                      std::function<void(VerifyOutcome)> done) override;
  void DeliverLocally(xmpp_stanza_t* stanza) override;
  void DeliverFromPartner(const snapshot::PartnerRef& partner,
                          xmpp_stanza_t* stanza) override;
  void DeliverFromComponent(const std::string& component_domain,
                            xmpp_stanza_t* stanza) override;
  bool AttachComponent(const std::string&, ComponentSession*) override {
    return true;
  }
  void SessionEstablished(Session*) override {}
  void SessionClosed(Session*, const std::string& reason) override {
    closed.push_back(reason);
  }

  static std::string Xml(xmpp_stanza_t* stanza);

 private:
  net::ManualClock clock_;
  std::unique_ptr<net::EventLoop> loop_;
  xmpp_ctx_t* ctx_ = nullptr;
  std::shared_ptr<tls::TlsContexts> tls_;
  std::unique_ptr<snapshot::PolicySnapshot> policy_;
  uint64_t last_stream_id_ = 0;
  uint64_t last_session_id_ = 0;
};

// A non-blocking socketpair: `session_fd` for the session (which owns it),
// the peer's end read and written by the test.
class PeerSocket {
 public:
  PeerSocket();
  ~PeerSocket();
  int TakeSessionFd();
  void Write(const std::string& bytes);
  // Everything read so far, after reading what is there now.
  const std::string& Read();
  // Pumps `services` until what was read contains `text` (or the session's
  // end closed, or 200 rounds passed).
  bool PumpUntil(FakeEdgeServices& services, const std::string& text);
  bool closed() const { return closed_; }

 private:
  int session_fd_ = -1;
  int peer_fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

}  // namespace xmppfed::edge::testing

#endif  // XMPPFED_TESTS_UNIT_EDGE_SESSIONS_FAKE_EDGE_SERVICES_H_
