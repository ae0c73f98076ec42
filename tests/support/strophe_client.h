// What the tests' libstrophe clients share: a connection with its own thread
// running libstrophe's loop (libstrophe is not thread-safe), stanzas
// received kept as XML text, raw XML queued by Send for that thread, and
// the reason the connection ended. ComponentClient (XEP-0114, the internal
// gateway) and XmppClient (a user of a real server) differ only in how they
// connect.
#ifndef XMPPFED_TESTS_SUPPORT_STROPHE_CLIENT_H_
#define XMPPFED_TESTS_SUPPORT_STROPHE_CLIENT_H_

#include <strophe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace xmppfed::testing {

class StropheClient {
 public:
  StropheClient(const StropheClient&) = delete;
  StropheClient& operator=(const StropheClient&) = delete;

  bool connected() const { return connected_; }
  // The stream error or reason the connection ended with ("" while up).
  std::string failure() const;

  void Send(const std::string& xml);

  // The first received stanza (as XML) for which `match` is true, waiting
  // up to `timeout`; nullopt when none came.
  std::optional<std::string> WaitFor(
      const std::function<bool(const std::string&)>& match,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<std::string> Received() const;

 protected:
  StropheClient();
  // Stop()s if the derived class did not.
  virtual ~StropheClient();

  // Stops the loop thread (and ends a connected stream cleanly). Derived
  // classes call it first in their destructors: the thread may call
  // OnConnected until then.
  void Stop();
  // Call after xmpp_connect_*() with OnConnection as its handler and this
  // object as userdata: starts the loop thread and waits until the
  // connection is up (true) or ended or `timeout` passed (false).
  bool RunAndWaitForConnect(std::chrono::milliseconds timeout);
  // Called on the loop thread when the connection is up, before Connect
  // returns.
  virtual void OnConnected(xmpp_conn_t* conn) {}

  static void OnConnection(xmpp_conn_t* conn, xmpp_conn_event_t event,
                           int error, xmpp_stream_error_t* stream_error,
                           void* userdata);
  // Registers OnStanza for every stanza.
  void HandleAllStanzas();

  xmpp_ctx_t* ctx_ = nullptr;
  xmpp_conn_t* conn_ = nullptr;
  mutable std::mutex mutex_;

 private:
  static int OnStanza(xmpp_conn_t* conn, xmpp_stanza_t* stanza, void* userdata);
  void Loop();

  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<bool> ended_{false};
  std::condition_variable changed_;
  std::deque<std::string> outgoing_;
  std::vector<std::string> received_;
  std::string failure_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_STROPHE_CLIENT_H_
