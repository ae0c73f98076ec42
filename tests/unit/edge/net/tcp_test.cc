// Non-blocking TCP helpers over loopback: listening, accepting, connecting,
// peer addresses.
#include "agent/edge/net/tcp.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace xmppfed::edge::net {
namespace {

using ::testing::HasSubstr;

// Closes an fd with the object.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

bool IsNonBlockingAndCloseOnExec(int fd) {
  return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0 &&
         (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

// Waits for `events` on `fd`; false after 5 s.
bool WaitFor(int fd, short events) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, 5000) == 1;
}

// The local port of a connected or listening socket, 0 on failure.
uint16_t PortOf(int fd) {
  absl::StatusOr<uint16_t> port = LocalPort(fd);
  return port.ok() ? *port : 0;
}

TEST(TcpTest, ListenOnPortZeroPicksAFreePort) {
  absl::StatusOr<int> listener = ListenTcp("127.0.0.1", 0, 16);
  ASSERT_TRUE(listener.ok()) << listener.status();
  Fd closer(*listener);
  EXPECT_TRUE(IsNonBlockingAndCloseOnExec(*listener));
  absl::StatusOr<uint16_t> port = LocalPort(*listener);
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_NE(*port, 0);
}

TEST(TcpTest, ListenOnAPortInUseNamesTheAddress) {
  absl::StatusOr<int> first = ListenTcp("127.0.0.1", 0, 16);
  ASSERT_TRUE(first.ok()) << first.status();
  Fd closer(*first);
  uint16_t port = PortOf(*first);
  absl::StatusOr<int> second = ListenTcp("127.0.0.1", port, 16);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(),
              HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(port)));
}

TEST(TcpTest, HostThatIsNotAnIpLiteralIsInvalidArgument) {
  for (const char* host :
       {"localhost", "example.com", "127.0.0.1:5269", "[::1"}) {
    absl::StatusOr<int> listener = ListenTcp(host, 0, 16);
    EXPECT_EQ(listener.status().code(), absl::StatusCode::kInvalidArgument)
        << host;
    EXPECT_THAT(listener.status().message(), HasSubstr(host));
  }
  absl::StatusOr<int> connected = StartConnect("localhost", 5269);
  EXPECT_EQ(connected.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TcpTest, AcceptWithNoneWaitingIsUnavailable) {
  absl::StatusOr<int> listener = ListenTcp("127.0.0.1", 0, 16);
  ASSERT_TRUE(listener.ok()) << listener.status();
  Fd closer(*listener);
  EXPECT_EQ(AcceptConnection(*listener).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(TcpTest, ConnectAcceptAndPeerAddresses) {
  absl::StatusOr<int> listener = ListenTcp("127.0.0.1", 0, 16);
  ASSERT_TRUE(listener.ok()) << listener.status();
  Fd listen_closer(*listener);
  uint16_t port = PortOf(*listener);

  absl::StatusOr<int> client = StartConnect("127.0.0.1", port);
  ASSERT_TRUE(client.ok()) << client.status();
  Fd client_closer(*client);
  EXPECT_TRUE(IsNonBlockingAndCloseOnExec(*client));
  ASSERT_TRUE(WaitFor(*client, POLLOUT));
  EXPECT_TRUE(ConnectResult(*client).ok()) << ConnectResult(*client);

  ASSERT_TRUE(WaitFor(*listener, POLLIN));
  absl::StatusOr<int> accepted = AcceptConnection(*listener);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  Fd accepted_closer(*accepted);
  EXPECT_TRUE(IsNonBlockingAndCloseOnExec(*accepted));
  int nodelay = 0;
  socklen_t size = sizeof nodelay;
  ASSERT_EQ(::getsockopt(*accepted, IPPROTO_TCP, TCP_NODELAY, &nodelay, &size),
            0);
  EXPECT_NE(nodelay, 0);

  EXPECT_EQ(PeerAddress(*client), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(PeerAddress(*accepted),
            "127.0.0.1:" + std::to_string(PortOf(*client)));

  // Bytes flow both ways.
  ASSERT_EQ(::write(*client, "ping", 4), 4);
  ASSERT_TRUE(WaitFor(*accepted, POLLIN));
  char buffer[8] = {};
  EXPECT_EQ(::read(*accepted, buffer, sizeof buffer), 4);
  EXPECT_STREQ(buffer, "ping");
}

TEST(TcpTest, ConnectToAClosedPortIsRefused) {
  uint16_t port;
  {
    absl::StatusOr<int> listener = ListenTcp("127.0.0.1", 0, 16);
    ASSERT_TRUE(listener.ok()) << listener.status();
    Fd closer(*listener);
    port = PortOf(*listener);
  }
  absl::StatusOr<int> client = StartConnect("127.0.0.1", port);
  absl::Status result;
  if (client.ok()) {
    Fd closer(*client);
    ASSERT_TRUE(WaitFor(*client, POLLOUT));
    result = ConnectResult(*client);
  } else {
    result = client.status();  // refused at once: also allowed
  }
  EXPECT_EQ(result.code(), absl::StatusCode::kUnavailable) << result;
  EXPECT_THAT(result.message(), HasSubstr("refused"));
}

TEST(TcpTest, BracketedIpv6LoopbackListensAndPeersAreBracketed) {
  absl::StatusOr<int> listener = ListenTcp("[::1]", 0, 16);
  if (!listener.ok() &&
      listener.status().code() != absl::StatusCode::kInvalidArgument) {
    GTEST_SKIP() << "no IPv6 loopback here: " << listener.status();
  }
  ASSERT_TRUE(listener.ok()) << listener.status();
  Fd listen_closer(*listener);
  uint16_t port = PortOf(*listener);
  ASSERT_NE(port, 0);

  absl::StatusOr<int> client = StartConnect("::1", port);
  ASSERT_TRUE(client.ok()) << client.status();
  Fd client_closer(*client);
  ASSERT_TRUE(WaitFor(*client, POLLOUT));
  EXPECT_TRUE(ConnectResult(*client).ok());
  EXPECT_EQ(PeerAddress(*client), "[::1]:" + std::to_string(port));
  ASSERT_TRUE(WaitFor(*listener, POLLIN));
  absl::StatusOr<int> accepted = AcceptConnection(*listener);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  Fd accepted_closer(*accepted);
  EXPECT_EQ(PeerAddress(*accepted), "[::1]:" + std::to_string(PortOf(*client)));
}

TEST(TcpTest, DualStackListenerShowsIpv4ClientsAsIpv4) {
  absl::StatusOr<int> listener = ListenTcp("", 0, 16);  // "::"
  if (!listener.ok()) GTEST_SKIP() << "no IPv6 here: " << listener.status();
  Fd listen_closer(*listener);
  absl::StatusOr<int> client = StartConnect("127.0.0.1", PortOf(*listener));
  ASSERT_TRUE(client.ok()) << client.status();
  Fd client_closer(*client);
  ASSERT_TRUE(WaitFor(*client, POLLOUT));
  ASSERT_TRUE(ConnectResult(*client).ok());
  ASSERT_TRUE(WaitFor(*listener, POLLIN));
  absl::StatusOr<int> accepted = AcceptConnection(*listener);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  Fd accepted_closer(*accepted);
  EXPECT_EQ(PeerAddress(*accepted),
            "127.0.0.1:" + std::to_string(PortOf(*client)));
}

TEST(TcpTest, PeerAddressOfAnUnconnectedSocketIsEmpty) {
  absl::StatusOr<int> listener = ListenTcp("127.0.0.1", 0, 16);
  ASSERT_TRUE(listener.ok()) << listener.status();
  Fd closer(*listener);
  EXPECT_EQ(PeerAddress(*listener), "");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Fd a(fds[0]), b(fds[1]);
  EXPECT_EQ(PeerAddress(fds[0]), "");
  EXPECT_FALSE(LocalPort(fds[0]).ok());
}

}  // namespace
}  // namespace xmppfed::edge::net
