// SIGTERM/SIGINT handling for a multi-threaded daemon: the signals are
// blocked in every thread (call BlockShutdownSignals() before starting any
// thread) and received synchronously by WaitForShutdownSignal().
#ifndef XMPPFED_AGENT_RUNTIME_SHUTDOWN_SIGNAL_H_
#define XMPPFED_AGENT_RUNTIME_SHUTDOWN_SIGNAL_H_

namespace xmppfed::runtime {

void BlockShutdownSignals();

// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForShutdownSignal();

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_SHUTDOWN_SIGNAL_H_
