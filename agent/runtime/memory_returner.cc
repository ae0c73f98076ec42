#include "agent/runtime/memory_returner.h"

#include <malloc.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agent/runtime/log.h"

namespace xmppfed::runtime {

MemoryReturner::MemoryReturner(Options options)
    : options_(options), thread_([this] { Run(); }) {}

MemoryReturner::~MemoryReturner() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

size_t MemoryReturner::ReturnIfGrown() {
  std::lock_guard<std::mutex> lock(trim_mutex_);
  // Every arena's free chunks (mallinfo2 sums the arenas).
  size_t held = mallinfo2().fordblks;
  if (held <= held_after_trim_ + options_.threshold_bytes) {
    // Reused since: the next growth counts from here.
    held_after_trim_ = std::min(held_after_trim_, held);
    return 0;
  }
  ::malloc_trim(0);
  held_after_trim_ = mallinfo2().fordblks;
  LogDebug("memory.returned",
           absl::StrCat("held=", held, " after=", held_after_trim_));
  return held;
}

void MemoryReturner::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.interval),
                   [this] { return stop_; });
    if (stop_) return;
    lock.unlock();
    ReturnIfGrown();
    lock.lock();
  }
}

}  // namespace xmppfed::runtime
