// FlowControl over real XmlStreams on socketpairs: a stream whose output
// crosses its high mark pauses exactly the streams that feed it, and
// resumes them once drained to its low mark.
#include "agent/edge/core/flow_control.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/unit/edge/core/fake_session.h"

namespace xmppfed::edge::testing {
namespace {

constexpr size_t kHigh = 4096;
constexpr size_t kLow = 1024;

class FlowControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
        net::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    ctx_ = xmpp_ctx_new(nullptr, nullptr);
    flow_ = std::make_unique<FlowControl>(
        &registry_,
        [this](std::string_view domain) -> Session* {
          auto it = components_.find(std::string(domain));
          return it == components_.end() ? nullptr : it->second;
        },
        [] {
          return FlowControl::Watermarks{kHigh, kLow};
        });
  }
  void TearDown() override {
    registry_.Clear();
    flow_.reset();
    loop_.reset();
    xmpp_ctx_free(ctx_);
  }

  FakeSession* Add(SessionKind kind, const std::string& local,
                   std::vector<std::string> partners) {
    FakeSession* session = registry_.Add(std::make_unique<FakeSession>(
        ++last_id_, kind, local, std::move(partners)));
    session->Connect(loop_.get(), ctx_);
    if (kind == SessionKind::kComponent) components_[local] = session;
    flow_->Watch(session);
    return session;
  }
  // Queues more output on `sink` than its peer's socket takes, and more
  // than the high mark.
  static void Fill(FakeSession* sink) {
    sink->stream()->Send(std::string(64 * kHigh, ' '));
  }
  // Lets `sink` write its output out (its peer reads it all).
  void Drain(FakeSession* sink) {
    for (int i = 0; i < 10000 && sink->stream()->output_bytes() > 0; ++i) {
      loop_->RunOnce(absl::ZeroDuration());
      sink->DrainPeer();
    }
  }
  static bool Paused(FakeSession* session) {
    return session->stream()->reading_paused();
  }

  std::unique_ptr<net::EventLoop> loop_;
  xmpp_ctx_t* ctx_ = nullptr;
  SessionRegistry registry_;
  std::map<std::string, Session*> components_;
  std::unique_ptr<FlowControl> flow_;
  uint64_t last_id_ = 0;
};

TEST_F(FlowControlTest, AFullComponentPausesInboundStreamsAndComponents) {
  FakeSession* component = Add(SessionKind::kComponent, "local.test", {});
  FakeSession* other_component = Add(SessionKind::kComponent, "other.test", {});
  FakeSession* inbound = Add(SessionKind::kInbound, "local.test", {"a.test"});
  FakeSession* outbound = Add(SessionKind::kOutbound, "local.test", {"a.test"});
  FakeSession* verifier = Add(SessionKind::kVerifier, "local.test", {"a.test"});

  Fill(component);
  EXPECT_TRUE(Paused(inbound));
  EXPECT_TRUE(Paused(other_component));
  EXPECT_TRUE(Paused(component)) << "it may write to its own domain";
  EXPECT_FALSE(Paused(outbound));
  EXPECT_FALSE(Paused(verifier));
  EXPECT_EQ(flow_->full_streams(), 1u);

  Drain(component);
  EXPECT_FALSE(Paused(inbound));
  EXPECT_FALSE(Paused(other_component));
  EXPECT_FALSE(Paused(component));
  EXPECT_EQ(flow_->full_streams(), 0u);
}

TEST_F(FlowControlTest, AFullOutboundStreamPausesItsFeedersOnly) {
  FakeSession* component = Add(SessionKind::kComponent, "local.test", {});
  FakeSession* other_component = Add(SessionKind::kComponent, "other.test", {});
  FakeSession* from_a = Add(SessionKind::kInbound, "local.test", {"a.test"});
  FakeSession* from_b = Add(SessionKind::kInbound, "local.test", {"b.test"});
  FakeSession* to_a = Add(SessionKind::kOutbound, "local.test", {"a.test"});

  Fill(to_a);
  EXPECT_TRUE(Paused(component)) << "the component of its local domain";
  EXPECT_TRUE(Paused(from_a)) << "a.test's pings and bounces go back to a";
  EXPECT_FALSE(Paused(other_component));
  EXPECT_FALSE(Paused(from_b));

  Drain(to_a);
  EXPECT_FALSE(Paused(component));
  EXPECT_FALSE(Paused(from_a));
}

TEST_F(FlowControlTest, AFullInboundStreamStopsReadingItself) {
  FakeSession* inbound = Add(SessionKind::kInbound, "local.test", {"a.test"});
  FakeSession* other = Add(SessionKind::kInbound, "local.test", {"a.test"});
  Fill(inbound);
  EXPECT_TRUE(Paused(inbound));
  EXPECT_FALSE(Paused(other));
  Drain(inbound);
  EXPECT_FALSE(Paused(inbound));
}

TEST_F(FlowControlTest, AFeederAppearingWhileItsSinkIsFullIsPausedToo) {
  FakeSession* component = Add(SessionKind::kComponent, "local.test", {});
  Fill(component);
  // A new inbound stream, and one that proves a domain later.
  FakeSession* late = Add(SessionKind::kInbound, "local.test", {});
  EXPECT_TRUE(Paused(late));
  FakeSession* to_a = Add(SessionKind::kOutbound, "local.test", {"a.test"});
  Fill(to_a);
  FakeSession* from_a = Add(SessionKind::kInbound, "local.test", {});
  from_a->set_partners({"a.test"});
  registry_.Rebind(from_a);
  flow_->SourceChanged(from_a);
  // Held by both full streams; both must drain before it reads again.
  Drain(component);
  EXPECT_TRUE(Paused(from_a));
  EXPECT_FALSE(Paused(late));
  Drain(to_a);
  EXPECT_FALSE(Paused(from_a));
}

TEST_F(FlowControlTest, TwoFullSinksEachHoldTheirOwnPause) {
  FakeSession* component = Add(SessionKind::kComponent, "local.test", {});
  FakeSession* from_a = Add(SessionKind::kInbound, "local.test", {"a.test"});
  FakeSession* to_a = Add(SessionKind::kOutbound, "local.test", {"a.test"});
  Fill(component);
  Fill(to_a);
  Drain(component);
  EXPECT_TRUE(Paused(from_a)) << "to_a still holds its pause";
  Drain(to_a);
  EXPECT_FALSE(Paused(from_a));
}

TEST_F(FlowControlTest, AFullSinkThatClosesReleasesItsFeeders) {
  FakeSession* component = Add(SessionKind::kComponent, "local.test", {});
  FakeSession* inbound = Add(SessionKind::kInbound, "local.test", {"a.test"});
  Fill(component);
  ASSERT_TRUE(Paused(inbound));
  component->Close(xml::StreamError::kConnectionTimeout, "gone");
  EXPECT_FALSE(Paused(inbound));
  EXPECT_EQ(flow_->full_streams(), 0u);
}

}  // namespace
}  // namespace xmppfed::edge::testing
