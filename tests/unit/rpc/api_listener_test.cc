// ApiListener in-process, on a real Unix socket: its mode, and what happens
// when the process runs out of file descriptors (the reserve serves, then
// the loop backs off without spinning, and accepts again once descriptors
// are free). The process's descriptor limit is lowered for these tests
// (each TEST runs in a process of its own under ctest).
#include "agent/rpc/api_listener.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace xmppfed::rpc {
namespace {

using std::chrono::milliseconds;

// What the listener handed over, kept open until the end of the test.
class Admitted {
 public:
  ~Admitted() {
    for (int fd : kept_) ::close(fd);
  }
  ApiListener::Admit Callback(bool refuse_scarce = false) {
    return [this, refuse_scarce](int fd, bool scarce) {
      std::lock_guard<std::mutex> lock(mutex_);
      scarce_.push_back(scarce);
      changed_.notify_all();
      if (scarce && refuse_scarce) return false;
      kept_.push_back(fd);
      return true;
    };
  }
  // Waits until `count` connections were handed over; their scarce flags.
  std::vector<bool> WaitFor(size_t count, milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return scarce_.size() >= count; });
    return scarce_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bool> scarce_;
  std::vector<int> kept_;
};

int ClientSocket() { return ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0); }

bool Connect(int fd, const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  return ::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                   sizeof(address)) == 0;
}

// Lowers the descriptor limit and opens /dev/null until none is left; the
// destructor gives everything back.
class Exhaustion {
 public:
  Exhaustion() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = 256;
    ::setrlimit(RLIMIT_NOFILE, &low);
    while (true) {
      int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      fillers_.push_back(fd);
    }
  }
  ~Exhaustion() {
    Release();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  void Release() {
    for (int fd : fillers_) ::close(fd);
    fillers_.clear();
  }

 private:
  rlimit saved_{};
  std::vector<int> fillers_;
};

double CpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

TEST(ApiListenerTest, TheSocketIsGroupOnlyAndConnectionsAreHandedOver) {
  testing::TempDir dir("listener");
  std::string path = dir.File("agent.sock");
  Admitted admitted;
  absl::StatusOr<std::unique_ptr<ApiListener>> listener =
      ApiListener::Start(path, admitted.Callback());
  ASSERT_TRUE(listener.ok()) << listener.status();
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0660u);
  int client = ClientSocket();
  ASSERT_TRUE(Connect(client, path));
  EXPECT_EQ(admitted.WaitFor(1, milliseconds(5000)), std::vector<bool>{false});
  (*listener)->Stop();
  ::close(client);
}

TEST(ApiListenerTest, ATooLongPathIsRefusedWithItsLength) {
  std::string path = "/tmp/" + std::string(120, 'x');
  absl::StatusOr<std::unique_ptr<ApiListener>> listener =
      ApiListener::Start(path, [](int, bool) { return false; });
  ASSERT_FALSE(listener.ok());
  EXPECT_NE(listener.status().message().find("at most 107"), std::string::npos)
      << listener.status();
}

TEST(ApiListenerTest, OutOfDescriptorsTheReserveServesThenTheLoopBacksOff) {
  testing::TempDir dir("listener");
  std::string path = dir.File("agent.sock");
  Admitted admitted;
  ApiListener::Options options;
  options.reserve = 2;
  absl::StatusOr<std::unique_ptr<ApiListener>> listener =
      ApiListener::Start(path, admitted.Callback(), options);
  ASSERT_TRUE(listener.ok()) << listener.status();
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(ClientSocket());

  {
    Exhaustion exhaustion;
    for (int client : clients) ASSERT_TRUE(Connect(client, path));
    // The two reserve descriptors serve the first two.
    EXPECT_EQ(admitted.WaitFor(2, milliseconds(5000)),
              (std::vector<bool>{true, true}));
    // The third waits in the backlog, and the loop does not spin meanwhile.
    double cpu_before = CpuSeconds();
    std::this_thread::sleep_for(milliseconds(600));
    EXPECT_LT(CpuSeconds() - cpu_before, 0.2);
    EXPECT_EQ(admitted.WaitFor(3, milliseconds(0)).size(), 2u);
    exhaustion.Release();
    // Once descriptors are free it is accepted the ordinary way.
    EXPECT_EQ(admitted.WaitFor(3, milliseconds(5000)),
              (std::vector<bool>{true, true, false}));
  }
  (*listener)->Stop();
  for (int client : clients) ::close(client);
}

TEST(ApiListenerTest, ARefusedScarceConnectionIsClosedAndItsDescriptorReused) {
  testing::TempDir dir("listener");
  std::string path = dir.File("agent.sock");
  Admitted admitted;
  ApiListener::Options options;
  options.reserve = 1;
  absl::StatusOr<std::unique_ptr<ApiListener>> listener = ApiListener::Start(
      path, admitted.Callback(/*refuse_scarce=*/true), options);
  ASSERT_TRUE(listener.ok()) << listener.status();
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(ClientSocket());
  Exhaustion exhaustion;
  // One reserve descriptor, three connections: each is accepted on it,
  // refused, and the descriptor taken back for the next.
  for (int client : clients) ASSERT_TRUE(Connect(client, path));
  EXPECT_EQ(admitted.WaitFor(3, milliseconds(5000)),
            (std::vector<bool>{true, true, true}));
  for (int client : clients) {
    char byte;
    EXPECT_EQ(::read(client, &byte, 1), 0) << "the refused client sees EOF";
  }
  exhaustion.Release();
  (*listener)->Stop();
  for (int client : clients) ::close(client);
}

}  // namespace
}  // namespace xmppfed::rpc
