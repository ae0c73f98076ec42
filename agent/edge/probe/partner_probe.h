// `xmppfed test-partner`: a live check of federation with one partner, run
// by the edge on a stream of its own (never shared with stanza traffic),
// negotiated by the same OutboundSession code as real traffic, so it checks
// exactly what the partner's policy makes the edge do.
//
// Steps, reported in order, each once: dns, connect, stream, starttls, auth,
// ping. A step ends Passed, Failed (with a diagnosis in plain language:
// what went wrong and what to check) or Skipped (the policy does not need
// it, or an earlier step failed). The ping is an XEP-0199 <iq/> from the
// local domain to the partner domain; its answer comes back over the
// partner's own stream to this edge, so a Passed ping shows federation
// works both ways. An error answer (a server without XEP-0199) still shows
// that: the ping passes and says so.
#ifndef XMPPFED_AGENT_EDGE_PROBE_PARTNER_PROBE_H_
#define XMPPFED_AGENT_EDGE_PROBE_PARTNER_PROBE_H_

#include <strophe.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/edge/dns/resolver.h"
#include "agent/edge/net/event_loop.h"
#include "agent/edge/sessions/outbound_session.h"
#include "agent/edge/sessions/outbound_trace.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::edge {

struct ProbeStep {
  std::string step;    // dns, connect, stream, starttls, auth, ping
  std::string result;  // Passed, Failed, Skipped
  uint64_t elapsed_ms = 0;
  std::string detail;
  std::string diagnosis;  // only for Failed
};

class PartnerProbe;

// What a probe needs from the edge. Every call on the loop thread.
class ProbeHost {
 public:
  virtual ~ProbeHost() = default;
  virtual net::EventLoop& loop() = 0;
  virtual xmpp_ctx_t* xmpp() = 0;
  // Where `domain` (a domain of `partner`) is reached: proxyFqdn, else DNS
  // SRV with the A/AAAA fallback. `done` runs later, on the loop thread.
  virtual void ResolvePartner(
      const snapshot::PartnerRef& partner, const std::string& domain,
      std::function<void(absl::StatusOr<std::vector<dns::Address>>)> done) = 0;
  // Opens a stream from `local_domain` to `domain` that carries no stanza
  // traffic, reporting to `trace`, connecting to `targets` in order.
  virtual OutboundSession* OpenProbeStream(
      const std::string& local_domain, const std::string& domain,
      const snapshot::PartnerRef& partner, OutboundTrace* trace,
      std::vector<ConnectTarget> targets) = 0;
  // Routes the <iq/> answer with this id to `probe` (PartnerProbe::OnPong);
  // "" forgets it.
  virtual void ExpectPong(const std::string& id, PartnerProbe* probe) = 0;
  // The probe reported its last step: the host deletes it, later (never
  // from inside this call's stack).
  virtual void ProbeFinished(PartnerProbe* probe) = 0;
};

class PartnerProbe : public OutboundTrace {
 public:
  // `on_step` runs on the loop thread, once per step, in order.
  PartnerProbe(ProbeHost* host, snapshot::PartnerRef partner,
               std::string domain, std::string local_domain,
               absl::Duration timeout,
               std::function<void(const ProbeStep&)> on_step);
  ~PartnerProbe() override;

  void Start();
  // The answer to the ping (an <iq/> of type result or error).
  void OnPong(xmpp_stanza_t* reply);
  const std::string& ping_id() const { return ping_id_; }

  // OutboundTrace
  void OnConnected(const std::string& peer) override;
  void OnFeatures(xmpp_stanza_t* features) override;
  void OnTls(const tls::TlsChannel& channel) override;
  void OnAuthenticated(const std::string& auth) override;
  void OnFailed(const std::string& reason) override;
  void OnPeerRefused(const diagnosis::PeerRefusal& refusal) override;

 private:
  enum Step { kDns, kConnect, kStream, kStartTls, kAuth, kPing, kDone };

  void OnResolved(absl::StatusOr<std::vector<dns::Address>> found);
  void Pass(const std::string& detail);
  void Skip(const std::string& detail);
  // Fails the current step and skips the rest; then finishes.
  void Fail(const std::string& detail, const std::string& diagnosis);
  void Report(const char* result, const std::string& detail,
              const std::string& diagnosis);
  void OnTimeout();
  void Finish();
  // What to check when the current step failed because of `reason`.
  std::string Diagnose(const std::string& reason) const;

  ProbeHost* host_;
  snapshot::PartnerRef partner_;
  std::string domain_;
  std::string local_domain_;
  absl::Duration timeout_;
  std::function<void(const ProbeStep&)> on_step_;

  Step step_ = kDns;
  absl::Time step_started_;
  absl::Time ping_sent_;
  OutboundSession* session_ = nullptr;
  std::string peer_;
  std::string tls_detail_;  // filled by OnTls, reported after the restart
  bool tls_valid_ = false;
  std::string ping_id_;
  // What the peer said when it refused the stream (the first refusal).
  std::optional<diagnosis::PeerRefusal> refusal_;
  net::EventLoop::TimerId timer_ = 0;
  bool finished_ = false;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_PROBE_PARTNER_PROBE_H_
