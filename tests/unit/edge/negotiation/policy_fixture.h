// Snapshots, partner rows and parsed elements for the negotiator tests.
#ifndef XMPPFED_TESTS_UNIT_EDGE_NEGOTIATION_POLICY_FIXTURE_H_
#define XMPPFED_TESTS_UNIT_EDGE_NEGOTIATION_POLICY_FIXTURE_H_

#include <gtest/gtest.h>
#include <strophe.h>

#include <string>
#include <vector>

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

// Elements the initiating negotiators read, parsed by libstrophe and
// released with the test.
class ParsedElementsTest : public ::testing::Test {
 protected:
  void SetUp() override { ctx_ = xmpp_ctx_new(nullptr, nullptr); }
  void TearDown() override {
    for (xmpp_stanza_t* stanza : owned_) xmpp_stanza_release(stanza);
    xmpp_ctx_free(ctx_);
  }
  xmpp_stanza_t* Parse(const std::string& xml) {
    xmpp_stanza_t* stanza = xmpp_stanza_new_from_string(ctx_, xml.c_str());
    owned_.push_back(stanza);
    return stanza;
  }
  // <stream:features/> with `inner` as its children.
  xmpp_stanza_t* Features(const std::string& inner) {
    return Parse("<features xmlns='http://etherx.jabber.org/streams'>" + inner +
                 "</features>");
  }

 private:
  xmpp_ctx_t* ctx_ = nullptr;
  std::vector<xmpp_stanza_t*> owned_;
};

}  // namespace xmppfed::edge::testing

#endif  // XMPPFED_TESTS_UNIT_EDGE_NEGOTIATION_POLICY_FIXTURE_H_
