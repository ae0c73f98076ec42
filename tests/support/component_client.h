// The internal chat gateway as tests and examples run it: a libstrophe
// XEP-0114 component client connected to the agent's component listener
// (see StropheClient for threads, Send and WaitFor).
#ifndef XMPPFED_TESTS_SUPPORT_COMPONENT_CLIENT_H_
#define XMPPFED_TESTS_SUPPORT_COMPONENT_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "tests/support/strophe_client.h"

namespace xmppfed::testing {

class ComponentClient : public StropheClient {
 public:
  ComponentClient(std::string domain, std::string secret, std::string host,
                  uint16_t port);
  ~ComponentClient() override;

  // Connects and performs the handshake; true once the agent accepted it.
  bool Connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::string domain_;
  std::string secret_;
  std::string host_;
  uint16_t port_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_COMPONENT_CLIENT_H_
