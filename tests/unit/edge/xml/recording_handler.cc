#include "tests/unit/edge/xml/recording_handler.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>

#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge::xml {

CountingMemory::CountingMemory()
    : mem_{&CountingMemory::Alloc, &CountingMemory::Free,
           &CountingMemory::Realloc, this} {}

void* CountingMemory::Alloc(size_t size, void* self) {
  void* block = std::malloc(size);
  if (block != nullptr) {
    auto* memory = static_cast<CountingMemory*>(self);
    ++memory->live_blocks_;
    memory->live_bytes_ += malloc_usable_size(block);
    memory->peak_bytes_ = std::max(memory->peak_bytes_, memory->live_bytes_);
  }
  return block;
}

void CountingMemory::Free(void* block, void* self) {
  if (block != nullptr) {
    auto* memory = static_cast<CountingMemory*>(self);
    --memory->live_blocks_;
    memory->live_bytes_ -= malloc_usable_size(block);
  }
  std::free(block);
}

void* CountingMemory::Realloc(void* block, size_t size, void* self) {
  auto* memory = static_cast<CountingMemory*>(self);
  long before = block == nullptr ? 0 : malloc_usable_size(block);
  void* moved = std::realloc(block, size);
  if (moved == nullptr) return nullptr;
  if (block == nullptr) ++memory->live_blocks_;
  memory->live_bytes_ += static_cast<long>(malloc_usable_size(moved)) - before;
  memory->peak_bytes_ = std::max(memory->peak_bytes_, memory->live_bytes_);
  return moved;
}

RecordingHandler::~RecordingHandler() {
  for (xmpp_stanza_t* stanza : stanzas) xmpp_stanza_release(stanza);
}

void RecordingHandler::OnStreamOpen(const StreamHeader& header) {
  events.push_back("open");
  headers.push_back(header);
  if (on_open) on_open();
}

void RecordingHandler::OnStanza(xmpp_stanza_t* stanza) {
  events.push_back("stanza " + StanzaXml(stanza));
  stanzas.push_back(xmpp_stanza_clone(stanza));
  if (on_stanza) on_stanza(stanza);
}

void RecordingHandler::OnStreamClose() { events.push_back("close"); }

void RecordingHandler::OnStreamError(StreamError error,
                                     const std::string& detail) {
  events.push_back("error " + std::string(StreamErrorName(error)));
  this->error = error;
  error_detail = detail;
}

std::unique_ptr<RecordingHandler> ParseAll(xmpp_ctx_t* ctx,
                                           std::string_view bytes,
                                           StreamLimits limits) {
  auto handler = std::make_unique<RecordingHandler>();
  StreamParser parser(ctx, limits, handler.get());
  parser.Feed(bytes);
  return handler;
}

}  // namespace xmppfed::edge::xml
