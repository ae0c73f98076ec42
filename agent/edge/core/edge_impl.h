// The Edge and the EdgeServices its sessions use: the registry of live
// sessions, the routing between components and partners, and the loop
// thread. Internal to agent/edge/core.
#ifndef XMPPFED_AGENT_EDGE_CORE_EDGE_IMPL_H_
#define XMPPFED_AGENT_EDGE_CORE_EDGE_IMPL_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "agent/edge/core/edge.h"
#include "agent/edge/dns/resolver.h"
#include "agent/edge/sessions/component_session.h"
#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/outbound_session.h"

namespace xmppfed::edge {

class EdgeImpl : public Edge, public EdgeServices, public ProbeHost {
 public:
  EdgeImpl(EdgeOptions options, snapshot::PolicySource* policy);
  ~EdgeImpl() override;

  absl::Status Open();

  // Edge
  std::string s2s_address() const override { return s2s_address_; }
  std::string component_address() const override { return component_address_; }
  std::vector<SessionInfo> ListSessions(const std::string& partner) override;
  std::vector<SessionInfo> CloseSessions(const std::vector<uint64_t>& ids,
                                         const std::string& partner) override;
  void TestPartner(const snapshot::PartnerRef& partner,
                   const std::string& domain, absl::Duration timeout,
                   std::function<void(const ProbeStep&)> on_step) override;
  void PolicyChanged() override;
  void Shutdown() override;

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
  tls::TlsContexts& tls() override { return *tls_; }
  bool CanServeTls(const std::string& local_domain) override;
  const snapshot::PolicySnapshot& policy() override { return *policy_; }
  xml::StreamLimits limits() override;
  std::string NewStreamId() override;
  uint64_t NewSessionId() override { return ++last_session_id_; }
  size_t CountPartnerSessions(const std::string& partner) override;
  size_t CountSessions() override { return sessions_.size(); }
  void VerifyDialback(const std::string& receiving,
                      const std::string& originating,
                      const std::string& stream_id, const std::string& key,
                      std::function<void(VerifyOutcome)> done) override;
  void DeliverLocally(xmpp_stanza_t* stanza) override;
  void DeliverFromPartner(const snapshot::PartnerRef& partner,
                          xmpp_stanza_t* stanza) override;
  void DeliverFromComponent(const std::string& component_domain,
                            xmpp_stanza_t* stanza) override;
  bool AttachComponent(const std::string& domain,
                       ComponentSession* session) override;
  void SessionEstablished(Session* session) override;
  void SessionClosed(Session* session, const std::string& reason) override;

 private:
  // With the gateway's enableLoggingAllMessageBodies on, one `event` line
  // with the addresses and body of a <message/>; nothing otherwise.
  void LogMessageBody(std::string_view event, xmpp_stanza_t* stanza);
  // Queues `stanza` on the outbound stream from its sender's domain to
  // `to`, opening the stream on demand. The stream keeps its own reference.
  void SendToPartner(const snapshot::PartnerRef& partner, const std::string& to,
                     xmpp_stanza_t* stanza);
  absl::Status OpenListener(const ListenOn& on, int* fd, std::string* bound);
  void AcceptS2s();
  void AcceptComponents();
  // Resolves where `partner`'s domain `domain` is served and connects
  // `session` there.
  void ResolveAndConnect(OutboundSession* session,
                         const snapshot::PartnerRef& partner,
                         const std::string& domain);
  OutboundSession* AddOutbound(std::unique_ptr<OutboundSession> session);
  // An <iq/> from a partner that the edge itself answers or awaits: an
  // XEP-0199 ping to a bare local domain (answered), or the answer to a
  // probe's ping. True when it was one of those (consumed). edge_probes.cc
  bool HandleServerIq(const snapshot::PartnerRef& partner,
                      xmpp_stanza_t* stanza);
  // Runs `task` on the loop thread and waits for it.
  template <typename T>
  T RunOnLoop(std::function<T()> task);

  EdgeOptions options_;
  snapshot::PolicySource* policy_source_;
  // The snapshot the loop thread decides from; replaced on the loop thread
  // when a new one is published (PolicyChanged).
  std::shared_ptr<const snapshot::PolicySnapshot> policy_;
  std::unique_ptr<net::EventLoop> loop_;
  xmpp_ctx_t* xmpp_ = nullptr;
  std::unique_ptr<tls::TlsContexts> tls_;
  std::unique_ptr<dns::Resolver> resolver_;
  std::thread thread_;
  int s2s_fd_ = -1;
  int component_fd_ = -1;
  std::string s2s_address_ = "off";
  std::string component_address_ = "off";
  uint64_t last_session_id_ = 0;
  bool shut_down_ = false;

  std::map<uint64_t, std::unique_ptr<Session>> sessions_;
  // (local domain, remote domain) -> the stanza stream between them.
  std::map<std::pair<std::string, std::string>, OutboundSession*> outbound_;
  std::map<std::string, ComponentSession*> components_;
  // test-partner checks running, and the ping ids they wait for.
  std::map<PartnerProbe*, std::unique_ptr<PartnerProbe>> probes_;
  std::map<std::string, PartnerProbe*> pongs_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_EDGE_IMPL_H_
