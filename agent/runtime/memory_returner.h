// Gives memory the agent freed back to the system. glibc keeps freed heap
// memory for reuse: after an attack held many partial stanzas, or a burst of
// streams ended, the agent's resident size would stay at its peak (issue
// 11: 157 MB long after the attack). A thread checks every `interval` how
// much freed memory the allocator holds (mallinfo2) and, when that grew by
// more than `threshold_bytes` since the last trim, calls malloc_trim, which
// hands the free pages back (the allocator still counts them as free, hence
// growth rather than the total), logging "memory.returned" (debug).
#ifndef XMPPFED_AGENT_RUNTIME_MEMORY_RETURNER_H_
#define XMPPFED_AGENT_RUNTIME_MEMORY_RETURNER_H_

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace xmppfed::runtime {

class MemoryReturner {
 public:
  struct Options {
    absl::Duration interval = absl::Seconds(2);
    size_t threshold_bytes = size_t{4} << 20;
  };

  // Starts the thread.
  explicit MemoryReturner(Options options);
  MemoryReturner() : MemoryReturner(Options()) {}
  // Stops and joins it.
  ~MemoryReturner();
  MemoryReturner(const MemoryReturner&) = delete;
  MemoryReturner& operator=(const MemoryReturner&) = delete;

  // One check now (any thread): trims when the freed memory the allocator
  // holds grew by more than `threshold_bytes` since the last trim; returns
  // the freed bytes it held then (0: no trim).
  size_t ReturnIfGrown();

 private:
  void Run();

  Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::mutex trim_mutex_;
  // Free bytes the allocator held right after the last trim.
  size_t held_after_trim_ = 0;  // guarded by trim_mutex_
  std::thread thread_;
};

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_MEMORY_RETURNER_H_
