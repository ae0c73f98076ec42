// A stream handler for the parser benchmarks: counts the stanzas the parser
// delivers and reports a stream error on stderr (and exits, when the
// benchmark wants every byte to parse).
#ifndef XMPPFED_TESTS_BENCH_COUNTING_HANDLER_H_
#define XMPPFED_TESTS_BENCH_COUNTING_HANDLER_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "agent/edge/xml/stream_parser.h"

namespace xmppfed::bench {

class CountingHandler : public edge::xml::StreamHandler {
 public:
  explicit CountingHandler(bool errors_are_fatal = false)
      : errors_are_fatal_(errors_are_fatal) {}
  void OnStreamOpen(const edge::xml::StreamHeader&) override {}
  void OnStanza(xmpp_stanza_t*) override { ++stanzas; }
  void OnStreamClose() override {}
  void OnStreamError(edge::xml::StreamError,
                     const std::string& detail) override {
    std::fprintf(stderr, "stream error: %s\n", detail.c_str());
    if (errors_are_fatal_) std::exit(1);
  }

  long stanzas = 0;

 private:
  bool errors_are_fatal_;
};

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_COUNTING_HANDLER_H_
