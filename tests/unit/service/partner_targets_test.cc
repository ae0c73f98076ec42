#include "agent/service/partner_targets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agent/policy/partner_rules.h"
#include "agent/service/batch_run.h"
#include "tests/unit/service/store_fixture.h"
#include "tests/unit/service/stream_harness.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::service {
namespace {

v1::PartnerTarget Target(uint64_t line, const std::string& identity) {
  v1::PartnerTarget target;
  target.set_line(line);
  target.set_identity(identity);
  return target;
}

// What a client saw, and the statuses of its results in order.
struct Outcome : testing::StreamOutcome<v1::PartnerTargetsReply> {
  std::vector<v1::TargetStatus> Statuses() const {
    std::vector<v1::TargetStatus> statuses;
    for (const v1::TargetResult& result : Results()) {
      statuses.push_back(result.status());
    }
    return statuses;
  }
};

using Verb = absl::Status (PartnerTargets::*)(
    const PartnerTargets::ReadRequest&, const PartnerTargets::WriteReply&,
    const audit::Actor&);

class PartnerTargetsTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    std::vector<std::string> local = {"example.test"};
    manager_ =
        std::make_unique<PartnerManager>(store_.get(), local, trail_.get());
    targets_ = std::make_unique<PartnerTargets>(store_.get(), manager_.get(),
                                                local, trail_.get());
  }

  // Feeds `batches` as request messages (options on the first, `last` on
  // the final one unless `abandon`) to `verb`, collecting every reply.
  Outcome Run(Verb verb, v1::PartnerTargetOptions options,
              std::vector<std::vector<v1::PartnerTarget>> batches,
              bool abandon = false) {
    Outcome outcome;
    static_cast<testing::StreamOutcome<v1::PartnerTargetsReply>&>(outcome) =
        testing::FeedStream<v1::PartnerTargetsRequest, v1::PartnerTargetsReply>(
            [&](auto read, auto write) {
              return ((*targets_).*verb)(read, write, actor_);
            },
            options, std::move(batches), abandon,
            [](v1::PartnerTargetsRequest* request, v1::PartnerTarget target) {
              *request->add_targets() = std::move(target);
            });
    return outcome;
  }

  void Create(const std::string& identity,
              std::vector<std::string> domains = {}) {
    v1::NewPartnerRequest request;
    request.set_identity(identity);
    for (const std::string& domain : domains) {
      request.mutable_fields()->mutable_additional_domains()->add_domains(
          domain);
    }
    absl::StatusOr<v1::PartnerChange> created =
        manager_->Create(request, actor_);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  v1::Partner Stored(const std::string& identity) {
    absl::StatusOr<std::optional<v1::Partner>> partner =
        store_->GetPartner(identity);
    EXPECT_TRUE(partner.ok() && partner->has_value()) << identity;
    return partner.ok() && partner->has_value() ? **partner : v1::Partner();
  }

  std::vector<std::string> Identities() {
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

  static v1::PartnerTargetOptions Description(const std::string& text) {
    v1::PartnerTargetOptions options;
    options.mutable_fields()->set_description(text);
    return options;
  }

  std::unique_ptr<PartnerManager> manager_;
  std::unique_ptr<PartnerTargets> targets_;
};

TEST_F(PartnerTargetsTest, SetChangesEachTargetAndReportsEveryOutcome) {
  Create("a.com");
  Create("b.com");
  v1::PartnerTarget unreadable = Target(5, "");
  unreadable.set_input_error("invalid JSON at column 2: oops");
  Outcome outcome = Run(
      &PartnerTargets::Set, Description("new"),
      {{Target(1, "A.com."), Target(2, "missing.com"), Target(3, "bad..com")},
       {Target(4, "a.com"), unreadable, Target(6, "b.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Statuses(),
            (std::vector<v1::TargetStatus>{
                v1::TARGET_STATUS_UPDATED, v1::TARGET_STATUS_NOT_FOUND,
                v1::TARGET_STATUS_REFUSED, v1::TARGET_STATUS_UNCHANGED,
                v1::TARGET_STATUS_REFUSED, v1::TARGET_STATUS_UPDATED}));
  std::vector<v1::TargetResult> results = outcome.Results();
  EXPECT_EQ(results[0].identity(), "a.com");
  EXPECT_EQ(results[0].line(), 1u);
  EXPECT_EQ(results[1].error(),
            "identity=missing.com: no partner has this identity");
  EXPECT_EQ(results[2].error_detail().field(), "identity");
  EXPECT_EQ(results[4].error(), "invalid JSON at column 2: oops");
  EXPECT_FALSE(results[0].has_partner()) << "only asked for";
  EXPECT_EQ(Stored("a.com").description(), "new");
  EXPECT_EQ(Stored("a.com").revision(), 2u);
  EXPECT_EQ(Stored("b.com").description(), "new");
  v1::TargetSummary summary = outcome.Summary();
  EXPECT_EQ(summary.updated(), 2u);
  EXPECT_EQ(summary.unchanged(), 1u);
  EXPECT_EQ(summary.not_found(), 1u);
  EXPECT_EQ(summary.refused(), 2u);
  EXPECT_TRUE(summary.committed());
}

TEST_F(PartnerTargetsTest, SetRefusesWhatSetPartnerRefuses) {
  Create("a.com", {"a.net"});
  Create("b.com");
  v1::PartnerTargetOptions options;
  options.mutable_fields()->add_add_additional_domains("a.net");
  Outcome clash = Run(&PartnerTargets::Set, options, {{Target(1, "b.com")}});
  ASSERT_EQ(clash.Results().size(), 1u);
  EXPECT_EQ(clash.Results()[0].status(), v1::TARGET_STATUS_REFUSED);
  EXPECT_EQ(clash.Results()[0].error_detail().owner(), "a.com");

  options.mutable_fields()->clear_add_additional_domains();
  options.mutable_fields()->add_add_additional_domains("example.test");
  Outcome local = Run(&PartnerTargets::Set, options, {{Target(1, "b.com")}});
  EXPECT_NE(local.Results()[0].error().find("local domain"), std::string::npos);

  v1::PartnerTargetOptions no_tls;
  no_tls.mutable_fields()->set_tls_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  Outcome invalid = Run(&PartnerTargets::Set, no_tls, {{Target(1, "b.com")}});
  EXPECT_EQ(invalid.Results()[0].status(), v1::TARGET_STATUS_REFUSED);
  EXPECT_EQ(invalid.Results()[0].error_detail().field(), "saslNegotiation");

  Outcome additional =
      Run(&PartnerTargets::Set, Description("x"), {{Target(1, "a.net")}});
  EXPECT_EQ(additional.Results()[0].status(), v1::TARGET_STATUS_NOT_FOUND);
  EXPECT_NE(additional.Results()[0].error().find("partner a.com"),
            std::string::npos);
  EXPECT_EQ(Stored("b.com").revision(), 1u);
}

TEST_F(PartnerTargetsTest, SetAppliesTheTargetsFieldsThenTheOptionsWin) {
  Create("a.com", {"old.net"});
  v1::PartnerTarget target = Target(1, "a.com");
  target.mutable_fields()->set_description("from the input");
  target.mutable_fields()->set_connection_limit(7);
  target.mutable_fields()->mutable_additional_domains()->add_domains("in.net");
  v1::PartnerTargetOptions options;
  options.mutable_fields()->set_connection_limit(9);
  options.mutable_fields()->mutable_additional_domains()->add_domains(
      "opt.net");
  options.set_with_partners(true);
  Outcome outcome = Run(&PartnerTargets::Set, options, {{target}});
  std::vector<v1::TargetResult> results = outcome.Results();
  ASSERT_EQ(results.size(), 1u);
  const v1::TargetResult& result = results[0];
  EXPECT_EQ(result.status(), v1::TARGET_STATUS_UPDATED);
  EXPECT_EQ(result.partner().description(), "from the input");
  EXPECT_EQ(result.partner().connection_limit(), 9u);
  ASSERT_EQ(result.partner().additional_domains_size(), 1);
  EXPECT_EQ(result.partner().additional_domains(0), "opt.net");
  EXPECT_EQ(result.before().additional_domains(0), "old.net");
  EXPECT_EQ(result.partner().revision(), 2u);
  EXPECT_EQ(Stored("a.com").connection_limit(), 9u);
}

TEST_F(PartnerTargetsTest, RemoveRemovesEachTargetOnceAndNamesTheMissing) {
  Create("a.com");
  Create("b.com");
  Create("c.com");
  v1::PartnerTargetOptions options;
  options.set_with_partners(true);
  Outcome outcome =
      Run(&PartnerTargets::Remove, options,
          {{Target(1, "a.com"), Target(2, "nope.com"), Target(3, "a.com"),
            Target(4, "*.com"), Target(5, "c.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Statuses(),
            (std::vector<v1::TargetStatus>{
                v1::TARGET_STATUS_REMOVED, v1::TARGET_STATUS_NOT_FOUND,
                v1::TARGET_STATUS_NOT_FOUND, v1::TARGET_STATUS_REFUSED,
                v1::TARGET_STATUS_REMOVED}));
  EXPECT_EQ(outcome.Results()[0].partner().identity(), "a.com");
  EXPECT_NE(outcome.Results()[3].error().find("--filter"), std::string::npos);
  EXPECT_EQ(Identities(), std::vector<std::string>{"b.com"});
  EXPECT_EQ(outcome.Summary().removed(), 2u);
  EXPECT_EQ(outcome.Summary().not_found(), 2u);
}

TEST_F(PartnerTargetsTest, WhatIfChecksTargetsTogetherAndWritesNothing) {
  Create("a.com");
  v1::PartnerTargetOptions options;
  options.set_what_if(true);
  Outcome outcome = Run(&PartnerTargets::Remove, options,
                        {{Target(1, "a.com")}, {Target(2, "a.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Statuses(),
            (std::vector<v1::TargetStatus>{v1::TARGET_STATUS_REMOVED,
                                           v1::TARGET_STATUS_NOT_FOUND}));
  EXPECT_FALSE(outcome.Summary().committed());
  EXPECT_EQ(Identities(), std::vector<std::string>{"a.com"});
}

TEST_F(PartnerTargetsTest, AtomicWritesNothingWhenATargetIsMissing) {
  Create("a.com");
  Create("b.com");
  v1::PartnerTargetOptions options = Description("all or nothing");
  options.set_atomic(true);
  Outcome outcome = Run(
      &PartnerTargets::Set, options,
      {{Target(1, "a.com")}, {Target(2, "missing.com"), Target(3, "b.com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Summary().updated(), 2u);
  EXPECT_FALSE(outcome.Summary().committed());
  EXPECT_EQ(Stored("a.com").revision(), 1u);
  EXPECT_EQ(Stored("b.com").revision(), 1u);

  Outcome all = Run(&PartnerTargets::Set, options,
                    {{Target(1, "a.com")}, {Target(2, "b.com")}});
  EXPECT_TRUE(all.Summary().committed());
  EXPECT_EQ(Stored("b.com").description(), "all or nothing");
}

TEST_F(PartnerTargetsTest, AbandonedRunKeepsTheMessagesItReported) {
  Create("a.com");
  Create("b.com");
  Outcome outcome = Run(&PartnerTargets::Remove, {}, {{Target(1, "a.com")}},
                        /*abandon=*/true);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kCancelled);
  ASSERT_EQ(outcome.Results().size(), 1u);
  EXPECT_EQ(Identities(), std::vector<std::string>{"b.com"});

  v1::PartnerTargetOptions atomic;
  atomic.set_atomic(true);
  Outcome abandoned = Run(&PartnerTargets::Remove, atomic,
                          {{Target(1, "b.com")}}, /*abandon=*/true);
  EXPECT_EQ(abandoned.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(Identities(), std::vector<std::string>{"b.com"});
}

TEST_F(PartnerTargetsTest, GetReturnsEachPartnerAndNamesTheMissing) {
  Create("a.com", {"a.net"});
  Outcome outcome =
      Run(&PartnerTargets::Get, {},
          {{Target(1, "A.COM"), Target(2, "a.net")}, {Target(3, "x..com")}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.Statuses(),
            (std::vector<v1::TargetStatus>{v1::TARGET_STATUS_FOUND,
                                           v1::TARGET_STATUS_NOT_FOUND,
                                           v1::TARGET_STATUS_REFUSED}));
  EXPECT_EQ(outcome.Results()[0].partner().additional_domains(0), "a.net");
  EXPECT_NE(outcome.Results()[1].error().find("additional domain of partner "
                                              "a.com"),
            std::string::npos);
  EXPECT_EQ(outcome.Summary().found(), 1u);
  EXPECT_FALSE(outcome.Summary().committed());
}

TEST_F(PartnerTargetsTest, ResultsWithPartnersAreSplitIntoBoundedReplies) {
  // 6 partners of 1,000 domains of 250 bytes: about 250 KiB each, twice in a
  // result of set-partner.
  const std::string long_labels =
      std::string(63, 'x') + "." + std::string(63, 'y') + "." +
      std::string(63, 'z') + "." + std::string(45, 'w') + "-";
  std::vector<v1::PartnerTarget> targets;
  for (int p = 0; p < 6; ++p) {
    v1::Partner partner =
        policy::DefaultPartner("p" + std::to_string(p) + ".com");
    for (int d = 0; d < 1000; ++d) {
      partner.add_additional_domains(long_labels + std::to_string(d) + "." +
                                     partner.identity());
    }
    ASSERT_TRUE(store_->CreatePartner(partner, testing::TestAudit()).ok());
    targets.push_back(Target(p + 1, partner.identity()));
  }
  v1::PartnerTargetOptions options = Description("big");
  options.set_with_partners(true);
  Outcome set = Run(&PartnerTargets::Set, options, {targets});
  ASSERT_TRUE(set.status.ok()) << set.status;
  Outcome get = Run(&PartnerTargets::Get, {}, {targets});
  ASSERT_TRUE(get.status.ok()) << get.status;
  for (const Outcome* outcome : {&set, &get}) {
    ASSERT_GE(outcome->replies.size(), 3u) << "results, results, summary";
    for (const v1::PartnerTargetsReply& reply : outcome->replies) {
      EXPECT_LT(reply.ByteSizeLong(), kReplyBytes + (512 << 10));
    }
    std::vector<v1::TargetResult> results = outcome->Results();
    ASSERT_EQ(results.size(), 6u);
    EXPECT_EQ(results[5].line(), 6u);
    EXPECT_EQ(results[5].partner().additional_domains_size(), 1000);
  }
  EXPECT_EQ(set.Summary().updated(), 6u);
  EXPECT_EQ(get.Summary().found(), 6u);
  EXPECT_EQ(Stored("p5.com").description(), "big");
}

}  // namespace
}  // namespace xmppfed::service
