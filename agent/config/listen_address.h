// A listener setting of the agent: "off", "HOST:PORT" or "[IPV6]:PORT".
#ifndef XMPPFED_AGENT_CONFIG_LISTEN_ADDRESS_H_
#define XMPPFED_AGENT_CONFIG_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace xmppfed::config {

struct ListenAddress {
  bool off = true;
  std::string host;   // without brackets
  uint16_t port = 0;  // 0 picks a free port

  // "off", "127.0.0.1:5347" or "[::]:5269".
  std::string ToString() const;
};

// INVALID_ARGUMENT naming `option`, the value and the accepted forms.
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view option,
                                                 std::string_view value);

}  // namespace xmppfed::config

#endif  // XMPPFED_AGENT_CONFIG_LISTEN_ADDRESS_H_
