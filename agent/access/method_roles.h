// The one table of the management API's permissions: every RPC method with
// the role it needs and the CLI verb it serves (the verb the audit log and
// the denial messages name).
//
// Fails closed: a method missing from the table is denied to everyone, root
// included, and a unit test fails while any method of the proto has no
// entry. Adding an RPC: add its line to kMethodRoles in method_roles.cc, and
// start its handler with CallGate::Admit (agent/rpc/call_gate.h).
#ifndef XMPPFED_AGENT_ACCESS_METHOD_ROLES_H_
#define XMPPFED_AGENT_ACCESS_METHOD_ROLES_H_

#include <span>
#include <string_view>

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::access {

struct MethodRole {
  // The method's full protobuf name, e.g.
  // "xmppfed.v1.PartnerService.NewPartner".
  std::string_view method;
  v1::Role role;
  // The CLI verb that calls it, e.g. "new-partner".
  std::string_view verb;
};

// Every entry.
std::span<const MethodRole> MethodRoles();

// The entry of `method` (a full name as above); nullptr when there is none,
// which means the method is denied.
const MethodRole* FindMethodRole(std::string_view method);

}  // namespace xmppfed::access

#endif  // XMPPFED_AGENT_ACCESS_METHOD_ROLES_H_
