#include "agent/edge/net/descriptors.h"

#include <sys/resource.h>

#include <algorithm>

namespace xmppfed::edge::net {

uint64_t DescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == RLIM_INFINITY) return 0;
  return limit.rlim_cur;
}

uint64_t DescriptorReserve(uint64_t limit) {
  return std::clamp<uint64_t>(limit / 16, 16, 1024);
}

bool AboveDescriptorCeiling(int fd) {
  uint64_t limit = DescriptorLimit();
  if (limit == 0 || fd < 0) return false;
  uint64_t reserve = DescriptorReserve(limit);
  if (limit <= reserve) return true;
  return static_cast<uint64_t>(fd) >= limit - reserve;
}

uint64_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  return DescriptorLimit();
}

}  // namespace xmppfed::edge::net
