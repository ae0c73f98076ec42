#include "agent/config/listen_address.h"

#include <arpa/inet.h>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::config {
namespace {

absl::Status Refuse(std::string_view option, std::string_view value,
                    std::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--", std::string(option), "=", std::string(value), ": ",
      std::string(rule),
      " (expected off, IPV4:PORT or [IPV6]:PORT, port 0 for a free port)"));
}

}  // namespace

std::string ListenAddress::ToString() const {
  if (off) return "off";
  bool v6 = host.find(':') != std::string::npos;
  return v6 ? absl::StrCat("[", host, "]:", port)
            : absl::StrCat(host, ":", port);
}

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view option,
                                                 std::string_view value) {
  ListenAddress address;
  if (value == "off") return address;
  address.off = false;
  std::string_view host;
  std::string_view port_text;
  if (!value.empty() && value.front() == '[') {
    size_t close = value.find(']');
    if (close == std::string_view::npos || close + 1 >= value.size() ||
        value[close + 1] != ':') {
      return Refuse(option, value, "an IPv6 address needs [ADDRESS]:PORT");
    }
    host = value.substr(1, close - 1);
    port_text = value.substr(close + 2);
    in6_addr ignored;
    std::string host_text(host);
    if (inet_pton(AF_INET6, host_text.c_str(), &ignored) != 1) {
      return Refuse(option, value, "not an IPv6 address");
    }
  } else {
    size_t colon = value.rfind(':');
    if (colon == std::string_view::npos) {
      return Refuse(option, value, "missing :PORT");
    }
    host = value.substr(0, colon);
    port_text = value.substr(colon + 1);
    in_addr ignored;
    std::string host_text(host);
    if (inet_pton(AF_INET, host_text.c_str(), &ignored) != 1) {
      return Refuse(option, value, "not an IPv4 address");
    }
  }
  uint32_t port = 0;
  if (!absl::SimpleAtoi(std::string(port_text), &port) || port > 65535) {
    return Refuse(option, value, "the port must be a number from 0 to 65535");
  }
  address.host = std::string(host);
  address.port = static_cast<uint16_t>(port);
  return address;
}

}  // namespace xmppfed::config
