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
      port_(port) {}

ComponentClient::~ComponentClient() { Stop(); }

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
  HandleAllStanzas();
  if (xmpp_connect_component(conn_, host_.c_str(), port_, OnConnection, this) !=
      XMPP_EOK) {
    return false;
  }
  return RunAndWaitForConnect(timeout);
}

}  // namespace xmppfed::testing
