#include "tests/support/xmpp_client.h"

namespace xmppfed::testing {

XmppClient::XmppClient(std::string jid, std::string password, std::string host,
                       uint16_t port, std::string ca_file)
    : jid_(std::move(jid)),
      password_(std::move(password)),
      host_(std::move(host)),
      port_(port),
      ca_file_(std::move(ca_file)) {
  xmpp_initialize();
  ctx_ = xmpp_ctx_new(nullptr, nullptr);
  conn_ = xmpp_conn_new(ctx_);
}

XmppClient::~XmppClient() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (connected_) {
    // A clean </stream:stream>, so the server ends the session at once.
    xmpp_disconnect(conn_);
    for (int i = 0; i < 50 && !ended_; ++i) xmpp_run_once(ctx_, 10);
  }
  xmpp_conn_release(conn_);
  xmpp_ctx_free(ctx_);
}

bool XmppClient::Connect(std::chrono::milliseconds timeout) {
  xmpp_conn_set_jid(conn_, jid_.c_str());
  xmpp_conn_set_pass(conn_, password_.c_str());
  xmpp_conn_set_flags(conn_, XMPP_CONN_FLAG_MANDATORY_TLS);
  if (!ca_file_.empty()) xmpp_conn_set_cafile(conn_, ca_file_.c_str());
  xmpp_handler_add(conn_, OnStanza, nullptr, nullptr, nullptr, this);
  if (xmpp_connect_client(conn_, host_.c_str(), port_, OnConnection, this) !=
      XMPP_EOK) {
    return false;
  }
  thread_ = std::thread([this] { Loop(); });
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return connected_ || ended_; });
  return connected_;
}

std::string XmppClient::bound_jid() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bound_jid_;
}

std::string XmppClient::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

void XmppClient::Send(const std::string& xml) {
  std::lock_guard<std::mutex> lock(mutex_);
  outgoing_.push_back(xml);
}

std::optional<std::string> XmppClient::WaitFor(
    const std::function<bool(const std::string&)>& match,
    std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::optional<std::string> found;
  changed_.wait_for(lock, timeout, [&] {
    for (const std::string& stanza : received_) {
      if (match(stanza)) {
        found = stanza;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::vector<std::string> XmppClient::Received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

void XmppClient::OnConnection(xmpp_conn_t* conn, xmpp_conn_event_t event,
                              int error, xmpp_stream_error_t* stream_error,
                              void* userdata) {
  auto* self = static_cast<XmppClient*>(userdata);
  if (event == XMPP_CONN_CONNECT) {
    // Available, so the server delivers messages to the bare JID here.
    xmpp_stanza_t* presence = xmpp_presence_new(self->ctx_);
    xmpp_send(conn, presence);
    xmpp_stanza_release(presence);
  }
  std::lock_guard<std::mutex> lock(self->mutex_);
  if (event == XMPP_CONN_CONNECT) {
    self->connected_ = true;
    const char* bound = xmpp_conn_get_bound_jid(conn);
    self->bound_jid_ = bound == nullptr ? "" : bound;
  } else {
    self->connected_ = false;
    self->ended_ = true;
    self->failure_ =
        "event " + std::to_string(event) + " error " + std::to_string(error);
    if (stream_error != nullptr && stream_error->stanza != nullptr) {
      char* text = nullptr;
      size_t size = 0;
      xmpp_stanza_to_text(stream_error->stanza, &text, &size);
      if (text != nullptr) {
        self->failure_ += ": " + std::string(text, size);
        xmpp_free(self->ctx_, text);
      }
    }
  }
  self->changed_.notify_all();
}

int XmppClient::OnStanza(xmpp_conn_t*, xmpp_stanza_t* stanza, void* userdata) {
  auto* self = static_cast<XmppClient*>(userdata);
  char* text = nullptr;
  size_t size = 0;
  if (xmpp_stanza_to_text(stanza, &text, &size) == XMPP_EOK) {
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->received_.emplace_back(text, size);
    xmpp_free(self->ctx_, text);
    self->changed_.notify_all();
  }
  return 1;
}

void XmppClient::Loop() {
  while (!stop_) {
    std::deque<std::string> sending;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (connected_) sending.swap(outgoing_);
    }
    for (const std::string& xml : sending) {
      xmpp_send_raw(conn_, xml.data(), xml.size());
    }
    xmpp_run_once(ctx_, 10);
  }
}

}  // namespace xmppfed::testing
