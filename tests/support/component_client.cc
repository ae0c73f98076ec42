#include "tests/support/component_client.h"

#include "tests/support/ports.h"

namespace xmppfed::testing {
namespace {

// libstrophe calls the connection handler without checking it for null.
void IgnoreConnectionEvent(xmpp_conn_t*, xmpp_conn_event_t, int,
                           xmpp_stream_error_t*, void*) {}

}  // namespace

ComponentClient::ComponentClient(std::string domain, std::string secret,
                                 std::string host, uint16_t port)
    : domain_(std::move(domain)),
      secret_(std::move(secret)),
      host_(std::move(host)),
      port_(port) {
  xmpp_initialize();
  ctx_ = xmpp_ctx_new(nullptr, nullptr);
  conn_ = xmpp_conn_new(ctx_);
}

ComponentClient::~ComponentClient() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (connected_) xmpp_disconnect(conn_);
  xmpp_conn_release(conn_);
  xmpp_ctx_free(ctx_);
}

bool ComponentClient::Connect(std::chrono::milliseconds timeout) {
  // libstrophe 0.12.2 allocates the stream-management state every send
  // reads only in xmpp_connect_client(); a client attempt at a closed port
  // (failing at once) allocates it, and the component connect then works.
  xmpp_conn_set_jid(conn_, "workaround@localhost");
  xmpp_connect_client(conn_, "127.0.0.1", ClosedLoopbackPort(),
                      IgnoreConnectionEvent, nullptr);
  for (int i = 0; i < 20; ++i) xmpp_run_once(ctx_, 5);

  xmpp_conn_set_jid(conn_, domain_.c_str());
  xmpp_conn_set_pass(conn_, secret_.c_str());
  xmpp_handler_add(conn_, OnStanza, nullptr, nullptr, nullptr, this);
  if (xmpp_connect_component(conn_, host_.c_str(), port_, OnConnection, this) !=
      XMPP_EOK) {
    return false;
  }
  thread_ = std::thread([this] { Loop(); });
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return connected_ || ended_; });
  return connected_;
}

std::string ComponentClient::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

void ComponentClient::Send(const std::string& xml) {
  std::lock_guard<std::mutex> lock(mutex_);
  outgoing_.push_back(xml);
}

std::optional<std::string> ComponentClient::WaitFor(
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

std::vector<std::string> ComponentClient::Received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

void ComponentClient::OnConnection(xmpp_conn_t*, xmpp_conn_event_t event,
                                   int error, xmpp_stream_error_t* stream_error,
                                   void* userdata) {
  auto* self = static_cast<ComponentClient*>(userdata);
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

int ComponentClient::OnStanza(xmpp_conn_t*, xmpp_stanza_t* stanza,
                              void* userdata) {
  auto* self = static_cast<ComponentClient*>(userdata);
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

void ComponentClient::Loop() {
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
