// The resolver against a real (fake) DNS server on loopback that the test
// runs itself; nothing leaves 127.0.0.1. Addresses are from the documentation
// ranges (192.0.2.0/24, 2001:db8::/32) and are never connected to.
#include "agent/edge/dns/resolver.h"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_dns_server.h"

namespace xmppfed::edge::dns {

void PrintTo(const Address& address, std::ostream* out) {
  *out << address.ip << " port " << address.port << " (" << address.host << ")"
       << (address.direct_tls ? " direct TLS" : "");
}

namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using Clock = std::chrono::steady_clock;

struct Outcome {
  absl::StatusOr<std::vector<Address>> result;
  std::thread::id thread;
};

// One request's answer, waited for with a bound so a lost callback fails
// the test instead of hanging it. The promise is shared with the callback,
// so a late answer after a failed wait is harmless.
class Answer {
 public:
  Resolver::Callback callback() {
    return [promise = promise_](absl::StatusOr<std::vector<Address>> result) {
      promise->set_value({std::move(result), std::this_thread::get_id()});
    };
  }
  Outcome Get(std::chrono::seconds bound = std::chrono::seconds(10)) {
    if (future_.wait_for(bound) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within " << bound.count() << " s";
      return {absl::InternalError("no answer"), {}};
    }
    return future_.get();
  }

 private:
  std::shared_ptr<std::promise<Outcome>> promise_ =
      std::make_shared<std::promise<Outcome>>();
  std::future<Outcome> future_ = promise_->get_future();
};

class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dns_.ok()); }

  std::unique_ptr<Resolver> MakeResolver(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
    ResolverOptions options;
    options.servers = {dns_.address()};
    options.timeout = timeout;
    return std::make_unique<Resolver>(options);
  }

  Outcome Server(
      const std::string& domain,
      Resolver::Services services = Resolver::Services::kStartTlsOnly) {
    std::unique_ptr<Resolver> resolver = MakeResolver();
    Answer answer;
    resolver->ResolveServer(domain, answer.callback(), services);
    return answer.Get();
  }

  testing::FakeDnsServer dns_;
};

TEST_F(ResolverTest, SrvTargetsInPriorityOrderWithBothFamilies) {
  dns_.AddSrv("_xmpp-server._tcp.a.example", 20, 0, 5271, "xmpp2.a.example");
  dns_.AddSrv("_xmpp-server._tcp.a.example", 10, 0, 5270, "xmpp1.a.example");
  dns_.AddA("xmpp1.a.example", "192.0.2.1");
  dns_.AddAaaa("xmpp1.a.example", "2001:db8::1");
  dns_.AddA("xmpp2.a.example", "192.0.2.2");

  Outcome outcome = Server("a.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  const std::vector<Address>& found = *outcome.result;
  ASSERT_EQ(found.size(), 3u);
  // Within one target c-ares orders the families (RFC 6724); across targets
  // the SRV order holds.
  EXPECT_THAT(
      std::vector<Address>(found.begin(), found.begin() + 2),
      UnorderedElementsAre(Address{"192.0.2.1", 5270, "xmpp1.a.example"},
                           Address{"2001:db8::1", 5270, "xmpp1.a.example"}));
  EXPECT_EQ(found[2], (Address{"192.0.2.2", 5271, "xmpp2.a.example"}));
  EXPECT_THAT(dns_.questions(), Contains("_xmpp-server._tcp.a.example SRV"));
}

TEST_F(ResolverTest, AnswersOnTheWorkerThreadNotTheCallers) {
  dns_.AddA("b.example", "192.0.2.3");
  Outcome outcome = Server("b.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_NE(outcome.thread, std::this_thread::get_id());
}

TEST_F(ResolverTest, NoSrvRecordFallsBackToTheDomainOn5269) {
  dns_.AddA("b.example", "192.0.2.3");
  dns_.AddAaaa("b.example", "2001:db8::3");
  Outcome outcome = Server("b.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              UnorderedElementsAre(Address{"192.0.2.3", 5269, "b.example"},
                                   Address{"2001:db8::3", 5269, "b.example"}));
}

// The SRV name exists but holds no SRV record (NODATA): also "no SRV".
TEST_F(ResolverTest, NodataForSrvAlsoFallsBack) {
  dns_.AddA("_xmpp-server._tcp.c.example", "192.0.2.99");
  dns_.AddA("c.example", "192.0.2.4");
  Outcome outcome = Server("c.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.4", 5269, "c.example"}));
}

// RFC 6120 §3.2.1: a failed SRV lookup is no proof the record is absent,
// but the domain's own address on 5269 is still worth a try.
TEST_F(ResolverTest, SrvServfailFallsBackToTheDomainOn5269) {
  dns_.Fail("_xmpp-server._tcp.f.example",
            testing::FakeDnsServer::Failure::kServFail);
  dns_.AddSrv("_xmpp-server._tcp.f.example", 0, 0, 5999, "hidden.f.example");
  dns_.AddA("f.example", "192.0.2.10");
  Outcome outcome = Server("f.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.10", 5269, "f.example"}));
}

TEST_F(ResolverTest, SrvRefusedFallsBack) {
  dns_.Fail("_xmpp-server._tcp.g.example",
            testing::FakeDnsServer::Failure::kRefused);
  dns_.AddAaaa("g.example", "2001:db8::10");
  Outcome outcome = Server("g.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"2001:db8::10", 5269, "g.example"}));
}

TEST_F(ResolverTest, SrvWithoutAnswerFallsBackWithinTheTimeout) {
  dns_.Fail("_xmpp-server._tcp.h.example",
            testing::FakeDnsServer::Failure::kNoAnswer);
  dns_.AddA("h.example", "192.0.2.11");
  const auto timeout = std::chrono::milliseconds(800);
  std::unique_ptr<Resolver> resolver = MakeResolver(timeout);
  Answer answer;
  const Clock::time_point start = Clock::now();
  resolver->ResolveServer("h.example", answer.callback());
  Outcome outcome = answer.Get();
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.11", 5269, "h.example"}));
  EXPECT_LT(Clock::now() - start, timeout);
}

TEST_F(ResolverTest, FailedSrvAndNoAddressReportTheSrvFailure) {
  dns_.Fail("_xmpp-server._tcp.i.example",
            testing::FakeDnsServer::Failure::kServFail);
  Outcome outcome = Server("i.example");
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kUnavailable)
      << outcome.result.status();
  EXPECT_THAT(outcome.result.status().message(),
              HasSubstr("i.example: the _xmpp-server._tcp SRV lookup failed "
                        "and so did the fallback to the domain's address on "
                        "port 5269"));
  EXPECT_THAT(dns_.questions(), Contains("i.example A"));
}

TEST_F(ResolverTest, NxdomainEverywhereIsNotFoundNamingTheDomain) {
  Outcome outcome = Server("nowhere.example");
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kNotFound)
      << outcome.result.status();
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("nowhere.example"));
  EXPECT_THAT(dns_.questions(),
              Contains("_xmpp-server._tcp.nowhere.example SRV"));
  EXPECT_THAT(dns_.questions(), Contains("nowhere.example A"));
}

TEST_F(ResolverTest, ADotTargetRefusesServiceWithoutFallback) {
  dns_.AddSrv("_xmpp-server._tcp.closed.example", 0, 0, 0, ".");
  dns_.AddA("closed.example", "192.0.2.5");  // Must not be used.
  Outcome outcome = Server("closed.example");
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(outcome.result.status().message(),
              HasSubstr("closed.example: the domain says it offers no XMPP "
                        "server-to-server service"));
  EXPECT_THAT(dns_.questions(), Not(Contains("closed.example A")));
}

// XEP-0368: both services asked, their records merged, each address
// marked with its kind.
TEST_F(ResolverTest, DirectTlsAndStartTlsTargetsMergeByPriority) {
  dns_.AddSrv("_xmpps-server._tcp.m.example", 5, 0, 5270, "tls.m.example");
  dns_.AddSrv("_xmpp-server._tcp.m.example", 10, 0, 5269, "plain.m.example");
  dns_.AddA("tls.m.example", "192.0.2.20");
  dns_.AddA("plain.m.example", "192.0.2.21");
  Outcome outcome = Server("m.example", Resolver::Services::kWithDirectTls);
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.20", 5270, "tls.m.example", true},
                          Address{"192.0.2.21", 5269, "plain.m.example"}));
}

TEST_F(ResolverTest, DirectTlsRecordsAloneNeedNoFallback) {
  dns_.AddSrv("_xmpps-server._tcp.t.example", 0, 0, 5270, "t.example");
  dns_.AddA("t.example", "192.0.2.22");
  Outcome outcome = Server("t.example", Resolver::Services::kWithDirectTls);
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.22", 5270, "t.example", true}));
}

// A partner whose TLS is NotSupported: _xmpps-server is not even asked.
TEST_F(ResolverTest, StartTlsOnlyNeverAsksForDirectTls) {
  dns_.AddSrv("_xmpps-server._tcp.n.example", 0, 0, 5270, "n.example");
  dns_.AddSrv("_xmpp-server._tcp.n.example", 10, 0, 5269, "n.example");
  dns_.AddA("n.example", "192.0.2.23");
  Outcome outcome = Server("n.example", Resolver::Services::kStartTlsOnly);
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.23", 5269, "n.example"}));
  EXPECT_THAT(dns_.questions(),
              Not(Contains("_xmpps-server._tcp.n.example SRV")));
}

TEST_F(ResolverTest, AFailedDirectTlsLookupLeavesStartTls) {
  dns_.Fail("_xmpps-server._tcp.s.example",
            testing::FakeDnsServer::Failure::kServFail);
  dns_.AddSrv("_xmpp-server._tcp.s.example", 0, 0, 5269, "s.example");
  dns_.AddA("s.example", "192.0.2.24");
  Outcome outcome = Server("s.example", Resolver::Services::kWithDirectTls);
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.24", 5269, "s.example"}));
}

TEST_F(ResolverTest, NeitherServiceFallsBackToStartTlsOn5269) {
  dns_.AddA("x.example", "192.0.2.25");
  Outcome outcome = Server("x.example", Resolver::Services::kWithDirectTls);
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.25", 5269, "x.example"}));
  EXPECT_THAT(dns_.questions(), Contains("_xmpps-server._tcp.x.example SRV"));
}

// XEP-0368 §5: "." for xmpps-server and no xmpp-server record: no service,
// and no A/AAAA fallback.
TEST_F(ResolverTest, ADotForDirectTlsAloneRefusesWithoutFallback) {
  dns_.AddSrv("_xmpps-server._tcp.d0.example", 0, 0, 0, ".");
  dns_.AddA("d0.example", "192.0.2.26");  // Must not be used.
  Outcome outcome = Server("d0.example", Resolver::Services::kWithDirectTls);
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(dns_.questions(), Not(Contains("d0.example A")));
}

TEST_F(ResolverTest, ATargetWithoutAddressIsSkipped) {
  dns_.AddSrv("_xmpp-server._tcp.d.example", 10, 0, 5270, "gone.d.example");
  dns_.AddSrv("_xmpp-server._tcp.d.example", 20, 0, 5271, "up.d.example");
  dns_.AddA("up.d.example", "192.0.2.6");
  Outcome outcome = Server("d.example");
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.6", 5271, "up.d.example"}));
}

TEST_F(ResolverTest, NoTargetWithAnAddressIsNotFound) {
  dns_.AddSrv("_xmpp-server._tcp.e.example", 10, 0, 5270, "gone.e.example");
  Outcome outcome = Server("e.example");
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("e.example"));
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("gone.e.example"));
}

TEST_F(ResolverTest, SilentServerIsDeadlineExceededWithinTheTimeout) {
  dns_.SetSilent(true);
  const auto timeout = std::chrono::milliseconds(400);
  std::unique_ptr<Resolver> resolver = MakeResolver(timeout);
  Answer answer;
  const Clock::time_point start = Clock::now();
  resolver->ResolveServer("quiet.example", answer.callback());
  Outcome outcome = answer.Get();
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kDeadlineExceeded)
      << outcome.result.status();
  EXPECT_LT(elapsed, timeout + std::chrono::milliseconds(300));
  EXPECT_THAT(dns_.questions(),
              Contains("_xmpp-server._tcp.quiet.example SRV"));
}

// With two silent servers c-ares' own retries (a quarter of the timeout per
// server, then half) would outlast the timeout: the request's deadline ends
// it, and the answers c-ares gives up on later are dropped.
TEST_F(ResolverTest, TheRequestDeadlineHoldsWhenCaresWouldWaitLonger) {
  testing::FakeDnsServer other;
  ASSERT_TRUE(other.ok());
  dns_.SetSilent(true);
  other.SetSilent(true);
  ResolverOptions options;
  options.servers = {dns_.address(), other.address()};
  options.timeout = std::chrono::milliseconds(400);
  auto resolver = std::make_unique<Resolver>(options);
  Answer answer;
  const Clock::time_point start = Clock::now();
  resolver->ResolveServer("quiet.example", answer.callback());
  Outcome outcome = answer.Get();
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kDeadlineExceeded)
      << outcome.result.status();
  EXPECT_THAT(outcome.result.status().message(),
              HasSubstr("quiet.example got no answer within 400 ms"));
  EXPECT_GE(elapsed, std::chrono::milliseconds(390));
  EXPECT_LT(elapsed, std::chrono::milliseconds(700));
  EXPECT_THAT(other.questions(),
              Contains("_xmpp-server._tcp.quiet.example SRV"));
}

TEST_F(ResolverTest, HostLookupUsesTheGivenPort) {
  dns_.AddA("proxy.example", "192.0.2.8");
  std::unique_ptr<Resolver> resolver = MakeResolver();
  Answer answer;
  resolver->ResolveHost("proxy.example", 15269, answer.callback());
  Outcome outcome = answer.Get();
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  EXPECT_THAT(*outcome.result,
              ElementsAre(Address{"192.0.2.8", 15269, "proxy.example"}));
  EXPECT_THAT(dns_.questions(), Not(Contains(HasSubstr("SRV"))));
}

TEST_F(ResolverTest, HostLookupOfAnUnknownNameIsNotFound) {
  std::unique_ptr<Resolver> resolver = MakeResolver();
  Answer answer;
  resolver->ResolveHost("nohost.example", 5269, answer.callback());
  Outcome outcome = answer.Get();
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("nohost.example"));
}

TEST_F(ResolverTest, IpLiteralProxyNeedsNoDns) {
  std::unique_ptr<Resolver> resolver = MakeResolver();
  Answer v4, v6, bracketed;
  resolver->ResolveHost("192.0.2.7", 5299, v4.callback());
  resolver->ResolveHost("2001:DB8::7", 5299, v6.callback());
  resolver->ResolveHost("[2001:db8:0::8]", 5300, bracketed.callback());
  Outcome a = v4.Get(), b = v6.Get(), c = bracketed.Get();
  ASSERT_TRUE(a.result.ok() && b.result.ok() && c.result.ok());
  EXPECT_THAT(*a.result, ElementsAre(Address{"192.0.2.7", 5299, "192.0.2.7"}));
  EXPECT_THAT(*b.result,
              ElementsAre(Address{"2001:db8::7", 5299, "2001:DB8::7"}));
  EXPECT_THAT(*c.result,
              ElementsAre(Address{"2001:db8::8", 5300, "[2001:db8:0::8]"}));
  EXPECT_NE(a.thread, std::this_thread::get_id());
  EXPECT_THAT(dns_.questions(), IsEmpty());
}

TEST_F(ResolverTest, DestroyingTheResolverCancelsOutstandingLookups) {
  dns_.SetSilent(true);
  std::unique_ptr<Resolver> resolver =
      MakeResolver(std::chrono::milliseconds(30'000));
  Answer server, host;
  resolver->ResolveServer("pending.example", server.callback());
  resolver->ResolveHost("pending-host.example", 5269, host.callback());
  // Let the queries reach the server, so c-ares really has them in flight.
  for (int i = 0; i < 200 && dns_.questions().size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const Clock::time_point start = Clock::now();
  resolver.reset();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(server.Get(std::chrono::seconds(1)).result.status().code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(host.Get(std::chrono::seconds(1)).result.status().code(),
            absl::StatusCode::kCancelled);
}

TEST_F(ResolverTest, ABadServerListIsReportedOnEveryRequest) {
  ResolverOptions options;
  options.servers = {"not an address"};
  Resolver resolver(options);
  Answer answer;
  resolver.ResolveServer("a.example", answer.callback());
  Outcome outcome = answer.Get();
  EXPECT_EQ(outcome.result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("not an address"));
}

TEST_F(ResolverTest, ManyConcurrentRequestsFromSeveralThreads) {
  dns_.AddSrv("_xmpp-server._tcp.busy.example", 0, 5, 5269,
              "xmpp.busy.example");
  dns_.AddA("xmpp.busy.example", "192.0.2.10");
  std::unique_ptr<Resolver> resolver = MakeResolver();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<Answer> answers(kThreads * kPerThread);
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        resolver->ResolveServer("busy.example",
                                answers[t * kPerThread + i].callback());
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (Answer& answer : answers) {
    Outcome outcome = answer.Get();
    ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
    EXPECT_THAT(*outcome.result,
                ElementsAre(Address{"192.0.2.10", 5269, "xmpp.busy.example"}));
  }
}

}  // namespace
}  // namespace xmppfed::edge::dns
