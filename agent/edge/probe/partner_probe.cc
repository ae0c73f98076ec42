#include "agent/edge/probe/partner_probe.h"

#include <openssl/x509v3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/tls/identity.h"

namespace xmppfed::edge {
namespace {

constexpr const char* kStepNames[] = {"dns",      "connect", "stream",
                                      "starttls", "auth",    "ping"};
constexpr char kNsPing[] = "urn:xmpp:ping";
constexpr char kNsSasl[] = "urn:ietf:params:xml:ns:xmpp-sasl";

// "starttls (required), SASL EXTERNAL, dialback": what the peer offers.
std::string DescribeFeatures(xmpp_stanza_t* features) {
  std::vector<std::string> offered;
  for (xmpp_stanza_t* child = xmpp_stanza_get_children(features);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    if (!xmpp_stanza_is_tag(child)) continue;
    std::string name = xmpp_stanza_get_name(child);
    if (xml::Is(child, "starttls", kNsTls)) {
      offered.push_back(xml::Child(child, "required", kNsTls) != nullptr
                            ? "starttls (required)"
                            : "starttls");
    } else if (xml::Is(child, "mechanisms", kNsSasl)) {
      std::vector<std::string> mechanisms;
      for (xmpp_stanza_t* m = xmpp_stanza_get_children(child); m != nullptr;
           m = xmpp_stanza_get_next(m)) {
        if (xmpp_stanza_is_tag(m)) mechanisms.push_back(xml::TextOf(m));
      }
      offered.push_back("SASL " + absl::StrJoin(mechanisms, " "));
    } else if (xml::Is(child, "dialback", kNsDialbackFeature)) {
      offered.push_back("dialback");
    } else {
      offered.push_back(name);
    }
  }
  return offered.empty() ? "no features" : absl::StrJoin(offered, ", ");
}

// "subject CN=partner.test, names partner.test, *.partner.test".
std::string DescribeCertificate(X509* cert) {
  if (cert == nullptr) return "no certificate";
  std::string text = "subject ";
  char subject[256] = {};
  X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
  text += subject;
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(dns->data),
                         static_cast<size_t>(dns->length));
    } else if (name->type == GEN_OTHERNAME) {
      names.push_back("(otherName)");
    }
  }
  GENERAL_NAMES_free(sans);
  if (!names.empty())
    absl::StrAppend(&text, ", names ", absl::StrJoin(names, " "));
  return text;
}

uint64_t Millis(absl::Duration elapsed) {
  return static_cast<uint64_t>(
      std::max<int64_t>(0, absl::ToInt64Milliseconds(elapsed)));
}

}  // namespace

PartnerProbe::PartnerProbe(ProbeHost* host, snapshot::PartnerRef partner,
                           std::string domain, std::string local_domain,
                           absl::Duration timeout,
                           std::function<void(const ProbeStep&)> on_step)
    : host_(host),
      partner_(std::move(partner)),
      domain_(std::move(domain)),
      local_domain_(std::move(local_domain)),
      timeout_(timeout),
      on_step_(std::move(on_step)) {}

PartnerProbe::~PartnerProbe() {
  if (timer_ != 0) host_->loop().CancelTimer(timer_);
  if (!ping_id_.empty()) host_->ExpectPong(ping_id_, nullptr);
  if (session_ != nullptr) session_->set_trace(nullptr);
}

void PartnerProbe::Start() {
  step_started_ = absl::Now();
  timer_ = host_->loop().AddTimer(timeout_, [this] {
    timer_ = 0;
    OnTimeout();
  });
  if (local_domain_.empty()) {
    Fail("",
         "The agent serves no local domain (--domain): there is no "
         "domain to federate from.");
    return;
  }
  host_->ResolvePartner(
      partner_, domain_,
      [this](absl::StatusOr<std::vector<dns::Address>> found) {
        OnResolved(std::move(found));
      });
}

void PartnerProbe::OnResolved(absl::StatusOr<std::vector<dns::Address>> found) {
  if (finished_ || step_ != kDns) return;
  bool proxy = !std::string(partner_->proxy_fqdn()).empty();
  if (!found.ok()) {
    std::string where =
        proxy ? "proxyFqdn " + std::string(partner_->proxy_fqdn())
              : "_xmpp-server._tcp." + domain_ + " (SRV) or " + domain_;
    std::string diagnosis;
    switch (found.status().code()) {
      case absl::StatusCode::kNotFound:
        diagnosis = proxy
                        ? "The partner's proxyFqdn does not resolve: check the "
                          "name (xmppfed set-partner --proxy-fqdn)."
                        : "DNS has no record saying where " + domain_ +
                              "'s XMPP server is: no SRV record "
                              "_xmpp-server._tcp." +
                              domain_ +
                              " and no address for the domain itself. Ask "
                              "the partner to publish one, or set its "
                              "server with --proxy-fqdn.";
        break;
      case absl::StatusCode::kDeadlineExceeded:
        diagnosis =
            "The DNS servers of this machine did not answer in time: check "
            "/etc/resolv.conf and that this machine reaches them.";
        break;
      default:
        diagnosis = "The DNS lookup failed (" +
                    std::string(found.status().message()) +
                    "): check this machine's DNS servers.";
    }
    Fail("looked up " + where, diagnosis);
    return;
  }
  std::vector<std::string> listed;
  std::vector<ConnectTarget> targets;
  for (const dns::Address& address : *found) {
    std::string ip = address.ip.find(':') != std::string::npos
                         ? "[" + address.ip + "]"
                         : address.ip;
    std::string where = absl::StrCat(ip, ":", address.port,
                                     address.direct_tls ? " (direct TLS)" : "");
    listed.push_back(address.host.empty() || address.host == address.ip
                         ? where
                         : absl::StrCat(address.host, " ", where));
    targets.push_back({address.ip, address.port, address.direct_tls});
  }
  Pass(absl::StrCat(proxy ? "proxyFqdn: " : "SRV or address records: ",
                    absl::StrJoin(listed, ", ")));
  session_ = host_->OpenProbeStream(local_domain_, domain_, partner_, this,
                                    std::move(targets));
}

void PartnerProbe::OnConnected(const std::string& peer) {
  if (finished_ || step_ != kConnect) return;
  peer_ = peer;
  Pass("connected to " + peer);
}

void PartnerProbe::OnFeatures(xmpp_stanza_t* features) {
  if (finished_) return;
  std::string offered = DescribeFeatures(features);
  if (step_ == kStream) {
    Pass("stream opened; the peer offers " + offered);
    policy::AllowedAuth allowed = partner_->allowed();
    bool starttls = xml::Child(features, "starttls", kNsTls) != nullptr;
    if (!allowed.tls_offered) {
      Skip("the partner's policy uses no TLS (tlsNegotiation NotSupported)");
    } else if (!starttls && !allowed.tls_required) {
      Skip(
          "not offered by the peer; the policy (tlsNegotiation Optional) "
          "allows a stream without TLS");
    }
    // Otherwise STARTTLS runs (or the session fails: OnFailed says why).
    return;
  }
  if (step_ == kStartTls && !tls_detail_.empty()) {
    // The restarted stream's features: TLS is in place.
    Pass(tls_detail_ + "; after TLS the peer offers " + offered);
  }
}

void PartnerProbe::OnTls(const tls::TlsChannel& channel) {
  if (finished_) return;
  if (step_ == kStream) {
    // XEP-0368 direct TLS: the handshake came first; the stream opens over
    // it, and the features that follow end the TLS step as after STARTTLS.
    Pass("direct TLS (XEP-0368): TLS from the first byte, ALPN " +
         (channel.alpn().empty() ? std::string("none") : channel.alpn()) +
         "; the stream opens over it, without STARTTLS");
  }
  if (step_ != kStartTls) return;
  X509* cert = channel.peer_certificate();
  tls::IdentityMatch match = tls::MatchXmppServerIdentity(cert, domain_);
  bool trusted = channel.peer_chain_trusted();
  tls_valid_ = trusted && match != tls::IdentityMatch::kNone;
  tls_detail_ = absl::StrCat(
      channel.version(), " ", channel.cipher(), "; certificate ",
      DescribeCertificate(cert), "; chain trusted: ", trusted ? "yes" : "no",
      "; names ", domain_, ": ",
      match == tls::IdentityMatch::kNone
          ? "no"
          : absl::StrCat("yes (", std::string(tls::IdentityMatchName(match)),
                         ")"));
}

void PartnerProbe::OnAuthenticated(const std::string& auth) {
  if (finished_) return;
  if (step_ == kStartTls) Pass(tls_detail_);
  if (step_ != kAuth) return;
  std::string how = auth == "SaslExternal"
                        ? "SASL EXTERNAL with this edge's certificate"
                    : auth == "DialbackTls" ? "Server Dialback over TLS"
                                            : "Server Dialback without TLS";
  Pass("authenticated: " + how + " (" + auth + ")");
  ping_id_ = absl::StrCat("xmppfed-test-", reinterpret_cast<uintptr_t>(this),
                          "-", absl::ToUnixMillis(absl::Now()));
  host_->ExpectPong(ping_id_, this);
  xmpp_stanza_t* iq = xmpp_iq_new(host_->xmpp(), "get", ping_id_.c_str());
  xmpp_stanza_set_from(iq, local_domain_.c_str());
  xmpp_stanza_set_to(iq, domain_.c_str());
  xmpp_stanza_t* ping = xmpp_stanza_new(host_->xmpp());
  xmpp_stanza_set_name(ping, "ping");
  xmpp_stanza_set_ns(ping, kNsPing);
  xmpp_stanza_add_child_ex(iq, ping, 0);
  ping_sent_ = absl::Now();
  session_->Send(iq);
  xmpp_stanza_release(iq);
}

void PartnerProbe::OnPong(xmpp_stanza_t* reply) {
  if (finished_ || step_ != kPing) return;
  std::string rtt = absl::StrCat(Millis(absl::Now() - ping_sent_), " ms");
  const char* type = xmpp_stanza_get_type(reply);
  if (type != nullptr && std::string(type) == "error") {
    Pass("answered with an error after " + rtt +
         ": the server does not answer XEP-0199 pings, but stanzas flow "
         "both ways");
  } else {
    Pass("pong from " + domain_ + " in " + rtt +
         " (over its own stream back to " + local_domain_ + ")");
  }
  Finish();
}

void PartnerProbe::OnPeerRefused(const diagnosis::PeerRefusal& refusal) {
  if (!refusal_) refusal_ = refusal;
}

void PartnerProbe::OnFailed(const std::string& reason) {
  if (finished_) return;
  // The session is failing or closing on its own: leave it be.
  if (session_ != nullptr) session_->set_trace(nullptr);
  session_ = nullptr;
  std::string detail = step_ == kStartTls ? tls_detail_ : "";
  if (step_ == kConnect && !peer_.empty()) detail = "connected to " + peer_;
  // What the peer said is the cause to name, whatever step was running.
  std::optional<diagnosis::PeerRefusal> refusal =
      refusal_ ? refusal_ : diagnosis::StreamErrorFromReason(reason);
  if (refusal) {
    std::string said = diagnosis::DescribeRefusal(*refusal);
    detail = detail.empty() ? said : detail + "; " + said;
    Fail(detail, diagnosis::AdviceFor(*refusal, {local_domain_, domain_}));
    return;
  }
  // The Detail column says what happened too, not only the diagnosis.
  Fail(detail.empty() ? reason : detail, Diagnose(reason));
}

std::string PartnerProbe::Diagnose(const std::string& reason) const {
  std::string why = "The stream failed: " + reason + ". ";
  switch (step_) {
    case kConnect:
      return why +
             "No address accepted a TCP connection: check that the partner's "
             "server runs and that firewalls let this machine reach it on "
             "the port above.";
    case kStream:
      return why +
             "The peer accepted the connection but did not open an XMPP "
             "server-to-server stream: is it an XMPP server, on its "
             "server-to-server port (5269)?";
    case kStartTls:
      if (!tls_detail_.empty() && !tls_valid_) {
        return why + "The partner's certificate is not valid for " + domain_ +
               ": its chain must lead to a trust anchor of this agent "
               "(--ca-file) and it must name " +
               domain_ + " (DNS name, _xmpp-server SRV-ID or XmppAddr).";
      }
      return why +
             "TLS could not be set up as the partner's policy "
             "(tlsNegotiation " +
             std::string(partner_->tls_negotiation() == v1::NEGOTIATION_REQUIRED
                             ? "Required"
                             : "Optional") +
             ") wants it: the peer must offer STARTTLS and share a TLS 1.2+ "
             "cipher with this edge.";
    case kAuth:
      return why +
             "The peer and this edge found no authentication both accept. "
             "SASL EXTERNAL needs certificates both sides trust; Server "
             "Dialback needs the partner's server to reach " +
             local_domain_ +
             " back (its DNS and firewall) and to accept dialback.";
    default:
      return why;
  }
}

void PartnerProbe::OnTimeout() {
  if (finished_) return;
  std::string waited =
      absl::StrCat("No progress within ", absl::FormatDuration(timeout_), ". ");
  switch (step_) {
    case kDns:
      Fail("", waited +
                   "The DNS lookup did not finish: check this machine's "
                   "DNS servers.");
      break;
    case kConnect:
      Fail("", waited +
                   "The TCP connection was not established: a firewall "
                   "may drop the packets, or the address is wrong.");
      break;
    case kPing:
      Fail("", waited +
                   "The ping went out, but no answer came back: the "
                   "partner's server could not open its stream back "
                   "to " +
                   local_domain_ + " (its DNS for " + local_domain_ +
                   ", a firewall towards this edge, or its own policy "
                   "for this domain).");
      break;
    default:
      Fail(step_ == kStartTls ? tls_detail_ : "",
           waited + Diagnose("no answer from the peer"));
  }
}

void PartnerProbe::Pass(const std::string& detail) {
  Report("Passed", detail, "");
}

void PartnerProbe::Skip(const std::string& detail) {
  Report("Skipped", detail, "");
}

void PartnerProbe::Fail(const std::string& detail,
                        const std::string& diagnosis) {
  Report("Failed", detail, diagnosis);
  while (step_ != kDone) Report("Skipped", "not reached", "");
  Finish();
}

void PartnerProbe::Report(const char* result, const std::string& detail,
                          const std::string& diagnosis) {
  if (step_ == kDone) return;
  absl::Time now = absl::Now();
  ProbeStep step{kStepNames[step_], result, Millis(now - step_started_), detail,
                 diagnosis};
  on_step_(step);
  step_ = static_cast<Step>(step_ + 1);
  step_started_ = now;
}

void PartnerProbe::Finish() {
  if (finished_) return;
  finished_ = true;
  if (timer_ != 0) {
    host_->loop().CancelTimer(timer_);
    timer_ = 0;
  }
  if (session_ != nullptr) {
    session_->set_trace(nullptr);
    session_->Finish("test-partner done");
    session_ = nullptr;
  }
  host_->ProbeFinished(this);
}

}  // namespace xmppfed::edge
