// The signals the agent acts on, in a multi-threaded daemon: SIGTERM and
// SIGINT (stop) and SIGHUP (reload). They are blocked in every thread (call
// BlockAgentSignals() before starting any thread) and received
// synchronously by WaitForAgentSignal(), so no handler ever runs on a thread
// that holds a lock.
#ifndef XMPPFED_AGENT_RUNTIME_SIGNALS_H_
#define XMPPFED_AGENT_RUNTIME_SIGNALS_H_

namespace xmppfed::runtime {

void BlockAgentSignals();

// Blocks until SIGTERM, SIGINT or SIGHUP arrives; returns its number.
int WaitForAgentSignal();

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_SIGNALS_H_
