// What the federation edge reports to the metrics (agent/metrics): the few
// events it already has at hand, one call each. The edge holds a pointer to
// an EdgeMetrics (NoEdgeMetrics when --metrics-listen is off), so it never
// depends on the exporter. Every method is called on the edge's loop thread
// and must be cheap: no allocation or label lookup per stanza.
#ifndef XMPPFED_AGENT_METRICS_EDGE_METRICS_H_
#define XMPPFED_AGENT_METRICS_EDGE_METRICS_H_

#include <cstdint>
#include <string_view>

namespace xmppfed::metrics {

// Which way a stream or stanza goes, seen from this edge: inbound from a
// partner's server, outbound to it.
enum class Direction { kInbound, kOutbound };

// Bytes the S2S streams received and sent since the edge started: pulled
// from the edge when scraped (the streams count them already), not pushed.
struct StreamTraffic {
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
};

// The negotiation step a failure belongs to.
enum class FailureKind { kTls, kSasl, kDialback };

class EdgeMetrics {
 public:
  virtual ~EdgeMetrics() = default;

  // An S2S stream (id unique in the edge) began: its setup time counts from
  // here.
  virtual void StreamStarted(uint64_t stream_id) = 0;
  // The stream finished negotiating: `auth` is "SaslExternal",
  // "DialbackTls" or "DialbackTcp", `partner` the partner's identity. Only
  // a started stream that is not closed yet counts (once).
  virtual void StreamOpened(uint64_t stream_id, Direction direction,
                            std::string_view auth,
                            std::string_view partner) = 0;
  // The stream is gone (whether it opened or not).
  virtual void StreamClosed(uint64_t stream_id) = 0;
  // A stanza crossed the edge: from a partner (inbound) or to one
  // (outbound).
  virtual void StanzaRelayed(Direction direction) = 0;
  // The edge answered a stanza with an error (RFC 6120 §8.3.3 condition,
  // e.g. "service-unavailable").
  virtual void Bounced(std::string_view condition) = 0;
  // A negotiation step failed; `reason` is a condition name (e.g. a SASL
  // failure's), never free text.
  virtual void Failed(FailureKind kind, std::string_view reason) = 0;
};

// Metrics off: every call does nothing.
class NoEdgeMetrics final : public EdgeMetrics {
 public:
  void StreamStarted(uint64_t) override {}
  void StreamOpened(uint64_t, Direction, std::string_view,
                    std::string_view) override {}
  void StreamClosed(uint64_t) override {}
  void StanzaRelayed(Direction) override {}
  void Bounced(std::string_view) override {}
  void Failed(FailureKind, std::string_view) override {}

  // One shared instance (it has no state).
  static NoEdgeMetrics& Instance() {
    static NoEdgeMetrics none;
    return none;
  }
};

}  // namespace xmppfed::metrics

#endif  // XMPPFED_AGENT_METRICS_EDGE_METRICS_H_
