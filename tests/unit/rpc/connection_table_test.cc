// ConnectionTable: a call's peer name "fd:N" leads to the caller recorded
// for connection N only while N is still that connection.
#include "agent/rpc/connection_table.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace xmppfed::rpc {
namespace {

access::Caller CallerNamed(std::string user, uid_t uid) {
  access::Caller caller;
  caller.user = std::move(user);
  caller.uid = uid;
  caller.role = v1::ROLE_VIEWER;
  return caller;
}

struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~Pair() { Close(); }
  void Close() {
    for (int& fd : fds) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
  }
  std::string Peer() const { return "fd:" + std::to_string(fds[0]); }
  int fds[2] = {-1, -1};
};

TEST(ConnectionTableTest, FindsTheCallerOfARecordedConnection) {
  ConnectionTable table;
  Pair pair;
  table.Add(pair.fds[0], CallerNamed("alice", 1001));
  std::optional<access::Caller> caller = table.CallerOf(pair.Peer());
  ASSERT_TRUE(caller.has_value());
  EXPECT_EQ(caller->user, "alice");
}

TEST(ConnectionTableTest, PeersThatAreNotRecordedConnectionsHaveNoCaller) {
  ConnectionTable table;
  Pair pair;
  table.Add(pair.fds[0], CallerNamed("alice", 1001));
  EXPECT_FALSE(table.CallerOf("fd:" + std::to_string(pair.fds[1])));
  EXPECT_FALSE(table.CallerOf("unix:/run/xmppfed/agent.sock"));
  EXPECT_FALSE(table.CallerOf("fd:"));
  EXPECT_FALSE(table.CallerOf("fd:-1"));
  EXPECT_FALSE(table.CallerOf("fd:12abc"));
}

TEST(ConnectionTableTest, ANumberReusedByAnotherSocketIsNotTheConnection) {
  ConnectionTable table;
  Pair first;
  int number = first.fds[0];
  table.Add(number, CallerNamed("admin", 0));
  first.Close();
  EXPECT_FALSE(table.CallerOf("fd:" + std::to_string(number)));
  // The lowest free number comes back for the next socket.
  Pair second;
  ASSERT_EQ(second.fds[0], number);
  EXPECT_FALSE(table.CallerOf(second.Peer()));
}

TEST(ConnectionTableTest, CountsOpenConnectionsPerUserAndForgetsClosedOnes) {
  ConnectionTable table;
  Pair a, b, c;
  table.Add(a.fds[0], CallerNamed("alice", 1001));
  table.Add(b.fds[0], CallerNamed("alice", 1001));
  table.Add(c.fds[0], CallerNamed("bob", 1002));
  EXPECT_EQ(table.OpenConnections(1001), 2u);
  EXPECT_EQ(table.OpenConnections(1002), 1u);
  a.Close();
  EXPECT_EQ(table.OpenConnections(1001), 1u);
  EXPECT_EQ(table.OpenConnections(4242), 0u);
}

}  // namespace
}  // namespace xmppfed::rpc
