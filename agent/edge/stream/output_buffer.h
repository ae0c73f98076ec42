// Bytes queued for one socket: a singly linked queue of fixed-size chunks.
// Appending never moves bytes already queued and consuming from the front
// frees whole chunks, so a write costs the bytes it writes, not the bytes
// still waiting; an empty buffer holds no memory at all (idle streams are
// many).
#ifndef XMPPFED_AGENT_EDGE_STREAM_OUTPUT_BUFFER_H_
#define XMPPFED_AGENT_EDGE_STREAM_OUTPUT_BUFFER_H_

#include <sys/uio.h>

#include <cstddef>
#include <string_view>

namespace xmppfed::edge {

class OutputBuffer {
 public:
  // One TLS record's worth: Front() hands TLS at most one full record.
  static constexpr size_t kChunkBytes = 16 * 1024;

  OutputBuffer() = default;
  ~OutputBuffer();
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;

  void Append(std::string_view bytes);

  // The first contiguous run of queued bytes ("" when empty). Until the next
  // Consume or Clear its data stays at the same address and it only grows
  // (appends may extend it up to kChunkBytes): what an SSL_write retry needs.
  std::string_view Front() const;
  // Fills up to `max` entries of `iov` with the queued runs in order; returns
  // how many it filled (for writev/sendmsg).
  size_t Gather(iovec* iov, size_t max) const;

  // Drops the first `bytes` (at most size()).
  void Consume(size_t bytes);
  void Clear();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Chunk;

  Chunk* head_ = nullptr;
  Chunk* tail_ = nullptr;
  size_t size_ = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_STREAM_OUTPUT_BUFFER_H_
