#include "tests/support/xmpp_client.h"

namespace xmppfed::testing {

XmppClient::XmppClient(std::string jid, std::string password, std::string host,
                       uint16_t port, std::string ca_file)
    : jid_(std::move(jid)),
      password_(std::move(password)),
      host_(std::move(host)),
      port_(port),
      ca_file_(std::move(ca_file)) {}

XmppClient::~XmppClient() { Stop(); }

bool XmppClient::Connect(std::chrono::milliseconds timeout) {
  xmpp_conn_set_jid(conn_, jid_.c_str());
  xmpp_conn_set_pass(conn_, password_.c_str());
  xmpp_conn_set_flags(conn_, XMPP_CONN_FLAG_MANDATORY_TLS);
  if (!ca_file_.empty()) xmpp_conn_set_cafile(conn_, ca_file_.c_str());
  HandleAllStanzas();
  if (xmpp_connect_client(conn_, host_.c_str(), port_, OnConnection, this) !=
      XMPP_EOK) {
    return false;
  }
  return RunAndWaitForConnect(timeout);
}

std::string XmppClient::bound_jid() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bound_jid_;
}

void XmppClient::OnConnected(xmpp_conn_t* conn) {
  // Available, so the server delivers messages to the bare JID here.
  xmpp_stanza_t* presence = xmpp_presence_new(ctx_);
  xmpp_send(conn, presence);
  xmpp_stanza_release(presence);
  const char* bound = xmpp_conn_get_bound_jid(conn);
  std::lock_guard<std::mutex> lock(mutex_);
  bound_jid_ = bound == nullptr ? "" : bound;
}

}  // namespace xmppfed::testing
