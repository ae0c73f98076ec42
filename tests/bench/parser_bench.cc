// The stream parser's cost per stanza (issue 11: stanzas are recorded as
// compact bytes and built into a libstrophe tree once complete): parses a
// stream of typical chat messages fed in 16 KiB reads, and the same
// messages each split over two reads (so every one is held partial once),
// and prints microseconds per stanza and MB/s; then the bytes held for a
// partial stanza of empty children against its size. The baseline, in the
// same run, is expat alone over the same bytes (no stanza built): the
// difference is what building costs.
//   parser_bench [MESSAGES=200000]
#include <expat.h>
#include <strophe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
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
    "xmlns:stream='http://etherx.jabber.org/streams' to='a.example' "
    "from='b.example' version='1.0'>";

std::string Message(long i) {
  return "<message from='alice@b.example/phone' to='bob@a.example' id='m" +
         std::to_string(i) +
         "' type='chat'><body>See you at the meeting at ten, "
         "room 4.</body><active "
         "xmlns='http://jabber.org/protocol/chatstates'/></message>";
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double ParseWithEdge(xmpp_ctx_t* ctx, const std::string& bytes, size_t chunk,
                     long expected) {
  CountingHandler handler(/*errors_are_fatal=*/true);
  StreamParser parser(ctx, StreamLimits{}, &handler);
  Clock::time_point start = Clock::now();
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    parser.Feed(std::string_view(bytes).substr(at, chunk));
  }
  double seconds = Seconds(start);
  if (handler.stanzas != expected) {
    std::fprintf(stderr, "parsed %ld stanzas, expected %ld\n", handler.stanzas,
                 expected);
    std::exit(1);
  }
  return seconds;
}

double ParseWithExpatAlone(const std::string& bytes, size_t chunk) {
  XML_Parser expat = XML_ParserCreateNS("UTF-8", '\xFF');
  Clock::time_point start = Clock::now();
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    size_t size = std::min(chunk, bytes.size() - at);
    XML_Parse(expat, bytes.data() + at, static_cast<int>(size), 0);
  }
  double seconds = Seconds(start);
  XML_ParserFree(expat);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  long messages = argc > 1 ? std::atol(argv[1]) : 200000;
  xmpp_initialize();
  xmpp_ctx_t* ctx = xmpp_ctx_new(nullptr, nullptr);
  std::string bytes = kHeader;
  for (long i = 0; i < messages; ++i) bytes += Message(i);
  size_t message_size = Message(0).size();
  double mb = static_cast<double>(bytes.size()) / 1e6;

  double expat = ParseWithExpatAlone(bytes, 16384);
  double whole = ParseWithEdge(ctx, bytes, 16384, messages);
  // Reads of 1.5 messages: every other message is split over two reads.
  double split = ParseWithEdge(ctx, bytes, message_size * 3 / 2, messages);
  std::printf(
      "%ld messages of %zu bytes (%.1f MB)\n"
      "  expat alone (baseline):     %.3f us/stanza  %.0f MB/s\n"
      "  edge parser, 16 KiB reads:  %.3f us/stanza  %.0f MB/s  (%.2fx the "
      "baseline)\n"
      "  edge parser, split stanzas: %.3f us/stanza  %.0f MB/s  (%.2fx)\n",
      messages, message_size, mb, expat * 1e6 / messages, mb / expat,
      whole * 1e6 / messages, mb / whole, whole / expat, split * 1e6 / messages,
      mb / split, split / expat);

  {
    // What a stanza that never completes holds (the parser goes before the
    // context).
    CountingHandler handler;
    StreamParser parser(ctx, StreamLimits{}, &handler);
    parser.Feed(kHeader);
    parser.Feed("<message>");
    size_t fed = 9;
    for (int i = 0; i < 9000; ++i, fed += 4) parser.Feed("<a/>");
    std::printf(
        "  partial stanza of 9,000 empty children: %zu bytes received, %zu "
        "bytes held (%.2fx)\n",
        fed, parser.partial_stanza_bytes(),
        static_cast<double>(parser.partial_stanza_bytes()) /
            static_cast<double>(fed));
  }
  xmpp_ctx_free(ctx);
  xmpp_shutdown();
  return 0;
}
