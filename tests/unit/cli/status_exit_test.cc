// gRPC status -> exit code and message (SPEC §5), in one table.
#include "cli/rpc/status_exit.h"

#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "cli/exit_codes.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {
namespace {

using ::testing::HasSubstr;

TEST(StatusExitTest, EveryGrpcCodeHasItsExitCode) {
  struct Case {
    grpc::StatusCode code;
    int exit;
  };
  const Case cases[] = {
      {grpc::StatusCode::OK, 0},
      {grpc::StatusCode::CANCELLED, 1},
      {grpc::StatusCode::UNKNOWN, 1},
      {grpc::StatusCode::INVALID_ARGUMENT, 1},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 1},
      {grpc::StatusCode::NOT_FOUND, 3},
      {grpc::StatusCode::ALREADY_EXISTS, 1},
      {grpc::StatusCode::PERMISSION_DENIED, 77},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 1},
      {grpc::StatusCode::FAILED_PRECONDITION, 1},
      {grpc::StatusCode::ABORTED, 1},
      {grpc::StatusCode::OUT_OF_RANGE, 1},
      {grpc::StatusCode::UNIMPLEMENTED, 1},
      {grpc::StatusCode::INTERNAL, 1},
      {grpc::StatusCode::UNAVAILABLE, 69},
      {grpc::StatusCode::DATA_LOSS, 1},
      {grpc::StatusCode::UNAUTHENTICATED, 1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ExitCodeFor(c.code), c.exit) << "code " << c.code;
  }
}

TEST(StatusExitTest, ExitCodeNumbersAreTheSpecs) {
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitRefused, 1);
  EXPECT_EQ(kExitUsage, 2);
  EXPECT_EQ(kExitNotFound, 3);
  EXPECT_EQ(kExitPartial, 4);
  EXPECT_EQ(kExitCancelled, 5);
  EXPECT_EQ(kExitUnreachable, 69);
  EXPECT_EQ(kExitPermissionDenied, 77);
}

TEST(StatusExitTest, RefusalNamesVerbIdentityAndTheAgentsMessage) {
  grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT,
                      "saslNegotiation=Required needs TLS; tlsNegotiation is "
                      "NotSupported");
  EXPECT_EQ(FailureMessage("set-partner", "fabrikam.com", status, "/s", true),
            "xmppfed: set-partner fabrikam.com: saslNegotiation=Required "
            "needs TLS; tlsNegotiation is NotSupported");
  EXPECT_EQ(FailureMessage("get-agent", "", status, "/s", true),
            "xmppfed: get-agent: saslNegotiation=Required needs TLS; "
            "tlsNegotiation is NotSupported");
}

TEST(StatusExitTest, ClashAddsTheOwnerFromTheErrorDetail) {
  v1::ErrorDetail detail;
  detail.set_field("additionalDomains");
  detail.set_value("b.com");
  detail.set_rule("a domain belongs to at most one partner");
  detail.set_owner("contoso.com");
  grpc::Status status(grpc::StatusCode::ALREADY_EXISTS,
                      "additionalDomains=b.com: already in use",
                      detail.SerializeAsString());
  EXPECT_THAT(FailureMessage("new-partner", "a.com", status, "/s", true),
              HasSubstr("already in use (owned by partner contoso.com)"));
  // Not repeated when the message names the owner already.
  grpc::Status named(grpc::StatusCode::ALREADY_EXISTS,
                     "b.com belongs to contoso.com",
                     detail.SerializeAsString());
  EXPECT_EQ(FailureMessage("new-partner", "a.com", named, "/s", true),
            "xmppfed: new-partner a.com: b.com belongs to contoso.com");
}

TEST(StatusExitTest, EmptyMessageFallsBackToTheCodeName) {
  EXPECT_EQ(
      FailureMessage("get-agent", "",
                     grpc::Status(grpc::StatusCode::INTERNAL, ""), "/s", true),
      "xmppfed: get-agent: internal error");
}

TEST(StatusExitTest, UnreachableNamesSocketAndHowToStartTheAgent) {
  grpc::Status status(grpc::StatusCode::UNAVAILABLE, "failed to connect");
  std::string message =
      FailureMessage("get-agent", "", status, "/nonexistent/agent.sock", false);
  EXPECT_EQ(message,
            "xmppfed: cannot reach xmppfed-agent at /nonexistent/agent.sock "
            "(no such socket). Start it with 'xmppfed-agent --socket "
            "/nonexistent/agent.sock' or 'systemctl start xmppfed-agent', or "
            "point --socket / XMPPFED_SOCKET at a running agent.");
}

TEST(StatusExitTest, UnavailableFromAnAnsweringAgentKeepsItsMessage) {
  grpc::Status status(grpc::StatusCode::UNAVAILABLE, "store: database locked");
  EXPECT_EQ(FailureMessage("get-partner", "", status, "/s", true),
            "xmppfed: get-partner: store: database locked");
}

TEST(StatusExitTest, UnreachableReasons) {
  EXPECT_EQ(UnreachableReason("/nonexistent/x.sock", ""), "no such socket");

  char file[] = "/tmp/xmppfed-cli-test-XXXXXX";
  int fd = ::mkstemp(file);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_EQ(UnreachableReason(file, ""), "not a socket");
  std::remove(file);

  std::string path = std::string(file) + ".sock";
  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address),
            0);
  EXPECT_EQ(UnreachableReason(path, "...: Connection refused"),
            "connection refused");
  EXPECT_EQ(UnreachableReason(path, "something else"), "something else");
  ::close(sock);
  std::remove(path.c_str());
}

// A bound Unix socket in a fresh directory, its group set to `gid`.
class BoundSocket {
 public:
  explicit BoundSocket(gid_t gid) {
    char dir[] = "/tmp/xmppfed-cli-test-XXXXXX";
    EXPECT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/agent.sock";
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof address.sun_path - 1);
    EXPECT_EQ(
        ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    chown_ok_ = ::chown(path_.c_str(), static_cast<uid_t>(-1), gid) == 0;
  }
  ~BoundSocket() {
    ::close(fd_);
    std::remove(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }
  bool chown_ok() const { return chown_ok_; }

 private:
  std::string dir_, path_;
  int fd_ = -1;
  bool chown_ok_ = false;
};

TEST(StatusExitTest, ARefusingSocketIs77AndNamesItsGroup) {
  BoundSocket socket(::getegid());
  ASSERT_TRUE(socket.chown_ok());
  const group* own = ::getgrgid(::getegid());
  ASSERT_NE(own, nullptr);
  grpc::Status status(grpc::StatusCode::UNAVAILABLE,
                      "failed to connect to all addresses; last error: "
                      "UNKNOWN: unix:/x: Permission denied");
  EXPECT_EQ(SocketGroup(socket.path()), own->gr_name);
  EXPECT_EQ(ExitCodeForFailure(status, socket.path(), false), 77);
  std::string message =
      FailureMessage("get-agent", "", status, socket.path(), false);
  EXPECT_THAT(message, HasSubstr("xmppfed: cannot use xmppfed-agent at " +
                                 socket.path() + ": permission denied."));
  EXPECT_THAT(message, HasSubstr(std::string("Only members of group ") +
                                 own->gr_name + " may use it"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("Start it")));
  // Other failures to connect keep 69 and the advice to start the agent.
  grpc::Status refused(grpc::StatusCode::UNAVAILABLE, "Connection refused");
  EXPECT_EQ(ExitCodeForFailure(refused, socket.path(), false), 69);
  // An agent that answered UNAVAILABLE itself is no refusing socket.
  EXPECT_EQ(ExitCodeForFailure(status, socket.path(), true), 69);
}

TEST(StatusExitTest, AGroupWithoutANameIsGivenByNumber) {
  if (::getgrgid(54329) != nullptr) GTEST_SKIP() << "gid 54329 has a name";
  BoundSocket socket(54329);
  if (!socket.chown_ok()) GTEST_SKIP() << "needs root to give a socket a group";
  EXPECT_EQ(SocketGroup(socket.path()), "gid 54329");
}

TEST(StatusExitTest, ASocketOutOfSightGivesTheGroupOfTheDirectoryAbove) {
  // As root every path can be looked at, so this uses a path whose file is
  // missing: the nearest existing directory answers.
  char dir[] = "/tmp/xmppfed-cli-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  struct stat info;
  ASSERT_EQ(::stat(dir, &info), 0);
  const group* owner = ::getgrgid(info.st_gid);
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(SocketGroup(std::string(dir) + "/sub/agent.sock"), owner->gr_name);
  ::rmdir(dir);
}

}  // namespace
}  // namespace xmppfed::cli
