// The Edge, composed of its parts, and the EdgeServices its sessions use.
// Internal to agent/edge/core:
//   Acceptor         one per listener (S2S, S2S direct TLS, component)
//   SessionRegistry  live sessions by id, kind and partner
//   Router           where stanzas go
//   FlowControl      pauses the streams feeding a full one
//   PreAuthBudget    inbound streams still negotiating, oldest first
// EdgeImpl owns the loop thread, the TLS contexts, the resolver and the
// policy snapshot the loop decides from, and wires the parts together.
#ifndef XMPPFED_AGENT_EDGE_CORE_EDGE_IMPL_H_
#define XMPPFED_AGENT_EDGE_CORE_EDGE_IMPL_H_

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "agent/edge/core/acceptor.h"
#include "agent/edge/core/edge.h"
#include "agent/edge/core/flow_control.h"
#include "agent/edge/core/pre_auth_budget.h"
#include "agent/edge/core/router.h"
#include "agent/edge/core/session_registry.h"
#include "agent/edge/dns/resolver.h"
#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/outbound_session.h"

namespace xmppfed::edge {

class EdgeImpl : public Edge, public EdgeServices, public ProbeHost {
 public:
  // Dialback keys verified at once over the whole edge; more are answered
  // <db:result type='error'> with <resource-constraint/> (wait). Each
  // stream has at most DialbackReceiving::kMaxPending, each (receiving,
  // originating) pair one connection with at most
  // DialbackVerifier::kMaxRequests.
  static constexpr size_t kMaxVerificationsInFlight = 256;

  EdgeImpl(EdgeOptions options, snapshot::PolicySource* policy);
  ~EdgeImpl() override;

  absl::Status Open();

  // Edge
  std::string s2s_address() const override;
  std::string s2s_tls_address() const override;
  std::string component_address() const override;
  std::vector<SessionInfo> ListSessions(const std::string& partner) override;
  std::vector<SessionInfo> CloseSessions(const std::vector<uint64_t>& ids,
                                         const std::string& partner) override;
  void TestPartner(const snapshot::PartnerRef& partner,
                   const std::string& domain, absl::Duration timeout,
                   std::function<void(const ProbeStep&)> on_step) override;
  std::vector<PartnerFederationStatus> FederationStatus() override;
  std::vector<PartnerFederationStatus> FederationStatusOf(
      const std::vector<std::string>& partners) override;
  void PolicyChanged() override;
  void Shutdown() override;
  absl::Status ReloadCredentials(
      const std::vector<tls::Credential>& credentials,
      const std::string& ca_file) override;

  // ProbeHost (loop() and xmpp() as for EdgeServices); edge_probes.cc
  void ResolvePartner(
      const snapshot::PartnerRef& partner, const std::string& domain,
      std::function<void(absl::StatusOr<std::vector<dns::Address>>)> done)
      override;
  OutboundSession* OpenProbeStream(const std::string& local_domain,
                                   const std::string& domain,
                                   const snapshot::PartnerRef& partner,
                                   OutboundTrace* trace,
                                   std::vector<ConnectTarget> targets) override;
  void ExpectPong(const std::string& id, PartnerProbe* probe) override;
  void ProbeFinished(PartnerProbe* probe) override;

  // EdgeServices
  net::EventLoop& loop() override { return *loop_; }
  xmpp_ctx_t* xmpp() override { return xmpp_; }
  std::shared_ptr<const tls::TlsContexts> tls() override { return tls_; }
  bool CanServeTls(const std::string& local_domain) override;
  const snapshot::PolicySnapshot& policy() override { return *policy_; }
  xml::StreamLimits limits() override;
  std::string NewStreamId() override;
  uint64_t NewSessionId() override { return ++last_session_id_; }
  size_t CountPartnerStreams(std::string_view partner) override {
    return registry_.CountInboundOf(partner);
  }
  void PartnersChanged(Session* session) override;
  void ReverseRoutesChanged(Session* session) override;
  void WatchOutput(Session* session) override { flow_->Watch(session); }
  void VerifyDialback(const std::string& receiving,
                      const std::string& originating,
                      const std::string& stream_id, const std::string& key,
                      std::function<void(VerifyOutcome)> done) override;
  void DeliverLocally(xmpp_stanza_t* stanza) override {
    router_->DeliverLocally(stanza);
  }
  void DeliverFromPartner(const snapshot::PartnerRef& partner,
                          xmpp_stanza_t* stanza) override {
    router_->DeliverFromPartner(partner, stanza);
  }
  void DeliverFromComponent(const std::string& component_domain,
                            xmpp_stanza_t* stanza) override {
    router_->DeliverFromComponent(component_domain, stanza);
  }
  bool AttachComponent(const std::string& domain,
                       ComponentSession* session) override;
  metrics::EdgeMetrics& metrics() override { return *metrics_; }
  void SessionEstablished(Session* session) override;
  void StreamFailed(Session* session, const std::string& partner,
                    const std::string& step,
                    const std::string& reason) override;
  void StreamOpened(Session* session) override {
    pre_auth_.MarkOpened(session->id());
  }
  void SessionClosed(Session* session, const std::string& reason) override;

  std::optional<metrics::StreamTraffic> Traffic(
      absl::Duration timeout) override;

 private:
  // Takes the snapshot published last and re-checks every stream (loop
  // thread).
  void AdoptPolicy();
  // Logs "edge.descriptors" when the descriptor limit is short of what the
  // gateway's limits allow (descriptor_budget.h).
  void CheckDescriptorBudget();
  // `direct_tls`: from the --s2s-tls-listen listener (XEP-0368).
  void AcceptS2s(int fd, bool direct_tls);
  // Closes the unauthenticated inbound streams `ids` to make room for a
  // newer one (PreAuthBudget).
  void EvictUnauthenticated(const std::vector<uint64_t>& ids);
  void AcceptComponent(int fd);
  // Registers and starts an accepted session; over the limit, or shutting
  // down, it is closed at once with a stream error.
  template <typename T>
  void Admit(std::unique_ptr<T> session, bool over_limit,
             std::string_view event, std::string_view reason,
             const std::string& text);
  // Resolves where `partner`'s domain `domain` is served and connects
  // `session` there.
  void ResolveAndConnect(OutboundStream* session,
                         const snapshot::PartnerRef& partner,
                         const std::string& domain);
  OutboundSession* OpenStanzaStream(const snapshot::PartnerRef& partner,
                                    const std::string& from,
                                    const std::string& to);
  // An <iq/> from a partner that the edge itself answers or awaits: an
  // XEP-0199 ping to a bare local domain (answered), or the answer to a
  // probe's ping. True when it was one of those (consumed). edge_probes.cc
  bool HandleServerIq(const snapshot::PartnerRef& partner,
                      xmpp_stanza_t* stanza);
  // Sessions of `partner` (all of them when empty) that get-session and
  // remove-session see: S2S streams, not components.
  std::vector<Session*> S2sSessions(const std::string& partner) const;
  // What the book knows of `identity`, with its live streams counted now
  // (test-partner's own streams left out). Loop thread.
  PartnerFederationStatus StatusWithLiveStreams(
      const std::string& identity) const;
  // Runs `task` on the loop thread and waits for it.
  template <typename T>
  T RunOnLoop(std::function<T()> task);

  EdgeOptions options_;
  metrics::EdgeMetrics* metrics_;
  // Bytes of the S2S streams that closed (Traffic adds the live ones).
  metrics::StreamTraffic closed_traffic_;
  snapshot::PolicySource* policy_source_;
  // The snapshot the loop thread decides from; replaced on the loop thread
  // when a new one is published (PolicyChanged).
  std::shared_ptr<const snapshot::PolicySnapshot> policy_;
  std::unique_ptr<net::EventLoop> loop_;
  xmpp_ctx_t* xmpp_ = nullptr;
  // Replaced on the loop thread by a reload; the channels of live streams
  // hold the contexts they were made from.
  std::shared_ptr<tls::TlsContexts> tls_;
  std::unique_ptr<dns::Resolver> resolver_;
  std::thread thread_;
  uint64_t last_session_id_ = 0;
  bool shut_down_ = false;

  SessionRegistry registry_;
  FederationStatusBook federation_status_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<FlowControl> flow_;
  std::unique_ptr<Acceptor> s2s_acceptor_;
  std::unique_ptr<Acceptor> s2s_tls_acceptor_;
  std::unique_ptr<Acceptor> component_acceptor_;
  PreAuthBudget pre_auth_;
  // Dialback keys being verified, over every stream, and the verifier
  // connection of each (receiving, originating) pair (new keys for the
  // pair join it).
  size_t verifications_in_flight_ = 0;
  std::map<std::pair<std::string, std::string>, uint64_t> verifiers_;
  // Set while the pre-authentication budget is evicting, so that an attack
  // logs one warning, not one per connection; cleared once it is half
  // empty.
  bool pre_auth_full_logged_ = false;

  // test-partner checks running, and the ping ids they wait for.
  std::map<PartnerProbe*, std::unique_ptr<PartnerProbe>> probes_;
  std::map<std::string, PartnerProbe*> pongs_;
};

template <typename T>
T EdgeImpl::RunOnLoop(std::function<T()> task) {
  std::promise<T> promise;
  std::future<T> result = promise.get_future();
  loop_->Post([&] { promise.set_value(task()); });
  return result.get();
}

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_EDGE_IMPL_H_
