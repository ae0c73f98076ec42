// Snapshots and partner rows for the negotiator tests.
#ifndef XMPPFED_TESTS_UNIT_EDGE_NEGOTIATION_POLICY_FIXTURE_H_
#define XMPPFED_TESTS_UNIT_EDGE_NEGOTIATION_POLICY_FIXTURE_H_

#include <string>

#include "agent/policy/negotiation.h"
#include "agent/snapshot/policy_snapshot.h"

namespace xmppfed::edge::testing {

inline v1::Partner Row(const std::string& identity, v1::Negotiation tls,
                       v1::Negotiation sasl, bool dialback) {
  v1::Partner partner;
  partner.set_identity(identity);
  partner.set_tls_negotiation(tls);
  partner.set_sasl_negotiation(sasl);
  partner.set_support_dialback_negotiation(dialback);
  partner.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  return partner;
}

inline policy::AllowedAuth Allowed(v1::Negotiation tls, v1::Negotiation sasl,
                                   bool dialback) {
  return policy::AllowedAuthFor(tls, sasl, dialback);
}

// local.test is ours; dialback.test allows dialback with TLS Optional,
// sasl.test allows SASL EXTERNAL only.
inline snapshot::PolicySnapshot Policy() {
  snapshot::PolicySnapshot policy({"local.test"});
  policy.UpsertPartner(Row("dialback.test", v1::NEGOTIATION_OPTIONAL,
                           v1::NEGOTIATION_NOT_SUPPORTED, true));
  policy.UpsertPartner(Row("sasl.test", v1::NEGOTIATION_REQUIRED,
                           v1::NEGOTIATION_REQUIRED, false));
  v1::GatewayConfig gateway;
  policy.SetGateway(gateway, "a-dialback-secret-of-some-length");
  return policy;
}

}  // namespace xmppfed::edge::testing

#endif  // XMPPFED_TESTS_UNIT_EDGE_NEGOTIATION_POLICY_FIXTURE_H_
