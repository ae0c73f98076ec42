// Partners for the snapshot tests.
#ifndef XMPPFED_TESTS_UNIT_SNAPSHOT_PARTNER_FIXTURES_H_
#define XMPPFED_TESTS_UNIT_SNAPSHOT_PARTNER_FIXTURES_H_

#include <string>
#include <vector>

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::snapshot::testing {

// A valid partner (Required TLS and SASL, dialback off) with these domains.
inline v1::Partner MakePartner(const std::string& identity,
                               const std::vector<std::string>& additional = {},
                               uint64_t revision = 1) {
  v1::Partner partner;
  partner.set_identity(identity);
  for (const std::string& domain : additional) {
    partner.add_additional_domains(domain);
  }
  partner.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  partner.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_support_dialback_negotiation(false);
  partner.set_enable_keep_alive(true);
  partner.set_revision(revision);
  return partner;
}

}  // namespace xmppfed::snapshot::testing

#endif  // XMPPFED_TESTS_UNIT_SNAPSHOT_PARTNER_FIXTURES_H_
