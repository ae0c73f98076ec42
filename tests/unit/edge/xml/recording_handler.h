// Test support: a StreamHandler that records every event, and a fixture
// owning the libstrophe context.
#ifndef XMPPFED_TESTS_UNIT_EDGE_XML_RECORDING_HANDLER_H_
#define XMPPFED_TESTS_UNIT_EDGE_XML_RECORDING_HANDLER_H_

#include <gtest/gtest.h>
#include <strophe.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/edge/xml/stream_parser.h"

namespace xmppfed::edge::xml {

class RecordingHandler : public StreamHandler {
 public:
  RecordingHandler() = default;
  ~RecordingHandler() override;
  RecordingHandler(const RecordingHandler&) = delete;
  RecordingHandler& operator=(const RecordingHandler&) = delete;

  void OnStreamOpen(const StreamHeader& header) override;
  void OnStanza(xmpp_stanza_t* stanza) override;
  void OnStreamClose() override;
  void OnStreamError(StreamError error, const std::string& detail) override;

  // Every event in order: "open", "stanza <xml>", "close", "error <name>".
  std::vector<std::string> events;
  std::vector<StreamHeader> headers;
  // Clones of the stanzas received, released by the destructor.
  std::vector<xmpp_stanza_t*> stanzas;
  std::optional<StreamError> error;
  std::string error_detail;
  // Run inside the callbacks, after recording.
  std::function<void(xmpp_stanza_t*)> on_stanza;
  std::function<void()> on_open;
};

// libstrophe allocation hooks that count the blocks alive, so tests can
// check that every stanza the parser built was released.
class CountingMemory {
 public:
  CountingMemory();
  const xmpp_mem_t* mem() const { return &mem_; }
  long live_blocks() const { return live_blocks_; }
  // Bytes of the live blocks (as malloc sized them), and the most there
  // ever were at once.
  long live_bytes() const { return live_bytes_; }
  long peak_bytes() const { return peak_bytes_; }

 private:
  static void* Alloc(size_t size, void* self);
  static void Free(void* block, void* self);
  static void* Realloc(void* block, size_t size, void* self);

  xmpp_mem_t mem_;
  long live_blocks_ = 0;
  long live_bytes_ = 0;
  long peak_bytes_ = 0;
};

// Owns a libstrophe context whose allocations are counted.
class XmlTest : public ::testing::Test {
 protected:
  XmlTest() : ctx_(xmpp_ctx_new(memory_.mem(), nullptr)) {}
  ~XmlTest() override { xmpp_ctx_free(ctx_); }

  // Blocks libstrophe holds beyond the context itself.
  long LiveStanzaBlocks() const { return memory_.live_blocks() - baseline_; }

  CountingMemory memory_;
  xmpp_ctx_t* ctx_;
  const long baseline_ = memory_.live_blocks();
};

// A server-to-server stream header declaring the dialback prefix.
inline constexpr std::string_view kServerHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' "
    "xmlns:db='jabber:server:dialback' from='remote.example' "
    "to='local.example' id='abc123' version='1.0' xml:lang='en'>";

// Parses `bytes` in one Feed call with `limits`; returns what was recorded.
std::unique_ptr<RecordingHandler> ParseAll(xmpp_ctx_t* ctx,
                                           std::string_view bytes,
                                           StreamLimits limits = {});

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_TESTS_UNIT_EDGE_XML_RECORDING_HANDLER_H_
