// Fuzz target for the edge's XML stream parser.
//
// The input is fed in chunks whose sizes come from a generator seeded by the
// input, to a parser with small limits (so the limit paths are reached). The
// handler behaves like a session: it suspends on <starttls/>, after which
// the rest is fed to a reset parser, as after a STARTTLS or SASL restart.
// Finally the whole input is fed once more, in one piece, after a Reset.
//
// Besides the sanitizers, one property is checked on every stanza: written
// with StanzaXml and parsed again (behind a header with the same default
// namespace), it gives exactly one stanza that writes the same text. A
// failure aborts, so libFuzzer records the input.
#include <strophe.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "agent/edge/xml/stream_parser.h"
#include "agent/edge/xml/stream_writer.h"

namespace {

using xmppfed::edge::xml::StanzaXml;
using xmppfed::edge::xml::StreamError;
using xmppfed::edge::xml::StreamHandler;
using xmppfed::edge::xml::StreamHeader;
using xmppfed::edge::xml::StreamHeaderXml;
using xmppfed::edge::xml::StreamLimits;
using xmppfed::edge::xml::StreamParser;

xmpp_ctx_t* Context() {
  static xmpp_ctx_t* ctx = xmpp_ctx_new(nullptr, nullptr);
  return ctx;
}

[[noreturn]] void Violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "property violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// Collects what a re-parse of one written stanza produced.
class ReparseHandler : public StreamHandler {
 public:
  void OnStreamOpen(const StreamHeader&) override {}
  void OnStanza(xmpp_stanza_t* stanza) override {
    ++stanzas;
    written = StanzaXml(stanza);
  }
  void OnStreamClose() override {}
  void OnStreamError(StreamError, const std::string& detail) override {
    error = detail.empty() ? "error" : detail;
  }

  int stanzas = 0;
  std::string written;
  std::string error;
};

void CheckRoundTrip(const std::string& default_ns, xmpp_stanza_t* stanza) {
  std::string written = StanzaXml(stanza);
  if (written.empty()) Violated("StanzaXml wrote nothing", "");
  StreamHeader header;
  header.default_ns = default_ns;
  // Writing may add escapes and declarations: no limits but a sane bound.
  StreamLimits generous;
  generous.max_stanza_bytes = 1 << 24;
  generous.max_attributes = 1 << 16;
  ReparseHandler reparse;
  StreamParser parser(Context(), generous, &reparse);
  parser.Feed(StreamHeaderXml(header, false) + written);
  if (!reparse.error.empty()) Violated(reparse.error.c_str(), written);
  if (reparse.stanzas != 1) Violated("not exactly one stanza", written);
  if (reparse.written != written) {
    Violated("written differently", written + "\n" + reparse.written);
  }
}

class FuzzHandler : public StreamHandler {
 public:
  void set_parser(StreamParser* parser) { parser_ = parser; }

  void OnStreamOpen(const StreamHeader& header) override {
    default_ns_ = header.default_ns;
  }
  void OnStanza(xmpp_stanza_t* stanza) override {
    CheckRoundTrip(default_ns_, stanza);
    const char* name = xmpp_stanza_get_name(stanza);
    if (name != nullptr && std::string_view(name) == "starttls") {
      parser_->Suspend();
    }
  }
  void OnStreamClose() override {}
  void OnStreamError(StreamError, const std::string&) override {}

 private:
  StreamParser* parser_ = nullptr;
  std::string default_ns_;
};

// A small deterministic generator for chunk sizes (1..64 bytes).
class ChunkSizes {
 public:
  explicit ChunkSizes(uint32_t seed) : state_(seed | 1u) {}
  size_t Next() {
    state_ = state_ * 1664525u + 1013904223u;
    return 1 + ((state_ >> 16) % 64);
  }

 private:
  uint32_t state_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  StreamLimits limits;
  limits.max_stanza_bytes = 512;
  limits.max_depth = 8;
  limits.max_attributes = 8;
  limits.max_header_bytes = 256;
  FuzzHandler handler;
  StreamParser parser(Context(), limits, &handler);
  handler.set_parser(&parser);

  uint32_t seed = 0;
  for (size_t i = 0; i < size && i < 4; ++i) seed = seed * 256 + data[i];
  ChunkSizes sizes(seed);
  size_t offset = 0;
  while (offset < input.size()) {
    std::string_view chunk = input.substr(offset, sizes.Next());
    size_t consumed = parser.Feed(chunk);
    if (consumed > chunk.size()) Violated("consumed more than fed", "");
    if (consumed < chunk.size() || parser.failed()) {
      // Suspended, closed or failed: continue on a restarted stream.
      parser.Reset();
      if (parser.failed()) Violated("failed after Reset", "");
    }
    offset += consumed == 0 ? 1 : consumed;  // 0 only if nothing can parse
  }

  parser.Reset();
  size_t consumed = parser.Feed(input);
  if (consumed > input.size()) Violated("consumed more than fed", "");
  return 0;
}
