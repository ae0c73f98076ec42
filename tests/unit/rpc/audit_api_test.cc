// AuditApi over an in-process gRPC channel and a real store: a large log
// comes back whole, newest first, in several pages; the filters of the
// request reach the store; a caller is admitted through the gate.
#include "agent/rpc/audit_api.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "tests/unit/service/store_fixture.h"

namespace xmppfed::rpc {
namespace {

using google::protobuf::util::TimeUtil;

class Viewer final : public CallerLookup {
 public:
  std::optional<access::Caller> CallerOf(grpc::ServerContext&) const override {
    access::Caller caller;
    caller.user = "viewer";
    caller.role = v1::ROLE_VIEWER;
    return caller;
  }
};

class AuditApiTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    gate_.emplace(&viewer_, &grants_, trail_.get());
    api_.emplace(store_.get(), &*gate_);
    grpc::ServerBuilder builder;
    builder.RegisterService(&*api_);
    server_ = builder.BuildAndStart();
    stub_ = v1::AuditService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    server_->Shutdown();
    StoreFixture::TearDown();
  }

  // `count` entries in one transaction, verbs "v0", "v1", ...; every third
  // touches a.com.
  void Fill(int count) {
    ASSERT_TRUE(store_
                    ->RunPartnerTransaction(
                        [&](store::PartnerTransaction& txn)
                            -> absl::StatusOr<store::TransactionEnd> {
                          for (int i = 0; i < count; ++i) {
                            v1::AuditEntry entry = trail_->Begin(actor_);
                            entry.set_verb("v" + std::to_string(i));
                            entry.set_error(std::string(100, 'x'));
                            if (i % 3 == 0) entry.add_identities("a.com");
                            absl::StatusOr<uint64_t> id =
                                txn.PutAuditEntry(entry);
                            if (!id.ok()) return id.status();
                          }
                          return store::TransactionEnd::kCommit;
                        })
                    .ok());
  }

  grpc::Status Read(const v1::GetAuditLogRequest& request,
                    std::vector<v1::AuditEntry>* entries, int* pages) {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::AuditPage>> reader =
        stub_->GetAuditLog(&context, request);
    v1::AuditPage page;
    while (reader->Read(&page)) {
      ++*pages;
      entries->insert(entries->end(), page.entries().begin(),
                      page.entries().end());
    }
    return reader->Finish();
  }

  Viewer viewer_;
  access::RoleGrants grants_;
  std::optional<CallGate> gate_;
  std::optional<AuditApi> api_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(AuditApiTest, ALargeLogComesWholeNewestFirstInPages) {
  Fill(3000);
  std::vector<v1::AuditEntry> entries;
  int pages = 0;
  ASSERT_TRUE(Read({}, &entries, &pages).ok());
  ASSERT_EQ(entries.size(), 3000u);
  EXPECT_GT(pages, 1);
  EXPECT_EQ(entries.front().verb(), "v2999");
  EXPECT_EQ(entries.back().verb(), "v0");
  for (size_t i = 1; i < entries.size(); ++i) {
    ASSERT_GT(entries[i - 1].id(), entries[i].id());
  }
}

TEST_F(AuditApiTest, TheRequestsFiltersNarrowTheList) {
  Fill(9);
  v1::GetAuditLogRequest request;
  request.set_identity("A.COM.");  // normalised like a domain
  request.set_verb("v3");
  std::vector<v1::AuditEntry> entries;
  int pages = 0;
  ASSERT_TRUE(Read(request, &entries, &pages).ok());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].verb(), "v3");
}

TEST_F(AuditApiTest, SinceAfterUntilIsRefusedNamingTheField) {
  v1::GetAuditLogRequest request;
  *request.mutable_since() = TimeUtil::SecondsToTimestamp(2000);
  *request.mutable_until() = TimeUtil::SecondsToTimestamp(1000);
  std::vector<v1::AuditEntry> entries;
  int pages = 0;
  grpc::Status status = Read(request, &entries, &pages);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("since=", 0), 0u)
      << status.error_message();
}

}  // namespace
}  // namespace xmppfed::rpc
