// EdgeImpl's part in test-partner: hosting PartnerProbes (agent/edge/probe)
// and the server-level XEP-0199 pings they send and answer.
#include <utility>

#include "agent/edge/core/edge_impl.h"
#include "agent/edge/sessions/stanzas.h"

namespace xmppfed::edge {
namespace {

constexpr char kNsPing[] = "urn:xmpp:ping";

bool IsIqOfType(xmpp_stanza_t* stanza, std::string_view type) {
  const char* name = xmpp_stanza_get_name(stanza);
  const char* actual = xmpp_stanza_get_type(stanza);
  return name != nullptr && std::string_view(name) == "iq" &&
         actual != nullptr && type == actual;
}

}  // namespace

void EdgeImpl::TestPartner(const snapshot::PartnerRef& partner,
                           const std::string& domain, absl::Duration timeout,
                           std::function<void(const ProbeStep&)> on_step) {
  loop_->Post(
      [this, partner, domain, timeout, on_step = std::move(on_step)]() mutable {
        std::string local = options_.local_domains.empty()
                                ? std::string()
                                : options_.local_domains.front();
        auto probe = std::make_unique<PartnerProbe>(
            this, partner, domain, local, timeout, std::move(on_step));
        PartnerProbe* raw = probe.get();
        probes_[raw] = std::move(probe);
        raw->Start();
      });
}

OutboundSession* EdgeImpl::OpenProbeStream(const std::string& local_domain,
                                           const std::string& domain,
                                           const snapshot::PartnerRef& partner,
                                           OutboundTrace* trace,
                                           std::vector<ConnectTarget> targets) {
  // Registered as a session (get-session shows it, shutdown closes it) but
  // not as the stanza stream of its pair of domains.
  OutboundSession* session = AddOutbound(
      std::make_unique<OutboundSession>(this, local_domain, domain, partner));
  session->set_trace(trace);
  session->Connect(std::move(targets));
  return session;
}

void EdgeImpl::ExpectPong(const std::string& id, PartnerProbe* probe) {
  if (probe == nullptr) {
    pongs_.erase(id);
  } else {
    pongs_[id] = probe;
  }
}

void EdgeImpl::ProbeFinished(PartnerProbe* probe) {
  if (!probe->ping_id().empty()) pongs_.erase(probe->ping_id());
  // Deleted once the caller's stack has unwound.
  loop_->Post([this, probe] { probes_.erase(probe); });
}

bool EdgeImpl::HandleServerIq(const snapshot::PartnerRef& partner,
                              xmpp_stanza_t* stanza) {
  if (IsIqOfType(stanza, "result") || IsIqOfType(stanza, "error")) {
    const char* id = xmpp_stanza_get_id(stanza);
    auto it = id == nullptr ? pongs_.end() : pongs_.find(id);
    if (it == pongs_.end()) return false;
    PartnerProbe* probe = it->second;
    pongs_.erase(it);
    probe->OnPong(stanza);
    return true;
  }
  // A ping to the bare domain is the server's to answer (XEP-0199 §4.2);
  // a ping to a user or resource goes to the gateway like any stanza.
  const char* to = xmpp_stanza_get_to(stanza);
  if (!IsIqOfType(stanza, "get") || to == nullptr ||
      std::string_view(to).find_first_of("@/") != std::string_view::npos ||
      xmpp_stanza_get_child_by_name_and_ns(stanza, "ping", kNsPing) ==
          nullptr) {
    return false;
  }
  xmpp_stanza_t* pong =
      xmpp_iq_new(xmpp_, "result", xmpp_stanza_get_id(stanza));
  xmpp_stanza_set_from(pong, to);
  xmpp_stanza_set_to(pong, xmpp_stanza_get_from(stanza));
  SendToPartner(partner, DomainOf(xmpp_stanza_get_from(stanza)), pong);
  xmpp_stanza_release(pong);
  return true;
}

}  // namespace xmppfed::edge
