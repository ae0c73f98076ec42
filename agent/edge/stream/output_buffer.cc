#include "agent/edge/stream/output_buffer.h"

#include <algorithm>
#include <cstring>

namespace xmppfed::edge {

struct OutputBuffer::Chunk {
  Chunk* next = nullptr;
  // Queued bytes are data[begin, end).
  size_t begin = 0;
  size_t end = 0;
  char data[kChunkBytes];
};

OutputBuffer::~OutputBuffer() { Clear(); }

void OutputBuffer::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    if (tail_ == nullptr || tail_->end == kChunkBytes) {
      // Uninitialised storage: only the bytes copied in are ever read.
      Chunk* chunk = new Chunk;
      if (tail_ == nullptr) {
        head_ = chunk;
      } else {
        tail_->next = chunk;
      }
      tail_ = chunk;
    }
    size_t room = kChunkBytes - tail_->end;
    size_t take = std::min(room, bytes.size());
    std::memcpy(tail_->data + tail_->end, bytes.data(), take);
    tail_->end += take;
    size_ += take;
    bytes.remove_prefix(take);
  }
}

std::string_view OutputBuffer::Front() const {
  if (head_ == nullptr) return {};
  return std::string_view(head_->data + head_->begin,
                          head_->end - head_->begin);
}

size_t OutputBuffer::Gather(iovec* iov, size_t max) const {
  size_t filled = 0;
  for (Chunk* chunk = head_; chunk != nullptr && filled < max;
       chunk = chunk->next) {
    iov[filled].iov_base = chunk->data + chunk->begin;
    iov[filled].iov_len = chunk->end - chunk->begin;
    ++filled;
  }
  return filled;
}

void OutputBuffer::Consume(size_t bytes) {
  bytes = std::min(bytes, size_);
  size_ -= bytes;
  while (bytes > 0) {
    size_t queued = head_->end - head_->begin;
    if (bytes < queued) {
      head_->begin += bytes;
      return;
    }
    bytes -= queued;
    Chunk* next = head_->next;
    delete head_;
    head_ = next;
  }
  if (head_ == nullptr) tail_ = nullptr;
}

void OutputBuffer::Clear() {
  while (head_ != nullptr) {
    Chunk* next = head_->next;
    delete head_;
    head_ = next;
  }
  tail_ = nullptr;
  size_ = 0;
}

}  // namespace xmppfed::edge
