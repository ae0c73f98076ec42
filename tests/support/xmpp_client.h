// A user of a real XMPP server (e.g. bob@partner.test on Prosody) as a
// libstrophe client: STARTTLS (trusting the given CA), SASL, resource
// binding, initial presence, with its own thread running libstrophe's loop.
// Stanzas received are kept as XML text; Send queues raw XML for the loop
// thread (libstrophe is not thread-safe).
#ifndef XMPPFED_TESTS_SUPPORT_XMPP_CLIENT_H_
#define XMPPFED_TESTS_SUPPORT_XMPP_CLIENT_H_

#include <strophe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace xmppfed::testing {

class XmppClient {
 public:
  // `jid` with or without a resource; `host`:`port` is the server's c2s
  // listener; `ca_file` the CA its certificate must chain to.
  XmppClient(std::string jid, std::string password, std::string host,
             uint16_t port, std::string ca_file);
  ~XmppClient();

  XmppClient(const XmppClient&) = delete;
  XmppClient& operator=(const XmppClient&) = delete;

  // Connects, logs in and sends initial presence; true once the session is
  // up (libstrophe's CONNECT event: TLS, SASL and binding done).
  bool Connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool connected() const { return connected_; }
  // The full JID bound ("" before).
  std::string bound_jid() const;
  // Why the connection ended ("" while up).
  std::string failure() const;

  void Send(const std::string& xml);

  // The first received stanza (as XML) for which `match` is true, waiting
  // up to `timeout`; nullopt when none came.
  std::optional<std::string> WaitFor(
      const std::function<bool(const std::string&)>& match,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<std::string> Received() const;

 private:
  static void OnConnection(xmpp_conn_t* conn, xmpp_conn_event_t event,
                           int error, xmpp_stream_error_t* stream_error,
                           void* userdata);
  static int OnStanza(xmpp_conn_t* conn, xmpp_stanza_t* stanza, void* userdata);
  void Loop();

  std::string jid_;
  std::string password_;
  std::string host_;
  uint16_t port_;
  std::string ca_file_;
  xmpp_ctx_t* ctx_ = nullptr;
  xmpp_conn_t* conn_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<bool> ended_{false};

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> outgoing_;
  std::vector<std::string> received_;
  std::string failure_;
  std::string bound_jid_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_XMPP_CLIENT_H_
