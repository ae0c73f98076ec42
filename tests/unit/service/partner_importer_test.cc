#include "agent/service/partner_importer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "agent/policy/partner_rules.h"
#include "tests/unit/service/store_fixture.h"
#include "tests/unit/service/stream_harness.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::service {
namespace {

// One record: identity plus optional additional domains and description.
v1::ImportRecord Record(uint64_t line, const std::string& identity,
                        std::vector<std::string> domains = {},
                        const char* description = nullptr) {
  v1::ImportRecord record;
  record.set_line(line);
  record.set_identity(identity);
  if (!domains.empty()) {
    for (const std::string& domain : domains) {
      record.mutable_fields()->mutable_additional_domains()->add_domains(
          domain);
    }
  }
  if (description != nullptr) {
    record.mutable_fields()->set_description(description);
  }
  return record;
}

using Outcome = testing::StreamOutcome<v1::ImportPartnersReply>;

// Runs on both stores: param true is etcd.
class PartnerImporterTest : public testing::StoreFixture,
                            public ::testing::WithParamInterface<bool> {
 protected:
  std::string StoreUri() override {
    return GetParam() ? testing::FreshEtcdStoreUri() : StoreFixture::StoreUri();
  }
  void SetUp() override {
    StoreFixture::SetUp();
    importer_ = std::make_unique<PartnerImporter>(
        store_.get(), std::vector<std::string>{"example.test"}, trail_.get());
  }

  // Feeds `batches` as request messages (options on the first, `last` on
  // the final one unless `abandon`), collecting every reply.
  Outcome Run(v1::ImportOptions options,
              std::vector<std::vector<v1::ImportRecord>> batches,
              bool abandon = false) {
    return testing::FeedStream<v1::ImportPartnersRequest,
                               v1::ImportPartnersReply>(
        [&](auto read, auto write) {
          return importer_->Import(read, write, actor_);
        },
        options, std::move(batches), abandon,
        [](v1::ImportPartnersRequest* request, v1::ImportRecord record) {
          *request->add_records() = std::move(record);
        });
  }

  std::vector<std::string> Stored() {
    std::vector<std::string> identities;
    EXPECT_TRUE(store_
                    ->ForEachPartner("",
                                     [&](const v1::Partner& partner) {
                                       identities.push_back(partner.identity());
                                       return true;
                                     })
                    .ok());
    return identities;
  }

  static v1::ImportOptions Options(bool update, bool what_if, bool atomic) {
    v1::ImportOptions options;
    options.set_update(update);
    options.set_what_if(what_if);
    options.set_atomic(atomic);
    return options;
  }

  std::unique_ptr<PartnerImporter> importer_;
};

TEST_P(PartnerImporterTest, CreatesValidRecordsAndRefusesInvalidOnes) {
  Outcome outcome = Run(Options(false, false, false),
                        {{Record(1, "Fabrikam.COM", {"fab.net"}),
                          Record(2, "bad..com"), Record(3, "contoso.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  std::vector<v1::ImportResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status(), v1::IMPORT_STATUS_CREATED);
  EXPECT_EQ(results[0].identity(), "fabrikam.com");
  EXPECT_EQ(results[1].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_EQ(results[1].line(), 2u);
  EXPECT_NE(results[1].error().find("identity=bad..com"), std::string::npos)
      << results[1].error();
  EXPECT_EQ(results[1].error_detail().field(), "identity");
  EXPECT_EQ(results[2].status(), v1::IMPORT_STATUS_CREATED);
  EXPECT_EQ(Stored(),
            (std::vector<std::string>{"contoso.com", "fabrikam.com"}));
  v1::ImportSummary summary = outcome.Summary();
  EXPECT_EQ(summary.created(), 2u);
  EXPECT_EQ(summary.refused(), 1u);
  EXPECT_TRUE(summary.committed());
}

TEST_P(PartnerImporterTest, ExistingPartnerIsRefusedWithoutUpdate) {
  Run(Options(false, false, false), {{Record(1, "a.com", {}, "one")}});
  Outcome outcome =
      Run(Options(false, false, false), {{Record(1, "a.com", {}, "two")}});
  std::vector<v1::ImportResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_NE(results[0].error().find("--update"), std::string::npos);
}

TEST_P(PartnerImporterTest, UpdateChangesOnlyGivenFieldsAndReportsUnchanged) {
  Run(Options(false, false, false), {{Record(1, "a.com", {"a.net"}, "one")}});
  Outcome outcome = Run(Options(true, false, false),
                        {{Record(1, "a.com", {}, "two"),
                          Record(2, "a.com", {}, "two"), Record(3, "b.com")}});
  std::vector<v1::ImportResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status(), v1::IMPORT_STATUS_UPDATED);
  EXPECT_EQ(results[1].status(), v1::IMPORT_STATUS_UNCHANGED);
  EXPECT_EQ(results[2].status(), v1::IMPORT_STATUS_CREATED);
  absl::StatusOr<std::optional<v1::Partner>> a = store_->GetPartner("a.com");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->description(), "two");
  ASSERT_EQ((*a)->additional_domains_size(), 1) << "not given, so kept";
  EXPECT_EQ((*a)->revision(), 2u);
}

TEST_P(PartnerImporterTest, RecordsAreCheckedAgainstEarlierRecords) {
  Outcome outcome =
      Run(Options(false, false, false),
          {{Record(1, "a.com", {"shared.net"}),
            Record(2, "b.com", {"shared.net"}), Record(3, "a.com")}});
  std::vector<v1::ImportResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_EQ(results[1].error_detail().owner(), "a.com");
  EXPECT_EQ(results[2].status(), v1::IMPORT_STATUS_REFUSED);
}

TEST_P(PartnerImporterTest, LocalDomainIsRefused) {
  Outcome outcome =
      Run(Options(false, false, false), {{Record(1, "example.test")}});
  ASSERT_EQ(outcome.Results().size(), 1u);
  EXPECT_EQ(outcome.Results()[0].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_NE(outcome.Results()[0].error().find("local domain"),
            std::string::npos);
}

TEST_P(PartnerImporterTest, InputErrorIsRefusedAsGiven) {
  v1::ImportRecord broken = Record(7, "x.com");
  broken.set_input_error("invalid JSON at column 3: oops");
  Outcome outcome = Run(Options(false, false, false), {{broken}});
  ASSERT_EQ(outcome.Results().size(), 1u);
  EXPECT_EQ(outcome.Results()[0].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_EQ(outcome.Results()[0].error(), "invalid JSON at column 3: oops");
  EXPECT_TRUE(Stored().empty());
}

TEST_P(PartnerImporterTest, NegotiationWarningsComeWithTheResult) {
  v1::ImportRecord sasl = Record(2, "b.com");
  sasl.mutable_fields()->set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  Outcome outcome =
      Run(Options(false, false, false), {{Record(1, "a.com"), sasl}});
  ASSERT_EQ(outcome.Results().size(), 2u);
  // Only about the values a record gives, not the defaults.
  EXPECT_EQ(outcome.Results()[0].warnings_size(), 0);
  ASSERT_EQ(outcome.Results()[1].warnings_size(), 1);
  EXPECT_NE(outcome.Results()[1].warnings(0).find("Dialback"),
            std::string::npos);
}

TEST_P(PartnerImporterTest, WhatIfWritesNothingButChecksRecordsTogether) {
  Outcome outcome = Run(Options(false, true, false),
                        {{Record(1, "a.com", {"s.net"})},
                         {Record(2, "b.com", {"s.net"}), Record(3, "c.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  std::vector<v1::ImportResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status(), v1::IMPORT_STATUS_CREATED);
  EXPECT_EQ(results[1].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_EQ(results[2].status(), v1::IMPORT_STATUS_CREATED);
  EXPECT_FALSE(outcome.Summary().committed());
  EXPECT_TRUE(Stored().empty());
}

TEST_P(PartnerImporterTest, AtomicWritesNothingWhenOneRecordIsRefused) {
  Outcome outcome = Run(Options(false, false, true),
                        {{Record(1, "a.com")}, {Record(2, "bad..com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Summary().refused(), 1u);
  EXPECT_FALSE(outcome.Summary().committed());
  EXPECT_TRUE(Stored().empty());
}

TEST_P(PartnerImporterTest, AtomicCommitsEverythingWhenAllAreValid) {
  Outcome outcome = Run(Options(false, false, true),
                        {{Record(1, "a.com")}, {Record(2, "b.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_TRUE(outcome.Summary().committed());
  EXPECT_EQ(Stored(), (std::vector<std::string>{"a.com", "b.com"}));
}

TEST_P(PartnerImporterTest, AbandonedAtomicImportWritesNothing) {
  Outcome outcome = Run(Options(false, false, true),
                        {{Record(1, "a.com")}, {Record(2, "b.com")}},
                        /*abandon=*/true);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(Stored().empty());
}

TEST_P(PartnerImporterTest, AbandonedBatchedImportKeepsWhatWasReported) {
  Outcome outcome = Run(Options(false, false, false),
                        {{Record(1, "a.com")}, {Record(2, "b.com")}},
                        /*abandon=*/true);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kCancelled);
  // Both messages were committed before their results were sent.
  EXPECT_EQ(outcome.Results().size(), 2u);
  EXPECT_EQ(Stored(), (std::vector<std::string>{"a.com", "b.com"}));
}

TEST_P(PartnerImporterTest, EachBatchIsDurableBeforeItsResultsAreSent) {
  std::vector<size_t> stored_when_sent;
  std::deque<v1::ImportPartnersRequest> requests(2);
  *requests[0].add_records() = Record(1, "a.com");
  *requests[1].add_records() = Record(2, "b.com");
  requests[1].set_last(true);
  absl::Status status = importer_->Import(
      [&](v1::ImportPartnersRequest* request) {
        if (requests.empty()) return false;
        *request = std::move(requests.front());
        requests.pop_front();
        return true;
      },
      [&](const v1::ImportPartnersReply& reply) {
        if (!reply.last()) stored_when_sent.push_back(Stored().size());
        return true;
      },
      actor_);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(stored_when_sent, (std::vector<size_t>{1, 2}));
}

TEST_P(PartnerImporterTest, EmptyImportSendsOnlyASummary) {
  Outcome outcome = Run(Options(false, false, false), {});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  ASSERT_EQ(outcome.replies.size(), 1u);
  EXPECT_TRUE(outcome.replies[0].last());
  EXPECT_EQ(outcome.Summary().created(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Stores, PartnerImporterTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Etcd" : "Sqlite";
                         });

// etcd commits at most 128 keys per transaction (a partner and each domain
// are a key).
class EtcdImporterTest : public PartnerImporterTest {
 protected:
  std::string StoreUri() override { return testing::FreshEtcdStoreUri(); }

  static std::vector<v1::ImportRecord> Records(int count) {
    std::vector<v1::ImportRecord> records;
    for (int i = 0; i < count; ++i) {
      std::string identity = "p" + std::to_string(i) + ".example";
      records.push_back(Record(i + 2, identity, {"x." + identity}));
    }
    return records;
  }
};

TEST_F(EtcdImporterTest, AMessageLargerThanOneTransactionIsCommittedInParts) {
  Outcome outcome = Run(Options(false, false, false), {Records(500)});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Results().size(), 500u);
  EXPECT_EQ(outcome.Summary().created(), 500u);
  EXPECT_TRUE(outcome.Summary().committed());
  EXPECT_EQ(Stored().size(), 500u);
  EXPECT_EQ(*store_->FindDomainOwner("x.p499.example"), "p499.example");
}

TEST_F(EtcdImporterTest, APartnerTooLargeForOneTransactionIsRefusedAlone) {
  std::vector<std::string> many;
  for (int i = 0; i < 130; ++i)
    many.push_back("d" + std::to_string(i) + ".net");
  Outcome outcome = Run(
      Options(false, false, false),
      {{Record(2, "a.com"), Record(3, "big.com", many), Record(4, "c.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  std::vector<v1::ImportResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].status(), v1::IMPORT_STATUS_REFUSED);
  EXPECT_EQ(results[1].error_detail().field(), "additionalDomains");
  EXPECT_EQ(Stored(), (std::vector<std::string>{"a.com", "c.com"}));
}

TEST_F(EtcdImporterTest, AnAtomicImportThatFitsOneTransactionIsCommitted) {
  Outcome outcome = Run(Options(false, false, true), {Records(40)});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_TRUE(outcome.Summary().committed());
  EXPECT_EQ(Stored().size(), 40u);
}

TEST_F(EtcdImporterTest, AnAtomicImportLargerThanOneTransactionWritesNothing) {
  Outcome outcome = Run(Options(false, false, true), {Records(100)});
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(outcome.status.message().find("nothing was written"),
            std::string::npos)
      << outcome.status;
  EXPECT_TRUE(Stored().empty());
}

TEST_F(EtcdImporterTest, WhatIfChecksAnyNumberOfRecordsAgainstEachOther) {
  std::vector<v1::ImportRecord> records = Records(300);
  records.push_back(Record(999, "dup.example", {"x.p7.example"}));
  Outcome outcome = Run(Options(false, true, false), {records});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Summary().created(), 300u);
  EXPECT_EQ(outcome.Summary().refused(), 1u);
  EXPECT_EQ(outcome.Results().back().error_detail().owner(), "p7.example");
  EXPECT_TRUE(Stored().empty());
}

}  // namespace
}  // namespace xmppfed::service

namespace xmppfed::service {
namespace {

// While the client is slow to send its next message, no mode holds the
// store: another writer (set-partner, the edge's invitations) commits at
// once. Atomic and what-if runs stage the stream, then write in one go.
TEST_P(PartnerImporterTest, NoModeHoldsTheStoreWhileTheClientIsSlow) {
  for (bool atomic : {false, true}) {
    for (bool what_if : {false, true}) {
      std::string tag = std::to_string(atomic) + std::to_string(what_if);
      int messages = 0;
      bool other_writer_done = false;
      // Outlives Import: a writer still blocked (the bug this test is for)
      // then ends once the import released the store.
      std::future<absl::StatusOr<v1::Partner>> write;
      v1::ImportPartnersRequest first;
      *first.mutable_options() = Options(false, what_if, atomic);
      *first.add_records() = Record(2, "first-" + tag + ".test");
      absl::Status imported = importer_->Import(
          [&](v1::ImportPartnersRequest* request) {
            if (messages == 0) {
              *request = first;
            } else {
              // The client stalls here; meanwhile another writer commits.
              write = std::async(std::launch::async, [&] {
                v1::Partner other =
                    policy::DefaultPartner("other-" + tag + ".test");
                return store_->CreatePartner(other, testing::TestAudit());
              });
              other_writer_done = write.wait_for(std::chrono::seconds(5)) ==
                                  std::future_status::ready;
              if (!other_writer_done) return false;  // never hang the test
              *request->add_records() = Record(3, "second-" + tag + ".test");
              request->set_last(true);
            }
            ++messages;
            return true;
          },
          [](const v1::ImportPartnersReply&) { return true; }, actor_);
      EXPECT_TRUE(other_writer_done) << "mode " << tag;
      EXPECT_TRUE(imported.ok()) << imported;
    }
  }
  std::vector<std::string> stored = Stored();
  // Atomic runs wrote both records, what-if runs none.
  EXPECT_NE(std::find(stored.begin(), stored.end(), "second-10.test"),
            stored.end());
  EXPECT_EQ(std::find(stored.begin(), stored.end(), "second-11.test"),
            stored.end());
}

}  // namespace
}  // namespace xmppfed::service
