#include "agent/runtime/signals.h"

#include <pthread.h>
#include <signal.h>

namespace xmppfed::runtime {
namespace {

sigset_t AgentSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void BlockAgentSignals() {
  sigset_t set = AgentSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A vanished peer must surface as EPIPE, never kill the daemon.
  signal(SIGPIPE, SIG_IGN);
}

int WaitForAgentSignal() {
  sigset_t set = AgentSignals();
  int received = 0;
  while (sigwait(&set, &received) != 0) {
  }
  return received;
}

}  // namespace xmppfed::runtime
