// A stalled import never holds up anything else (issue 10): an
// `import-partners --atomic` whose client stops sending halfway keeps
// nothing locked, so federation traffic (relaying, invitations) and other
// changes (set-partner) go on; once the client sends the rest, the import
// commits whole.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/federation/federation_fixture.h"

namespace xmppfed::testing {
namespace {

constexpr int kRecords = 2500;  // more than one of the CLI's messages

class ImportStallTest : public FederationTest {};

TEST_F(ImportStallTest, AStalledAtomicImportBlocksNothing) {
  StartFederatedPair();

  // The import reads a FIFO the test holds open.
  std::string fifo = partner_.dir->path() + "/records.ndjson";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string error;
  pid_t importer = StartBackground(
      CliBinary(),
      {"--socket", partner_.agent->socket_path(), "import-partners", "--atomic",
       "-o", "ndjson", fifo},
      partner_.dir->path() + "/import.out",
      partner_.dir->path() + "/import.err", RunOptions(), &error);
  ASSERT_GT(importer, 0) << error;
  int writer = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(writer, 0);
  std::string records;
  for (int i = 0; i < kRecords; ++i) {
    records += "{\"identity\": \"imported-" + std::to_string(i) +
               ".test\", \"partnerType\": \"Federated\"}\n";
  }
  ASSERT_EQ(::write(writer, records.data(), records.size()),
            static_cast<ssize_t>(records.size()));
  // The CLI took every byte: its first message is on its way, and it now
  // waits for the rest of the input.
  for (int i = 0; i < 200; ++i) {
    int unread = 0;
    ASSERT_EQ(::ioctl(writer, FIONREAD, &unread), 0);
    if (unread == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // Meanwhile federation goes on: stanzas both ways, and an invitation
  // that is stored.
  EXPECT_NE(Relay(example_, partner_, "during-import-1"), "")
      << partner_.agent->Log();
  EXPECT_NE(Relay(partner_, example_, "during-import-2"), "")
      << example_.agent->Log();
  partner_.gateway->Send(
      "<presence from='bob@partner.test' to='alice@example.test' "
      "type='subscribe'/>");
  EXPECT_TRUE(WaitForLog(partner_, "invitations.stored count=1"))
      << partner_.agent->Log();
  // And so do other changes of the same store.
  auto start = std::chrono::steady_clock::now();
  CliResult changed = partner_.Cli(
      {"set-partner", "example.test", "--description", "changed meanwhile"});
  EXPECT_EQ(changed.exit_code, 0) << changed;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  CliResult nothing_yet = partner_.Cli({"get-partner", "imported-0.test"});
  EXPECT_EQ(nothing_yet.exit_code, 3) << nothing_yet;

  // The rest of the input: the import commits whole.
  ::close(writer);
  std::optional<ExitStatus> ended =
      WaitForExit(importer, std::chrono::seconds(60));
  ASSERT_TRUE(ended.has_value());
  EXPECT_TRUE(ended->exited && ended->code == 0) << *ended;
  for (const char* identity : {"imported-0.test", "imported-2499.test"}) {
    CliResult got = partner_.Cli({"get-partner", identity});
    EXPECT_EQ(got.exit_code, 0) << got;
  }
}

}  // namespace
}  // namespace xmppfed::testing
