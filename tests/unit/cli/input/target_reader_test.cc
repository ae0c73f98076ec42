// The targets of pipeline input, read from a pipe as a shell would give
// them: identities and NDJSON objects, line numbers, what is skipped, what
// is refused, the copy for a second pass, and whether reading would wait.
#include "cli/input/target_reader.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "cli/input/json_record_readers.h"

namespace xmppfed::cli {
namespace {

using ::testing::HasSubstr;

// A pipe whose write end the test holds.
class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe2(fds_, O_CLOEXEC), 0); }
  ~Pipe() {
    CloseWriter();
    ::close(fds_[0]);
  }
  int reader() const { return fds_[0]; }
  void Write(const std::string& text) {
    ASSERT_EQ(::write(fds_[1], text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }
  void CloseWriter() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

std::vector<InputTarget> ReadAll(TargetReader& reader) {
  std::vector<InputTarget> targets;
  InputTarget target;
  while (reader.Next(&target)) targets.push_back(target);
  EXPECT_EQ(reader.error(), "");
  return targets;
}

std::vector<InputTarget> ReadAll(const std::string& text) {
  Pipe pipe;
  // Written from a thread: the text may be larger than the pipe's buffer.
  std::thread writer([&] {
    pipe.Write(text);
    pipe.CloseWriter();
  });
  TargetReader reader(pipe.reader());
  std::vector<InputTarget> targets = ReadAll(reader);
  writer.join();
  return targets;
}

TEST(TargetReaderTest, IdentitiesAndObjectsWithTheirLineNumbers) {
  std::vector<InputTarget> targets = ReadAll(
      "fabrikam.com\n"
      "\n"
      "# a comment\n"
      "  contoso.com \r\n"
      "{\"identity\":\"tailspin.test\",\"tlsNegotiation\":\"Optional\"}\n"
      "\t\n"
      "last.example");
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0].line, 1u);
  EXPECT_EQ(targets[0].identity, "fabrikam.com");
  EXPECT_EQ(targets[0].object.kind, JsonValue::Kind::kNull);
  EXPECT_EQ(targets[1].line, 4u);
  EXPECT_EQ(targets[1].identity, "contoso.com");
  EXPECT_EQ(targets[2].line, 5u);
  EXPECT_EQ(targets[2].identity, "tailspin.test");
  ASSERT_EQ(targets[2].object.kind, JsonValue::Kind::kObject);
  EXPECT_EQ(targets[2].object.Find("tlsNegotiation")->text, "Optional");
  EXPECT_EQ(targets[3].line, 7u) << "the last line needs no line ending";
  EXPECT_EQ(targets[3].identity, "last.example");
  for (const InputTarget& target : targets) EXPECT_EQ(target.error, "");
}

TEST(TargetReaderTest, UnreadableLinesAreRefusedAndReadingGoesOn) {
  std::vector<InputTarget> targets = ReadAll(
      "{\"identity\": \"a.com\",}\n"
      "{\"description\": \"no identity\"}\n"
      "{\"identity\": 7}\n"
      "{\"identity\": \"b.com\"} x\n"
      "c.com\n");
  ASSERT_EQ(targets.size(), 5u);
  EXPECT_THAT(targets[0].error, HasSubstr("invalid JSON at column"));
  EXPECT_THAT(targets[1].error, HasSubstr("identity: missing"));
  EXPECT_EQ(targets[2].error, "identity=(number): must be a string");
  EXPECT_THAT(targets[3].error, HasSubstr("one object per line"));
  EXPECT_EQ(targets[4].identity, "c.com");
  EXPECT_EQ(targets[4].error, "");
}

TEST(TargetReaderTest, ALineTooLongIsRefusedWithoutBeingKept) {
  std::vector<InputTarget> targets =
      ReadAll(std::string(kMaxNdjsonLineBytes + 10, 'a') + "\nb.com\n");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_THAT(targets[0].error, HasSubstr("longer than"));
  EXPECT_EQ(targets[0].identity, "");
  EXPECT_EQ(targets[1].line, 2u);
  EXPECT_EQ(targets[1].identity, "b.com");
}

TEST(TargetReaderTest, TheCopyHoldsTheInputAsRead) {
  const std::string text = "a.com\n# note\n{\"identity\":\"b.com\"}\n";
  Pipe pipe;
  pipe.Write(text);
  pipe.CloseWriter();
  FILE* spool = std::tmpfile();
  ASSERT_NE(spool, nullptr);
  TargetReader first(pipe.reader(), ::fileno(spool));
  EXPECT_EQ(ReadAll(first).size(), 2u);

  ASSERT_EQ(::lseek(::fileno(spool), 0, SEEK_SET), 0);
  TargetReader again(::fileno(spool));
  std::vector<InputTarget> targets = ReadAll(again);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[1].line, 3u);
  EXPECT_EQ(targets[1].identity, "b.com");
  std::fclose(spool);
}

TEST(TargetReaderTest, ReadyTellsWhetherReadingWouldWait) {
  Pipe pipe;
  TargetReader reader(pipe.reader());
  EXPECT_FALSE(reader.Ready(std::chrono::milliseconds(0)));
  pipe.Write("a.com\nb.c");
  EXPECT_TRUE(reader.Ready(std::chrono::milliseconds(0)));
  InputTarget target;
  ASSERT_TRUE(reader.Next(&target));
  EXPECT_EQ(target.identity, "a.com");
  // Only part of the next line is there, and nothing more is coming yet.
  EXPECT_FALSE(reader.Ready(std::chrono::milliseconds(0)));
  pipe.Write("om\n");
  EXPECT_TRUE(reader.Ready(std::chrono::milliseconds(0)));
  ASSERT_TRUE(reader.Next(&target));
  EXPECT_EQ(target.identity, "b.com");
  pipe.CloseWriter();
  EXPECT_TRUE(reader.Ready(std::chrono::milliseconds(0)));
  EXPECT_FALSE(reader.Next(&target));
}

}  // namespace
}  // namespace xmppfed::cli
