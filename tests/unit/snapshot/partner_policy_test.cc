// PartnerPolicy: the compact form keeps everything of the stored partner.
#include "agent/snapshot/partner_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "tests/unit/snapshot/partner_fixtures.h"

namespace xmppfed::snapshot::testing {
namespace {

TEST(PartnerPolicyTest, ToProtoGivesBackTheStoredPartner) {
  v1::Partner stored = MakePartner("fabrikam.com", {"a.fabrikam.net", "b.net"});
  stored.set_description("Fabrikam, with ünïcode");
  stored.set_partner_type(v1::PARTNER_TYPE_PUBLIC_VERIFIED);
  stored.set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  stored.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  stored.set_support_dialback_negotiation(true);
  stored.set_proxy_fqdn("proxy.fabrikam.com:5270");
  stored.set_enable_keep_alive(false);
  stored.set_connection_limit(9);
  stored.set_revision(42);
  stored.mutable_created_at()->set_seconds(1700000000);
  stored.mutable_created_at()->set_nanos(123000);
  stored.mutable_modified_at()->set_seconds(1700000100);

  PartnerPolicy policy(stored);

  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      policy.ToProto(), stored))
      << policy.ToProto().DebugString();
}

TEST(PartnerPolicyTest, DomainsAreTheIdentityThenTheAdditionalOnes) {
  PartnerPolicy policy(MakePartner("a.com", {"b.com", "c.com"}));
  std::vector<std::string> domains;
  policy.ForEachDomain([&](std::string_view domain) {
    domains.emplace_back(domain);
    return true;
  });
  EXPECT_EQ(domains, (std::vector<std::string>{"a.com", "b.com", "c.com"}));
  EXPECT_EQ(policy.identity(), "a.com");
  EXPECT_EQ(policy.domain_count(), 3u);
}

TEST(PartnerPolicyTest, AllowedIsTheRowOfTheNegotiationTable) {
  v1::Partner dialback_only = MakePartner("a.com");
  dialback_only.set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  dialback_only.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  dialback_only.set_support_dialback_negotiation(true);
  PartnerPolicy policy(dialback_only);
  EXPECT_FALSE(policy.allowed().tls_required);
  EXPECT_TRUE(policy.allowed().tls_offered);
  EXPECT_FALSE(policy.allowed().sasl_external);
  EXPECT_TRUE(policy.allowed().dialback_over_tcp);

  PartnerPolicy strict(MakePartner("b.com"));
  EXPECT_TRUE(strict.allowed().tls_required);
  EXPECT_TRUE(strict.allowed().sasl_external);
  EXPECT_FALSE(strict.allowed().dialback_over_tls);
}

}  // namespace
}  // namespace xmppfed::snapshot::testing
