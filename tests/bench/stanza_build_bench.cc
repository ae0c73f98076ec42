// Building a flat stanza of N empty children (issue 11's quadratic-building
// attack): the edge's parser (children linked in constant time) against
// appending each child with libstrophe's xmpp_stanza_add_child_ex (the
// baseline: what the builder did before), in the same run, at 16k, 32k,
// 64k and 128k children. Prints seconds per size and the ratio to the
// previous size: linear building doubles, quadratic quadruples. The
// baseline stops at 64k (128k takes minutes).
#include <strophe.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "agent/edge/xml/stream_parser.h"
#include "tests/bench/counting_handler.h"

namespace {

using Clock = std::chrono::steady_clock;
using xmppfed::bench::CountingHandler;
using xmppfed::edge::xml::StreamLimits;
using xmppfed::edge::xml::StreamParser;

constexpr char kHeader[] =
    "<stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' to='a' from='b' "
    "version='1.0'>";

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The edge's parser, header and stanza fed in one piece.
double ParseWithEdge(xmpp_ctx_t* ctx, size_t children) {
  std::string stanza = "<message>";
  for (size_t i = 0; i < children; ++i) stanza += "<a/>";
  stanza += "</message>";
  StreamLimits limits;
  limits.max_stanza_bytes = stanza.size();
  limits.max_children = children;
  CountingHandler handler;
  StreamParser parser(ctx, limits, &handler);
  parser.Feed(kHeader);
  Clock::time_point start = Clock::now();
  parser.Feed(stanza);
  double seconds = Seconds(start);
  if (handler.stanzas != 1) std::fprintf(stderr, "stanza not built\n");
  return seconds;
}

// The baseline: the same tree, each child appended by add_child_ex.
double BuildWithAddChild(xmpp_ctx_t* ctx, size_t children) {
  Clock::time_point start = Clock::now();
  xmpp_stanza_t* message = xmpp_stanza_new(ctx);
  xmpp_stanza_set_name(message, "message");
  for (size_t i = 0; i < children; ++i) {
    xmpp_stanza_t* child = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(child, "a");
    xmpp_stanza_add_child_ex(message, child, 0);
  }
  xmpp_stanza_release(message);
  return Seconds(start);
}

}  // namespace

int main() {
  xmpp_initialize();
  xmpp_ctx_t* ctx = xmpp_ctx_new(nullptr, nullptr);
  std::printf("%9s %12s %7s %14s %7s\n", "children", "edge_s", "ratio",
              "add_child_s", "ratio");
  double edge_before = 0, baseline_before = 0;
  for (size_t children : {16384, 32768, 65536, 131072}) {
    double edge = ParseWithEdge(ctx, children);
    double baseline = children <= 65536 ? BuildWithAddChild(ctx, children) : 0;
    if (baseline == 0) {
      std::printf("%9zu %12.4f %7.2f %14s %7s\n", children, edge,
                  edge / edge_before, "skipped", "-");
      continue;
    }
    if (edge_before == 0) {
      std::printf("%9zu %12.4f %7s %14.4f %7s\n", children, edge, "-", baseline,
                  "-");
    } else {
      std::printf("%9zu %12.4f %7.2f %14.4f %7.2f\n", children, edge,
                  edge / edge_before, baseline, baseline / baseline_before);
    }
    edge_before = edge;
    baseline_before = baseline;
  }
  xmpp_ctx_free(ctx);
  xmpp_shutdown();
  return 0;
}
