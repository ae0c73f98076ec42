// A real etcd cluster for one test (or one test suite): members on loopback
// ports picked free, data in a directory the caller owns, short heartbeat
// and election timeouts so that a lost leader is replaced in well under a
// second. Every member is killed with the object (and, like every child of
// tests/support, when the thread that started it ends).
#ifndef XMPPFED_TESTS_SUPPORT_ETCD_CLUSTER_H_
#define XMPPFED_TESTS_SUPPORT_ETCD_CLUSTER_H_

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/certificates.h"
#include "tests/support/subprocess.h"

namespace xmppfed::testing {

struct EtcdClusterOptions {
  int members = 3;
  // Client TLS when `tls.cert` is set: every member serves https with this
  // certificate and key (signed by `tls.ca_cert`); with `client_cert_auth`
  // it also demands client certificates signed by that CA. etcdctl uses
  // the same certificate as its client certificate.
  Certificates tls;
  bool client_cert_auth = false;
  // More etcd options for every member, e.g. {"--auth-token-ttl", "1"}.
  std::vector<std::string> extra_args;
};

class EtcdCluster {
 public:
  // Members keep their data in DIR/etcd-N and log to DIR/etcd-N.log.
  explicit EtcdCluster(std::string dir, EtcdClusterOptions options = {});
  ~EtcdCluster();

  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  // Starts every member and waits until the cluster has a leader and
  // answers a write (with the members' logs when it does not in time).
  ::testing::AssertionResult Start();

  // "127.0.0.1:P1,127.0.0.1:P2,..." (client ports).
  std::string Endpoints() const;
  std::string Endpoint(int member) const;
  // "etcd://" + Endpoints() + "/" + prefix: a store URI.
  std::string Uri(std::string_view prefix) const;
  int size() const { return static_cast<int>(members_.size()); }

  // SIGKILL to one member (no clean shutdown, like a crash).
  void Kill(int member);
  void KillAll();
  // Starts a killed member again on its data; waits until it serves.
  ::testing::AssertionResult Restart(int member);
  // Starts every killed member again; waits until the cluster has a leader.
  ::testing::AssertionResult RestartAll();
  bool running(int member) const { return members_[member].pid > 0; }

  // The index of the member that is leader now, or -1 (asked to every
  // running member with etcdctl).
  int Leader() const;
  // Waits until some running member other than `not_this` leads; its index.
  int WaitForLeader(std::chrono::milliseconds timeout, int not_this = -1) const;

  // etcdctl against the running members (ETCDCTL_API=3, TLS flags added).
  ProcessResult Etcdctl(const std::vector<std::string>& args) const;

  std::string Logs() const;

 private:
  struct Member {
    std::string name;
    uint16_t client_port = 0;
    uint16_t peer_port = 0;
    pid_t pid = -1;
  };

  std::vector<std::string> MemberArgs(int member) const;
  bool Launch(int member, std::string* error);
  std::string Scheme() const;
  bool Serves(const std::string& endpoints) const;

  std::string dir_;
  EtcdClusterOptions options_;
  std::vector<Member> members_;
};

// The etcd and etcdctl binaries ("" when not installed).
const std::string& EtcdBinary();
const std::string& EtcdctlBinary();

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_ETCD_CLUSTER_H_
