// Flow control end to end (issue 10): example.test's gateway sends 300,000
// messages (~90 MB) to partner.test's gateway, which reads nothing for a
// while. Each full stream pauses the streams that feed it (partner.test's
// component -> its inbound S2S stream -> example.test's outbound stream ->
// example.test's component -> the sender's socket), so neither agent
// buffers the backlog: both stay under 64 MiB, and once the reader resumes
// every message arrives.
//
// The components are raw XEP-0114 clients (tests/bench/edge_peers.h): the
// sender blocks in write(2) when the agent stops reading it, the reader
// starts counting only when the test lets it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "tests/bench/edge_peers.h"
#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/process_stats.h"

namespace xmppfed::testing {
namespace {

constexpr int kMessages = 300000;
constexpr long kLimitKib = 64 * 1024;

std::string Message(int i) {
  // About 300 bytes, as in the measurement.
  return "<message from='alice@example.test/desk' to='bob@partner.test' "
         "type='chat' id='m" +
         std::to_string(i) + "'><body>" + std::string(200, 'x') +
         "</body></message>";
}

class FlowControlScenarioTest : public FederationTest {};

TEST_F(FlowControlScenarioTest, AStalledReaderKeepsBothAgentsSmall) {
  // TLS + SASL EXTERNAL both ways; Federated, so nothing is held for an
  // invitation. The gateways are this test's raw components.
  StartFederatedPair({}, /*connect_gateways=*/false);

  bench::RawComponent reader;
  ASSERT_TRUE(
      reader.Connect(partner_.component_port, "partner.test", kComponentSecret))
      << reader.error();
  bench::RawComponent sender;
  ASSERT_TRUE(
      sender.Connect(example_.component_port, "example.test", kComponentSecret))
      << sender.error();

  // The sender's gateway reads what comes back (nothing, unless bounces).
  bench::MessageCounter bounced(sender.fd());
  std::atomic<int> sent{0};
  std::thread writer([&] {
    std::string batch;
    for (int i = 0; i < kMessages; ++i) {
      batch += Message(i);
      if (batch.size() >= 64 * 1024 || i + 1 == kMessages) {
        if (!sender.Send(batch)) return;
        batch.clear();
        sent.store(i + 1);
      }
    }
  });

  // The reader reads nothing until the sender is held back (it has not
  // progressed for a second), or for 20 s at most.
  auto stalled_since = std::chrono::steady_clock::now();
  int last = -1;
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (sent.load() != last) {
      last = sent.load();
      stalled_since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - stalled_since >
               std::chrono::seconds(1)) {
      break;
    }
  }
  EXPECT_LT(sent.load(), kMessages) << "nothing held the sender back";
  EXPECT_TRUE(WaitForLog(partner_, "flow.paused")) << partner_.agent->Log();
  EXPECT_TRUE(WaitForLog(example_, "flow.paused")) << example_.agent->Log();

  bench::MessageCounter received(reader.fd());
  bool all = received.WaitFor(kMessages, std::chrono::seconds(120));
  writer.join();
  EXPECT_TRUE(all) << received.count() << " of " << kMessages
                   << " messages arrived";
  EXPECT_EQ(received.count(), static_cast<uint64_t>(kMessages));
  EXPECT_EQ(bounced.count(), 0u);

  long example_kib = PeakResidentKib(example_.agent->pid());
  long partner_kib = PeakResidentKib(partner_.agent->pid());
  std::printf("peak RSS: example.test %.1f MiB, partner.test %.1f MiB\n",
              example_kib / 1024.0, partner_kib / 1024.0);
  EXPECT_GT(example_kib, 0);
  EXPECT_LT(example_kib, kLimitKib);
  EXPECT_GT(partner_kib, 0);
  EXPECT_LT(partner_kib, kLimitKib);
}

}  // namespace
}  // namespace xmppfed::testing
