// A user of a real XMPP server (e.g. bob@partner.test on Prosody) as a
// libstrophe client: STARTTLS (trusting the given CA), SASL, resource
// binding, initial presence (see StropheClient for threads, Send and
// WaitFor).
#ifndef XMPPFED_TESTS_SUPPORT_XMPP_CLIENT_H_
#define XMPPFED_TESTS_SUPPORT_XMPP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "tests/support/strophe_client.h"

namespace xmppfed::testing {

class XmppClient : public StropheClient {
 public:
  // `jid` with or without a resource; `host`:`port` is the server's c2s
  // listener; `ca_file` the CA its certificate must chain to.
  XmppClient(std::string jid, std::string password, std::string host,
             uint16_t port, std::string ca_file);
  ~XmppClient() override;

  // Connects, logs in and sends initial presence; true once the session is
  // up (libstrophe's CONNECT event: TLS, SASL and binding done).
  bool Connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The full JID bound ("" before).
  std::string bound_jid() const;

 private:
  void OnConnected(xmpp_conn_t* conn) override;

  std::string jid_;
  std::string password_;
  std::string host_;
  uint16_t port_;
  std::string ca_file_;
  std::string bound_jid_;  // guarded by mutex_
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_XMPP_CLIENT_H_
