#include "agent/edge/diagnosis/peer_refusal.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace xmppfed::edge::diagnosis {
namespace {

// Advice per condition; {local} and {remote} stand for the domains.
struct Advice {
  std::string_view condition;
  std::string_view text;
};

// What the partner's server means by each stream error (RFC 6120 §4.9.3)
// when it sends one to this edge's outbound stream.
constexpr std::array<Advice, 25> kStreamErrors = {{
    {"bad-format",
     "The partner's server could not read what this edge sent (bad-format). "
     "Check its log for this stream; if {remote}'s server is not an XMPP "
     "server, its SRV record or proxyFqdn points at the wrong service."},
    {"bad-namespace-prefix",
     "The partner's server did not accept the stream's namespace prefix "
     "(bad-namespace-prefix): it may not be an XMPP server-to-server port. "
     "Check the SRV record of {remote} or its proxyFqdn."},
    {"conflict",
     "The partner's server already has a stream from {local} and closed this "
     "one as a duplicate (conflict). Usually harmless; if it repeats, make "
     "sure one edge serves {local} towards {remote}."},
    {"connection-timeout",
     "The partner's server gave up waiting for this edge "
     "(connection-timeout): check the network path from this edge to "
     "{remote} and the partner's timeouts."},
    {"host-gone",
     "The partner's server no longer serves {remote} (host-gone): the "
     "partner moved its XMPP service. Ask them where it is now and update "
     "their DNS or the partner's proxyFqdn."},
    {"host-unknown",
     "The server reached does not serve {remote} (host-unknown): the SRV "
     "record _xmpp-server._tcp.{remote} or the partner's proxyFqdn points at "
     "a server that is not {remote}'s XMPP service, or that server lacks "
     "{remote} in its configuration."},
    {"improper-addressing",
     "The partner's server says a stream header lacked 'to' or 'from' "
     "(improper-addressing): report it with this edge's log for the test."},
    {"internal-server-error",
     "The partner's server failed internally (internal-server-error): ask "
     "the partner to look at its log at the time of this test."},
    {"invalid-from",
     "The partner's server does not accept {local} as the sender "
     "(invalid-from): it has not configured {local}, or the authentication "
     "proved another domain. Ask the partner to allow {local}."},
    {"invalid-namespace",
     "The partner's server expected another stream namespace "
     "(invalid-namespace): the port reached is not an XMPP server-to-server "
     "port. Check the SRV record of {remote} or its proxyFqdn."},
    {"invalid-xml",
     "The partner's server found this edge's XML invalid (invalid-xml): "
     "report it with this edge's log for the test."},
    {"not-authorized",
     "The partner's server did not accept this edge's authentication "
     "(not-authorized). With dialback it could not verify {local}'s key: its "
     "DNS for {local} must lead to this edge (or to an edge sharing its "
     "store). With SASL EXTERNAL it must trust this edge's certificate for "
     "{local}."},
    {"not-well-formed",
     "The partner's server read malformed XML from this edge "
     "(not-well-formed): report it with this edge's log for the test."},
    {"policy-violation",
     "The partner's server refuses {local} by its own policy "
     "(policy-violation): it has not allowed {local} to federate with it, or "
     "requires a security {local} does not meet. Ask the partner to add "
     "{local} to its federation partners (as {remote} is one here) and to "
     "compare its TLS and authentication settings with this partner's. A "
     "server that does not use TLS with {local} (tlsNegotiation "
     "NotSupported) refuses it over direct TLS (XEP-0368) too: then reach "
     "{remote} without TLS, on its plain server-to-server port."},
    {"remote-connection-failed",
     "The partner's server could not connect back to {local} to verify it "
     "(remote-connection-failed): _xmpp-server._tcp.{local} (or {local} on "
     "port 5269) must resolve, from the partner's network, to this edge, "
     "and its firewall must let the partner in."},
    {"reset",
     "The partner's server reset the stream (reset), e.g. after a change of "
     "its configuration or certificates: run the test again."},
    {"resource-constraint",
     "The partner's server is out of resources or at a connection limit "
     "(resource-constraint): try later, or ask the partner to raise its "
     "limits for {local}."},
    {"restricted-xml",
     "The partner's server refused XML it does not allow (restricted-xml): "
     "report it with this edge's log for the test."},
    {"see-other-host",
     "The partner's server sends this edge to another host "
     "(see-other-host, named in its text): set the partner's proxyFqdn to "
     "that host (xmppfed set-partner {remote} --proxy-fqdn HOST)."},
    {"system-shutdown",
     "The partner's server is shutting down (system-shutdown): run the test "
     "again once it is back."},
    {"undefined-condition",
     "The partner's server refused the stream without a standard reason "
     "(undefined-condition): its text, and its log, say why."},
    {"unsupported-encoding",
     "The partner's server does not accept UTF-8 (unsupported-encoding): it "
     "is not a conforming XMPP server; report it to the partner."},
    {"unsupported-feature",
     "The partner's server requires a feature this edge does not offer "
     "(unsupported-feature): compare its TLS and authentication settings "
     "with this partner's (tlsNegotiation, saslNegotiation, "
     "supportDialbackNegotiation)."},
    {"unsupported-stanza-type",
     "The partner's server received an element it does not support "
     "(unsupported-stanza-type): report it with this edge's log for the "
     "test."},
    {"unsupported-version",
     "The partner's server does not speak XMPP 1.0 server-to-server streams "
     "(unsupported-version): it is too old for this edge; ask the partner "
     "to upgrade."},
}};

// What the partner's server means by each SASL failure (RFC 6120 §6.5)
// to this edge's SASL EXTERNAL.
constexpr std::array<Advice, 11> kSaslFailures = {{
    {"aborted",
     "SASL EXTERNAL was aborted (aborted): run the test again; if it "
     "repeats, the partner's log says why."},
    {"account-disabled",
     "The partner's server has disabled {local} (account-disabled): ask the "
     "partner to enable it."},
    {"credentials-expired",
     "The partner's server finds this edge's certificate for {local} "
     "expired (credentials-expired): renew it (--tls-cert) and reload the "
     "agent."},
    {"encryption-required",
     "The partner's server wants a stronger TLS connection before SASL "
     "(encryption-required): compare the TLS versions and ciphers both "
     "allow."},
    {"incorrect-encoding",
     "The partner's server could not decode this edge's SASL data "
     "(incorrect-encoding): report it with this edge's log for the test."},
    {"invalid-authzid",
     "The partner's server does not accept {local} as the identity of this "
     "edge's certificate (invalid-authzid): the certificate (--tls-cert) "
     "must name {local} as a DNS name or XmppAddr."},
    {"invalid-mechanism",
     "The partner's server does not support SASL EXTERNAL after all "
     "(invalid-mechanism): set the partner's saslNegotiation to Optional or "
     "NotSupported to use dialback."},
    {"malformed-request",
     "The partner's server found this edge's SASL request malformed "
     "(malformed-request): report it with this edge's log for the test."},
    {"mechanism-too-weak",
     "The partner's server does not allow SASL EXTERNAL for {local} "
     "(mechanism-too-weak): agree with the partner on dialback "
     "(saslNegotiation Optional or NotSupported)."},
    {"not-authorized",
     "The partner's server does not accept this edge's certificate as proof "
     "of {local} (not-authorized): its chain must lead to a CA the partner "
     "trusts and it must name {local}. Give the partner your CA, or allow "
     "dialback (saslNegotiation Optional, supportDialbackNegotiation true)."},
    {"temporary-auth-failure",
     "The partner's server failed to check the certificate for now "
     "(temporary-auth-failure): run the test again later."},
}};

// What the partner's server means by each dialback error (XEP-0220 §2.4,
// stanza error conditions of RFC 6120 §8.3.3).
constexpr std::array<Advice, 8> kDialbackErrors = {{
    {"item-not-found",
     "The partner's server does not serve {remote} (item-not-found): the "
     "SRV record or proxyFqdn of {remote} leads to a server that does not "
     "host it."},
    {"host-unknown",
     "The partner's server does not serve {remote} (host-unknown): the SRV "
     "record or proxyFqdn of {remote} leads to a server that does not host "
     "it."},
    {"remote-connection-failed",
     "The partner's server could not connect back to {local} to verify this "
     "edge's key (remote-connection-failed): _xmpp-server._tcp.{local} (or "
     "{local} on port 5269) must resolve, from the partner's network, to "
     "this edge, and its firewall must let the partner in."},
    {"remote-server-not-found",
     "The partner's server found no server for {local} to verify this "
     "edge's key with (remote-server-not-found): publish "
     "_xmpp-server._tcp.{local} (or an address for {local}) pointing at "
     "this edge."},
    {"remote-server-timeout",
     "The partner's server timed out verifying this edge's key with {local} "
     "(remote-server-timeout): a firewall may drop its connection back to "
     "this edge; check the port published for {local}."},
    {"forbidden",
     "The partner's server refuses {local} by its policy (forbidden): ask "
     "the partner to add {local} to its federation partners."},
    {"not-allowed",
     "The partner's server refuses {local} by its policy (not-allowed): ask "
     "the partner to add {local} to its federation partners."},
    {"policy-violation",
     "The partner's server refuses {local} by its policy "
     "(policy-violation): ask the partner to add {local} to its federation "
     "partners."},
}};

std::string Fill(std::string_view text, const RefusalContext& context) {
  return absl::StrReplaceAll(
      absl::string_view(text.data(), text.size()),
      {{"{local}", context.local_domain}, {"{remote}", context.remote_domain}});
}

template <std::size_t N>
std::optional<std::string> Lookup(const std::array<Advice, N>& table,
                                  std::string_view condition,
                                  const RefusalContext& context) {
  for (const Advice& advice : table) {
    if (advice.condition == condition) return Fill(advice.text, context);
  }
  return std::nullopt;
}

std::string ElementName(const PeerRefusal& refusal) {
  return refusal.condition.empty() ? std::string("(none)")
                                   : absl::StrCat("<", refusal.condition, "/>");
}

}  // namespace

std::string DescribeRefusal(const PeerRefusal& refusal) {
  std::string what;
  switch (refusal.kind) {
    case PeerRefusal::Kind::kStreamError:
      what =
          absl::StrCat("the peer sent the stream error ", ElementName(refusal));
      break;
    case PeerRefusal::Kind::kStartTlsFailure:
      what = "the peer refused STARTTLS (<failure/>)";
      break;
    case PeerRefusal::Kind::kSaslFailure:
      what = absl::StrCat("the peer refused SASL EXTERNAL with ",
                          ElementName(refusal));
      break;
    case PeerRefusal::Kind::kDialbackInvalid:
      what =
          "the peer found this edge's dialback key invalid "
          "(<db:result type='invalid'/>)";
      break;
    case PeerRefusal::Kind::kDialbackError:
      what = absl::StrCat("the peer answered dialback with the error ",
                          ElementName(refusal));
      break;
  }
  if (!refusal.text.empty()) absl::StrAppend(&what, ": ", refusal.text);
  return what;
}

std::string AdviceFor(const PeerRefusal& refusal,
                      const RefusalContext& context) {
  std::optional<std::string> advice;
  switch (refusal.kind) {
    case PeerRefusal::Kind::kStreamError:
      advice = Lookup(kStreamErrors, refusal.condition, context);
      break;
    case PeerRefusal::Kind::kSaslFailure:
      advice = Lookup(kSaslFailures, refusal.condition, context);
      break;
    case PeerRefusal::Kind::kDialbackError:
      advice = Lookup(kDialbackErrors, refusal.condition, context);
      break;
    case PeerRefusal::Kind::kStartTlsFailure:
      return Fill(
          "The partner's server could not set up TLS with this edge (it "
          "answered STARTTLS with <failure/>): its certificate or key may be "
          "broken, or it shares no TLS version or cipher with this edge; its "
          "log says which.",
          context);
    case PeerRefusal::Kind::kDialbackInvalid:
      return Fill(
          "The partner's server checked this edge's dialback key with the "
          "server its DNS names for {local} and was told the key is invalid: "
          "that server is not this edge (the old one, still named by "
          "_xmpp-server._tcp.{local}?), or the edges of {local} do not share "
          "one store and so not one dialback passphrase. Point the DNS of "
          "{local} at this edge.",
          context);
  }
  if (advice) return *advice;
  return Fill(
      absl::StrCat("The partner's server refused this edge with a condition "
                   "this edge does not know (",
                   refusal.condition,
                   "): its text, and the partner's log, say why."),
      context);
}

std::optional<PeerRefusal> StreamErrorFromReason(std::string_view reason) {
  static constexpr std::string_view kMarker = "peer sent stream error ";
  std::size_t at = reason.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = reason.substr(at + kMarker.size());
  PeerRefusal refusal;
  std::size_t space = rest.find(' ');
  refusal.condition = std::string(rest.substr(0, space));
  if (space != std::string_view::npos) {
    std::string_view text = rest.substr(space + 1);
    if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
      refusal.text = std::string(text.substr(1, text.size() - 2));
    }
  }
  if (refusal.condition.empty()) return std::nullopt;
  return refusal;
}

}  // namespace xmppfed::edge::diagnosis
