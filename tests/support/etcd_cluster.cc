#include "tests/support/etcd_cluster.h"

#include <signal.h>

#include <set>
#include <sstream>
#include <thread>

#include "tests/support/find_program.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Heartbeat and election timeout (ms): a follower notices a dead leader
// after ~250 ms and a new one is elected within about a second, instead of
// etcd's default of several seconds. Loopback round trips are well below.
constexpr char kHeartbeatMs[] = "25";
constexpr char kElectionMs[] = "250";

std::chrono::milliseconds ReadyTimeout() {
#if defined(__SANITIZE_ADDRESS__)
  return std::chrono::seconds(30);
#else
  return std::chrono::seconds(15);
#endif
}

}  // namespace

const std::string& EtcdBinary() {
  static const std::string* const path = new std::string(FindProgram("etcd"));
  return *path;
}

const std::string& EtcdctlBinary() {
  static const std::string* const path =
      new std::string(FindProgram("etcdctl"));
  return *path;
}

EtcdCluster::EtcdCluster(std::string dir, EtcdClusterOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  std::set<uint16_t> taken;
  auto fresh_port = [&] {
    uint16_t port;
    do {
      port = ClosedLoopbackPort();
    } while (!taken.insert(port).second);
    return port;
  };
  for (int i = 0; i < options_.members; ++i) {
    Member member;
    member.name = "member" + std::to_string(i);
    member.client_port = fresh_port();
    member.peer_port = fresh_port();
    members_.push_back(member);
  }
}

EtcdCluster::~EtcdCluster() { KillAll(); }

std::string EtcdCluster::Scheme() const {
  return options_.tls.cert.empty() ? "http://" : "https://";
}

std::string EtcdCluster::Endpoint(int member) const {
  return "127.0.0.1:" + std::to_string(members_[member].client_port);
}

std::string EtcdCluster::Endpoints() const {
  std::string endpoints;
  for (int i = 0; i < size(); ++i) {
    if (i > 0) endpoints += ",";
    endpoints += Endpoint(i);
  }
  return endpoints;
}

std::string EtcdCluster::Uri(std::string_view prefix) const {
  return "etcd://" + Endpoints() + "/" + std::string(prefix);
}

std::vector<std::string> EtcdCluster::MemberArgs(int index) const {
  const Member& member = members_[index];
  std::string initial_cluster;
  for (int i = 0; i < size(); ++i) {
    if (i > 0) initial_cluster += ",";
    initial_cluster += members_[i].name + "=http://127.0.0.1:" +
                       std::to_string(members_[i].peer_port);
  }
  std::string client_url = Scheme() + Endpoint(index);
  std::string peer_url = "http://127.0.0.1:" + std::to_string(member.peer_port);
  std::vector<std::string> args = {"--name",
                                   member.name,
                                   "--data-dir",
                                   dir_ + "/etcd-" + std::to_string(index),
                                   "--listen-client-urls",
                                   client_url,
                                   "--advertise-client-urls",
                                   client_url,
                                   "--listen-peer-urls",
                                   peer_url,
                                   "--initial-advertise-peer-urls",
                                   peer_url,
                                   "--initial-cluster",
                                   initial_cluster,
                                   "--initial-cluster-state",
                                   "new",
                                   "--initial-cluster-token",
                                   "xmppfed-test",
                                   "--heartbeat-interval",
                                   kHeartbeatMs,
                                   "--election-timeout",
                                   kElectionMs,
                                   "--log-level",
                                   "warn",
                                   "--logger",
                                   "zap"};
  if (!options_.tls.cert.empty()) {
    args.insert(args.end(), {"--cert-file", options_.tls.cert, "--key-file",
                             options_.tls.key});
    if (options_.client_cert_auth) {
      args.insert(args.end(), {"--trusted-ca-file", options_.tls.ca_cert,
                               "--client-cert-auth"});
    }
  }
  args.insert(args.end(), options_.extra_args.begin(),
              options_.extra_args.end());
  return args;
}

bool EtcdCluster::Launch(int index, std::string* error) {
  if (EtcdBinary().empty()) {
    *error = "etcd is not installed (Debian package etcd-server)";
    return false;
  }
  std::string log = dir_ + "/etcd-" + std::to_string(index) + ".log";
  pid_t pid = StartBackground(EtcdBinary(), MemberArgs(index), log, log,
                              RunOptions(), error);
  if (pid <= 0) return false;
  members_[index].pid = pid;
  return true;
}

ProcessResult EtcdCluster::Etcdctl(const std::vector<std::string>& args) const {
  std::string endpoints;
  for (int i = 0; i < size(); ++i) {
    if (!running(i)) continue;
    if (!endpoints.empty()) endpoints += ",";
    endpoints += Endpoint(i);
  }
  std::vector<std::string> full = {"--endpoints",       endpoints,
                                   "--dial-timeout",    "1s",
                                   "--command-timeout", "3s"};
  if (!options_.tls.cert.empty()) {
    full.insert(full.end(), {"--cacert", options_.tls.ca_cert, "--cert",
                             options_.tls.cert, "--key", options_.tls.key});
  }
  full.insert(full.end(), args.begin(), args.end());
  RunOptions run;
  run.env = {{"ETCDCTL_API", "3"}};
  run.timeout = std::chrono::seconds(20);
  return RunProcess(EtcdctlBinary(), full, run);
}

bool EtcdCluster::Serves(const std::string& endpoints) const {
  std::vector<std::string> args = {"--endpoints", endpoints, "endpoint",
                                   "health"};
  return Etcdctl(args).status.ExitCodeOrMinusOne() == 0;
}

::testing::AssertionResult EtcdCluster::Start() {
  for (int i = 0; i < size(); ++i) {
    std::string error;
    if (!Launch(i, &error)) {
      return ::testing::AssertionFailure() << "cannot start etcd: " << error;
    }
  }
  Clock::time_point deadline = Clock::now() + ReadyTimeout();
  while (Clock::now() < deadline) {
    for (int i = 0; i < size(); ++i) {
      if (PollExit(members_[i].pid).has_value()) {
        members_[i].pid = -1;
        return ::testing::AssertionFailure()
               << "etcd member " << i << " exited:\n"
               << Logs();
      }
    }
    if (Serves(Endpoints())) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ::testing::AssertionFailure()
         << "the etcd cluster did not become healthy:\n"
         << Logs();
}

void EtcdCluster::Kill(int member) {
  Member& m = members_[member];
  if (m.pid <= 0) return;
  ::kill(m.pid, SIGKILL);
  WaitForExit(m.pid, std::chrono::seconds(10));
  m.pid = -1;
}

void EtcdCluster::KillAll() {
  for (int i = 0; i < size(); ++i) Kill(i);
}

::testing::AssertionResult EtcdCluster::Restart(int member) {
  if (running(member)) return ::testing::AssertionSuccess();
  std::string error;
  if (!Launch(member, &error)) {
    return ::testing::AssertionFailure() << "cannot start etcd: " << error;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult EtcdCluster::RestartAll() {
  for (int i = 0; i < size(); ++i) {
    if (::testing::AssertionResult started = Restart(i); !started) {
      return started;
    }
  }
  Clock::time_point deadline = Clock::now() + ReadyTimeout();
  while (Clock::now() < deadline) {
    if (Serves(Endpoints())) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ::testing::AssertionFailure()
         << "the etcd cluster did not come back:\n"
         << Logs();
}

int EtcdCluster::Leader() const {
  // Simple output: "ENDPOINT, ID, VERSION, DB SIZE, IS LEADER, ..." per line.
  ProcessResult status = Etcdctl({"endpoint", "status"});
  std::istringstream lines(status.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    std::string field;
    while (std::getline(parts, field, ',')) {
      size_t start = field.find_first_not_of(' ');
      fields.push_back(start == std::string::npos ? "" : field.substr(start));
    }
    if (fields.size() < 5 || fields[4] != "true") continue;
    for (int i = 0; i < size(); ++i) {
      if (fields[0] == Endpoint(i) && running(i)) return i;
    }
  }
  return -1;
}

int EtcdCluster::WaitForLeader(std::chrono::milliseconds timeout,
                               int not_this) const {
  Clock::time_point deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int leader = Leader();
    if (leader >= 0 && leader != not_this) return leader;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

std::string EtcdCluster::Logs() const {
  std::string logs;
  for (int i = 0; i < size(); ++i) {
    logs += "--- etcd member " + std::to_string(i) + " ---\n" +
            ReadFileOrEmpty(dir_ + "/etcd-" + std::to_string(i) + ".log");
  }
  return logs;
}

}  // namespace xmppfed::testing
