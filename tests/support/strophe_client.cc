#include "tests/support/strophe_client.h"

namespace xmppfed::testing {

StropheClient::StropheClient() {
  xmpp_initialize();
  ctx_ = xmpp_ctx_new(nullptr, nullptr);
  conn_ = xmpp_conn_new(ctx_);
}

StropheClient::~StropheClient() {
  Stop();
  xmpp_conn_release(conn_);
  xmpp_ctx_free(ctx_);
}

void StropheClient::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (connected_) {
    // A clean </stream:stream>, so the server ends the session at once.
    xmpp_disconnect(conn_);
    for (int i = 0; i < 50 && !ended_; ++i) xmpp_run_once(ctx_, 10);
  }
}

void StropheClient::HandleAllStanzas() {
  xmpp_handler_add(conn_, OnStanza, nullptr, nullptr, nullptr, this);
}

bool StropheClient::RunAndWaitForConnect(std::chrono::milliseconds timeout) {
  thread_ = std::thread([this] { Loop(); });
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return connected_ || ended_; });
  return connected_;
}

std::string StropheClient::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

void StropheClient::Send(const std::string& xml) {
  std::lock_guard<std::mutex> lock(mutex_);
  outgoing_.push_back(xml);
}

std::optional<std::string> StropheClient::WaitFor(
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

std::vector<std::string> StropheClient::Received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

void StropheClient::OnConnection(xmpp_conn_t* conn, xmpp_conn_event_t event,
                                 int error, xmpp_stream_error_t* stream_error,
                                 void* userdata) {
  auto* self = static_cast<StropheClient*>(userdata);
  if (event == XMPP_CONN_CONNECT) self->OnConnected(conn);
  std::lock_guard<std::mutex> lock(self->mutex_);
  if (event == XMPP_CONN_CONNECT) {
    self->connected_ = true;
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

int StropheClient::OnStanza(xmpp_conn_t*, xmpp_stanza_t* stanza,
                            void* userdata) {
  auto* self = static_cast<StropheClient*>(userdata);
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

void StropheClient::Loop() {
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
