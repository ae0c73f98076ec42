// The etcd store's address (SPEC §7):
//
//   etcd://HOST:PORT[,HOST:PORT...]/PREFIX
//
// HOST is a DNS name, an IPv4 address or a bracketed IPv6 address; every
// key the store writes lies under PREFIX, so several independent
// deployments (or tests) can share one etcd cluster.
#ifndef XMPPFED_AGENT_ETCD_ETCD_URI_H_
#define XMPPFED_AGENT_ETCD_ETCD_URI_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace xmppfed::etcd {

struct EtcdAddress {
  // "host:port" as given ("[::1]:2379" for IPv6), in the given order,
  // without duplicates.
  std::vector<std::string> endpoints;
  // "/PREFIX/": one leading and one trailing slash, so that "/a" and "/ab"
  // never share keys.
  std::string key_prefix;
};

// INVALID_ARGUMENT naming field "store", the URI and the rule broken. The
// scheme is case-insensitive.
absl::StatusOr<EtcdAddress> ParseEtcdUri(std::string_view uri);

}  // namespace xmppfed::etcd

#endif  // XMPPFED_AGENT_ETCD_ETCD_URI_H_
