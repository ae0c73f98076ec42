// get-partner's read-only status object: each partner of an answer gets its
// own status from the edge, in one call, without the identity repeated; with
// the edge off, a status with nothing seen.
#include "agent/rpc/partner_status.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace xmppfed::rpc {
namespace {

class StatusBook final : public SessionSource {
 public:
  std::vector<v1::Session> List(const std::string&) override { return {}; }
  std::vector<v1::Session> Close(const std::vector<uint64_t>&,
                                 const std::string&) override {
    return {};
  }
  std::vector<v1::PartnerFederationStatus> FederationStatus() override {
    return {};
  }
  std::vector<v1::PartnerFederationStatus> FederationStatusOf(
      const std::vector<std::string>& partners) override {
    asked.push_back(partners);
    std::vector<v1::PartnerFederationStatus> out;
    for (const std::string& partner : partners) {
      v1::PartnerFederationStatus status;
      status.set_partner(partner);
      if (partner == "failing.test") {
        status.set_consecutive_failures(3);
        status.set_last_failure_step("auth");
        status.mutable_last_failure_at()->set_seconds(1700000000);
      } else if (partner == "working.test") {
        status.mutable_last_outbound_at()->set_seconds(1700000100);
        status.set_live_outbound_streams(1);
        status.set_live_inbound_streams(2);
      }
      out.push_back(status);
    }
    return out;
  }

  std::vector<std::vector<std::string>> asked;
};

v1::Partner Named(const std::string& identity) {
  v1::Partner partner;
  partner.set_identity(identity);
  return partner;
}

TEST(AttachFederationStatusTest, EachPartnerGetsItsOwnInOneCall) {
  StatusBook book;
  v1::Partner failing = Named("failing.test");
  v1::Partner working = Named("working.test");
  v1::Partner idle = Named("idle.test");
  AttachFederationStatus(&book, {&failing, nullptr, &working, &idle});

  ASSERT_EQ(book.asked.size(), 1u);
  EXPECT_EQ(book.asked[0], (std::vector<std::string>{
                               "failing.test", "working.test", "idle.test"}));
  ASSERT_TRUE(failing.has_status());
  EXPECT_EQ(failing.status().consecutive_failures(), 3u);
  EXPECT_EQ(failing.status().last_failure_step(), "auth");
  EXPECT_EQ(failing.status().last_failure_at().seconds(), 1700000000);
  EXPECT_EQ(failing.status().partner(), "");
  EXPECT_EQ(working.status().live_outbound_streams(), 1u);
  EXPECT_EQ(working.status().live_inbound_streams(), 2u);
  EXPECT_EQ(working.status().consecutive_failures(), 0u);
  ASSERT_TRUE(idle.has_status());
  EXPECT_FALSE(idle.status().has_last_outbound_at());
  EXPECT_FALSE(idle.status().has_last_failure_at());
}

TEST(AttachFederationStatusTest, WithTheEdgeOffNothingIsSeen) {
  v1::Partner partner = Named("any.test");
  partner.mutable_status()->set_consecutive_failures(9);  // stale, replaced
  AttachFederationStatus(nullptr, {&partner});
  ASSERT_TRUE(partner.has_status());
  EXPECT_EQ(partner.status().ByteSizeLong(), 0u);
}

TEST(AttachFederationStatusTest, NoPartnersAsksNothing) {
  StatusBook book;
  AttachFederationStatus(&book, {nullptr});
  EXPECT_TRUE(book.asked.empty());
}

}  // namespace
}  // namespace xmppfed::rpc
