#include "agent/etcd/etcd_uri.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/errors/field_error.h"

namespace xmppfed::etcd {
namespace {

constexpr char kScheme[] = "etcd://";
constexpr char kForm[] = "etcd://HOST:PORT[,HOST:PORT...]/PREFIX";

absl::Status Refuse(std::string_view uri, std::string_view rule) {
  return errors::InvalidField("store", uri, rule);
}

bool IsHostNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_';
}

bool IsPrefixChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_' || c == '/';
}

// "host:port" or "[v6]:port" into a checked endpoint, or the rule broken.
absl::StatusOr<std::string> ParseEndpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (absl::StartsWith(absl::string_view(text.data(), text.size()), "[")) {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return absl::InvalidArgumentError(
          absl::StrCat("endpoint \"", std::string(text),
                       "\": an IPv6 address is written [ADDRESS]:PORT"));
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") !=
                            std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "endpoint \"", std::string(text), "\": not an IPv6 address"));
    }
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "endpoint \"", std::string(text), "\" needs a port (HOST:PORT)"));
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.empty() ||
        !std::all_of(host.begin(), host.end(), IsHostNameChar)) {
      return absl::InvalidArgumentError(
          absl::StrCat("endpoint \"", std::string(text),
                       "\": the host must be a name or an IP address"));
    }
  }
  uint32_t number = 0;
  if (!absl::SimpleAtoi(absl::string_view(port.data(), port.size()), &number) ||
      number == 0 || number > 65535 ||
      port.find_first_not_of("0123456789") != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("endpoint \"", std::string(text),
                     "\": the port must be a number from 1 to 65535"));
  }
  return std::string(text);
}

}  // namespace

absl::StatusOr<EtcdAddress> ParseEtcdUri(std::string_view uri) {
  absl::string_view text(uri.data(), uri.size());
  if (!absl::StartsWithIgnoreCase(text, kScheme)) {
    return Refuse(uri, absl::StrCat("expected ", kForm));
  }
  text.remove_prefix(sizeof(kScheme) - 1);
  size_t slash = text.find('/');
  absl::string_view authority = text.substr(0, slash);
  absl::string_view prefix =
      slash == absl::string_view::npos ? "" : text.substr(slash);
  if (authority.empty()) {
    return Refuse(uri, absl::StrCat("no endpoint; expected ", kForm));
  }
  EtcdAddress address;
  for (absl::string_view part : absl::StrSplit(authority, ',')) {
    absl::StatusOr<std::string> endpoint =
        ParseEndpoint(std::string_view(part.data(), part.size()));
    if (!endpoint.ok())
      return Refuse(uri, std::string(endpoint.status().message()));
    if (std::find(address.endpoints.begin(), address.endpoints.end(),
                  *endpoint) == address.endpoints.end()) {
      address.endpoints.push_back(*std::move(endpoint));
    }
  }
  while (absl::ConsumePrefix(&prefix, "/")) {
  }
  while (absl::ConsumeSuffix(&prefix, "/")) {
  }
  if (prefix.empty()) {
    return Refuse(uri, absl::StrCat("no key prefix; expected ", kForm,
                                    ", e.g. etcd://127.0.0.1:2379/xmppfed"));
  }
  if (!std::all_of(prefix.begin(), prefix.end(), IsPrefixChar) ||
      absl::StrContains(prefix, "//")) {
    return Refuse(uri,
                  "the prefix may hold letters, digits, '-', '.', '_' and "
                  "single '/' between its parts");
  }
  address.key_prefix = absl::StrCat("/", prefix, "/");
  return address;
}

}  // namespace xmppfed::etcd
