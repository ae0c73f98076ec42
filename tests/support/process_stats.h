// What a test or benchmark reads of another process from /proc: its open
// descriptors, resident size and CPU time.
#ifndef XMPPFED_TESTS_SUPPORT_PROCESS_STATS_H_
#define XMPPFED_TESTS_SUPPORT_PROCESS_STATS_H_

#include <sys/types.h>

namespace xmppfed::testing {

// Open descriptors of process `pid` (entries of /proc/PID/fd); -1 when it
// cannot be read.
int CountOpenDescriptors(pid_t pid);

// Resident set size of process `pid` in KiB (VmRSS); -1 when unknown.
long ResidentKib(pid_t pid);
// Its peak so far (VmHWM); -1 when unknown.
long PeakResidentKib(pid_t pid);

// User + system CPU seconds of process `pid` so far (every thread); -1 when
// it cannot be read.
double CpuSeconds(pid_t pid);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_PROCESS_STATS_H_
