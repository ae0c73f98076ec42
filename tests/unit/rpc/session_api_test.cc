// rpc::SessionApi over an in-test SessionSource (the seam the federation
// edge fills) and a real SQLite store: the rules of get-session and
// remove-session over live sessions, called in-process. The real streams
// behind the seam are tested by the federation tests.
#include "agent/rpc/session_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/store/store.h"
#include "tests/unit/service/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::rpc {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::Session Row(uint64_t id, const std::string& direction,
                const std::string& partner, const std::string& remote) {
  v1::Session session;
  session.set_id(id);
  session.set_direction(direction);
  session.set_local_domain("example.test");
  session.set_remote_domain(remote);
  session.set_partner(partner);
  session.set_auth("SaslExternal");
  session.set_stanzas_in(id * 10);
  return session;
}

// Fixed rows, returned in an order other than by id; records every call.
class FixedSessions final : public SessionSource {
 public:
  FixedSessions() {
    rows_ = {Row(9, "Outbound", "fabrikam.com", "fabrikam.com"),
             Row(4, "Inbound", "contoso.com", "contoso.net"),
             Row(7, "Inbound", "fabrikam.com", "chat.fabrikam.com"),
             Row(5, "Inbound", "contoso.com", "contoso.com")};
  }

  std::vector<v1::Session> List(const std::string& partner) override {
    std::lock_guard lock(mutex_);
    listed_.push_back(partner);
    std::vector<v1::Session> out;
    for (const v1::Session& row : rows_) {
      if (partner.empty() || row.partner() == partner) out.push_back(row);
    }
    return out;
  }

  std::vector<v1::Session> Close(const std::vector<uint64_t>& ids,
                                 const std::string& partner) override {
    std::lock_guard lock(mutex_);
    closed_ids_.push_back(ids);
    closed_partners_.push_back(partner);
    std::vector<v1::Session> closed, kept;
    for (const v1::Session& row : rows_) {
      bool close = std::find(ids.begin(), ids.end(), row.id()) != ids.end() ||
                   (!partner.empty() && row.partner() == partner);
      (close ? closed : kept).push_back(row);
    }
    rows_ = kept;
    return closed;
  }

  // Already in trouble order, as the edge gives it.
  std::vector<v1::PartnerFederationStatus> FederationStatus() override {
    v1::PartnerFederationStatus failing, working;
    failing.set_partner("contoso.com");
    failing.set_consecutive_failures(2);
    failing.set_last_failure_step("auth");
    working.set_partner("fabrikam.com");
    working.set_live_outbound_streams(1);
    return {failing, working};
  }

  std::vector<v1::PartnerFederationStatus> FederationStatusOf(
      const std::vector<std::string>& partners) override {
    std::vector<v1::PartnerFederationStatus> out;
    for (const std::string& partner : partners) {
      v1::PartnerFederationStatus found;
      found.set_partner(partner);
      for (const v1::PartnerFederationStatus& each : FederationStatus()) {
        if (each.partner() == partner) found = each;
      }
      out.push_back(found);
    }
    return out;
  }

  std::vector<uint64_t> LiveIds() {
    std::lock_guard lock(mutex_);
    std::vector<uint64_t> ids;
    for (const v1::Session& row : rows_) ids.push_back(row.id());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::mutex mutex_;
  std::vector<v1::Session> rows_;
  std::vector<std::string> listed_;
  std::vector<std::vector<uint64_t>> closed_ids_;
  std::vector<std::string> closed_partners_;
};

// Every call comes from root: the roles are CallGate's tests, not these.
class RootCaller final : public CallerLookup {
 public:
  std::optional<access::Caller> CallerOf(grpc::ServerContext&) const override {
    access::Caller root;
    root.user = "root";
    root.role = v1::ROLE_ADMINISTRATOR;
    root.granted_by = "root";
    return root;
  }
};

class SessionApiTest : public xmppfed::testing::StoreFixture {
 protected:
  RootCaller root_;
  access::RoleGrants grants_;
  // Built on the fixture's trail once SetUp made it.
  const CallGate* gate() {
    if (!gate_) gate_.emplace(&root_, &grants_, trail_.get());
    return &*gate_;
  }
  std::optional<CallGate> gate_;

  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    for (const char* identity : {"fabrikam.com", "contoso.com"}) {
      v1::Partner partner;
      partner.set_identity(identity);
      if (std::string(identity) == "contoso.com") {
        partner.add_additional_domains("contoso.net");
      }
      ASSERT_TRUE(
          store_->CreatePartner(partner, ::xmppfed::testing::TestAudit()).ok());
    }
  }

  grpc::Status Get(SessionApi& api, const std::string& partner,
                   v1::GetSessionsReply& reply) {
    grpc::ServerContext context;
    v1::GetSessionsRequest request;
    request.set_partner(partner);
    return api.GetSessions(&context, &request, &reply);
  }

  grpc::Status Remove(SessionApi& api, const std::vector<uint64_t>& ids,
                      const std::string& partner, bool what_if,
                      v1::RemoveSessionsReply& reply) {
    grpc::ServerContext context;
    v1::RemoveSessionsRequest request;
    for (uint64_t id : ids) request.add_ids(id);
    request.set_partner(partner);
    request.set_what_if(what_if);
    return api.RemoveSessions(&context, &request, &reply);
  }
};

std::vector<uint64_t> Ids(
    const google::protobuf::RepeatedPtrField<v1::Session>& sessions) {
  std::vector<uint64_t> ids;
  for (const v1::Session& session : sessions) ids.push_back(session.id());
  return ids;
}

v1::ErrorDetail Detail(const grpc::Status& status) {
  v1::ErrorDetail detail;
  EXPECT_TRUE(detail.ParseFromString(status.error_details()))
      << status.error_message();
  return detail;
}

TEST_F(SessionApiTest, ListsEverySessionOrderedByIdWithAllFields) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::GetSessionsReply reply;
  ASSERT_TRUE(Get(api, "", reply).ok());
  EXPECT_THAT(Ids(reply.sessions()), ElementsAre(4, 5, 7, 9));
  EXPECT_EQ(reply.sessions(0).remote_domain(), "contoso.net");
  EXPECT_EQ(reply.sessions(0).partner(), "contoso.com");
  EXPECT_EQ(reply.sessions(0).stanzas_in(), 40u);
}

TEST_F(SessionApiTest, ThePartnerFilterIsNormalisedLikeADomain) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::GetSessionsReply reply;
  ASSERT_TRUE(Get(api, "FABRIKAM.Com.", reply).ok());
  EXPECT_THAT(Ids(reply.sessions()), ElementsAre(7, 9));
  EXPECT_THAT(source.listed_, ElementsAre("fabrikam.com"));
}

TEST_F(SessionApiTest, AnUnknownPartnerListsNothing) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::GetSessionsReply reply;
  ASSERT_TRUE(Get(api, "unknown.example", reply).ok());
  EXPECT_THAT(reply.sessions(), IsEmpty());
}

TEST_F(SessionApiTest, APartnerThatIsNoDomainIsRefused) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::GetSessionsReply get;
  grpc::Status status = Get(api, "*.fabrikam.com", get);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Detail(status).field(), "partner");
  EXPECT_EQ(Detail(status).value(), "*.fabrikam.com");
  v1::RemoveSessionsReply removed;
  EXPECT_EQ(Remove(api, {}, "a b", false, removed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(source.closed_ids_, IsEmpty());
}

TEST_F(SessionApiTest, WhatIfListsTheIdsAndClosesNothing) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply reply;
  ASSERT_TRUE(Remove(api, {9, 4, 9}, "", true, reply).ok());
  EXPECT_THAT(Ids(reply.removed()), ElementsAre(4, 9));
  EXPECT_EQ(reply.removed(1).direction(), "Outbound");
  EXPECT_THAT(source.closed_ids_, IsEmpty());
  EXPECT_THAT(source.LiveIds(), ElementsAre(4, 5, 7, 9));
}

TEST_F(SessionApiTest, ClosesTheIdsGiven) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply reply;
  ASSERT_TRUE(Remove(api, {9, 4, 9}, "", false, reply).ok());
  EXPECT_THAT(Ids(reply.removed()), ElementsAre(4, 9));
  ASSERT_EQ(source.closed_ids_.size(), 1u);
  EXPECT_THAT(source.closed_ids_[0], ElementsAre(4, 9));
  EXPECT_EQ(source.closed_partners_[0], "");
  EXPECT_THAT(source.LiveIds(), ElementsAre(5, 7));
}

TEST_F(SessionApiTest, AnIdThatIsNotLiveClosesNothing) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply reply;
  grpc::Status status = Remove(api, {4, 12, 13}, "", false, reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "id=12: no live session has this id");
  v1::ErrorDetail detail = Detail(status);
  EXPECT_EQ(detail.field(), "id");
  EXPECT_EQ(detail.value(), "12");
  EXPECT_EQ(detail.rule(), "no live session has this id");
  EXPECT_THAT(source.closed_ids_, IsEmpty());
  EXPECT_THAT(source.LiveIds(), ElementsAre(4, 5, 7, 9));
}

TEST_F(SessionApiTest, ClosesEveryStreamOfAPartner) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply preview;
  ASSERT_TRUE(Remove(api, {}, "Contoso.com", true, preview).ok());
  EXPECT_THAT(Ids(preview.removed()), ElementsAre(4, 5));
  EXPECT_THAT(source.closed_ids_, IsEmpty());

  v1::RemoveSessionsReply reply;
  ASSERT_TRUE(Remove(api, {}, "contoso.com", false, reply).ok());
  EXPECT_THAT(Ids(reply.removed()), ElementsAre(4, 5));
  ASSERT_EQ(source.closed_partners_.size(), 1u);
  EXPECT_EQ(source.closed_partners_[0], "contoso.com");
  EXPECT_THAT(source.closed_ids_[0], IsEmpty());
  EXPECT_THAT(source.LiveIds(), ElementsAre(7, 9));
}

TEST_F(SessionApiTest, APartnerWithoutStreamsClosesNone) {
  v1::Partner quiet;
  quiet.set_identity("tailspin.test");
  ASSERT_TRUE(
      store_->CreatePartner(quiet, ::xmppfed::testing::TestAudit()).ok());
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply reply;
  ASSERT_TRUE(Remove(api, {}, "tailspin.test", false, reply).ok());
  EXPECT_THAT(reply.removed(), IsEmpty());
  EXPECT_THAT(source.LiveIds(), ElementsAre(4, 5, 7, 9));
}

TEST_F(SessionApiTest, ANonPartnerIsNotFoundWithADetail) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply reply;
  grpc::Status status = Remove(api, {}, "unknown.example", false, reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "partner=unknown.example: no partner has this identity");
  v1::ErrorDetail detail = Detail(status);
  EXPECT_EQ(detail.field(), "partner");
  EXPECT_EQ(detail.value(), "unknown.example");
  EXPECT_EQ(detail.rule(), "no partner has this identity");

  // An additional domain is not an identity; the owner is named.
  status = Remove(api, {}, "contoso.net", false, reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "partner=contoso.net: no partner has this identity; it is an "
            "additional domain of partner contoso.com");
  EXPECT_THAT(source.closed_ids_, IsEmpty());
  EXPECT_THAT(source.LiveIds(), ElementsAre(4, 5, 7, 9));
}

TEST_F(SessionApiTest, IdsOrAPartnerNotBothNorNeither) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::RemoveSessionsReply reply;
  grpc::Status neither = Remove(api, {}, "", false, reply);
  EXPECT_EQ(neither.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Detail(neither).field(), "ids");
  grpc::Status both = Remove(api, {4}, "contoso.com", false, reply);
  EXPECT_EQ(both.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Detail(both).field(), "partner");
  EXPECT_THAT(source.closed_ids_, IsEmpty());
}

grpc::Status GetStatus(SessionApi& api, const std::string& partner,
                       v1::GetPartnerStatusReply& reply) {
  grpc::ServerContext context;
  v1::GetPartnerStatusRequest request;
  request.set_partner(partner);
  return api.GetPartnerStatus(&context, &request, &reply);
}

std::vector<std::string> StatusPartners(const v1::GetPartnerStatusReply& r) {
  std::vector<std::string> partners;
  for (const auto& status : r.statuses()) partners.push_back(status.partner());
  return partners;
}

TEST_F(SessionApiTest, PartnerStatusKeepsTheEdgesTroubleOrder) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::GetPartnerStatusReply reply;
  ASSERT_TRUE(GetStatus(api, "", reply).ok());
  EXPECT_THAT(StatusPartners(reply),
              ElementsAre("contoso.com", "fabrikam.com"));
  EXPECT_EQ(reply.statuses(0).consecutive_failures(), 2u);
  EXPECT_EQ(reply.statuses(0).last_failure_step(), "auth");
}

TEST_F(SessionApiTest, PartnerStatusOfOnePartner) {
  FixedSessions source;
  SessionApi api(&source, store_.get(), gate());
  v1::GetPartnerStatusReply reply;
  ASSERT_TRUE(GetStatus(api, "FABRIKAM.com", reply).ok());
  EXPECT_THAT(StatusPartners(reply), ElementsAre("fabrikam.com"));
  EXPECT_EQ(reply.statuses(0).live_outbound_streams(), 1u);
  v1::GetPartnerStatusReply none;
  grpc::Status unknown = GetStatus(api, "unknown.example", none);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Detail(unknown).field(), "partner");
}

TEST_F(SessionApiTest, PartnerStatusWithTheEdgeOffListsEveryPartnerUnseen) {
  SessionApi api(nullptr, store_.get(), gate());
  v1::GetPartnerStatusReply reply;
  ASSERT_TRUE(GetStatus(api, "", reply).ok());
  EXPECT_THAT(StatusPartners(reply),
              ElementsAre("contoso.com", "fabrikam.com"));
  EXPECT_FALSE(reply.statuses(0).has_last_outbound_at());
  EXPECT_EQ(reply.statuses(0).consecutive_failures(), 0u);
}

TEST_F(SessionApiTest, WithTheEdgeOff) {
  SessionApi api(nullptr, store_.get(), gate());
  v1::GetSessionsReply listed;
  ASSERT_TRUE(Get(api, "", listed).ok());
  EXPECT_THAT(listed.sessions(), IsEmpty());
  ASSERT_TRUE(Get(api, "fabrikam.com", listed).ok());
  EXPECT_THAT(listed.sessions(), IsEmpty());

  v1::RemoveSessionsReply reply;
  for (grpc::Status status :
       {Remove(api, {1}, "", false, reply), Remove(api, {1}, "", true, reply),
        Remove(api, {}, "fabrikam.com", false, reply)}) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(status.error_message(),
              "the federation edge is off (--s2s-listen off)");
  }
  // The store still answers for the partner.
  EXPECT_EQ(Remove(api, {}, "unknown.example", false, reply).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace xmppfed::rpc
