// A tiny authoritative DNS server for tests: UDP on 127.0.0.1 (an ephemeral
// port unless told), answering from a table the test fills, on its own thread.
//
// What it answers (RFC 1035 wire format, built by hand):
//  * a name with records of the asked type: NOERROR, AA, those records
//    (TTL 60) in the order they were added;
//  * a name that has records, but none of that type: NOERROR, no answers
//    (NODATA);
//  * any other name: NXDOMAIN;
//  * a name told to Fail: SERVFAIL or REFUSED without records, or nothing
//    at all (that one name times out), whatever it has.
// Names match case-insensitively, with or without the trailing dot. Only
// standard queries with one question are answered; anything else, and
// everything while silent, is dropped unanswered (a server that times out).
// No TCP, no truncation, no compression beyond pointing each answer's owner
// name back at the question: the answers tests need stay far below 512 bytes.
#ifndef XMPPFED_TESTS_SUPPORT_FAKE_DNS_SERVER_H_
#define XMPPFED_TESTS_SUPPORT_FAKE_DNS_SERVER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xmppfed::testing {

class FakeDnsServer {
 public:
  // Binds 127.0.0.1:`port` (0: an ephemeral port; 53 inside a private
  // network namespace, tests/support/namespace.h) and starts answering;
  // check ok().
  explicit FakeDnsServer(uint16_t port = 0);
  ~FakeDnsServer();

  FakeDnsServer(const FakeDnsServer&) = delete;
  FakeDnsServer& operator=(const FakeDnsServer&) = delete;

  bool ok() const { return fd_ >= 0; }
  uint16_t port() const { return port_; }
  // "127.0.0.1:<port>", the form ResolverOptions::servers takes.
  std::string address() const;

  // The table. Any thread, at any time. `target` "." is the root.
  void AddSrv(const std::string& name, uint16_t priority, uint16_t weight,
              uint16_t port, const std::string& target);
  void AddA(const std::string& name, const std::string& ipv4);
  void AddAaaa(const std::string& name, const std::string& ipv6);
  // While silent, every query is received (and counted) but not answered.
  void SetSilent(bool silent) { silent_.store(silent); }

  enum class Failure { kServFail, kRefused, kNoAnswer };
  // From now on every query for `name` fails this way.
  void Fail(const std::string& name, Failure how);

  // Every question received so far, as "<lower-case name> <TYPE>"
  // ("_xmpp-server._tcp.a.example SRV"), in arrival order.
  std::vector<std::string> questions() const;

 private:
  struct Record {
    uint16_t type;
    std::string rdata;  // Wire form.
  };

  void Add(const std::string& name, Record record);
  void Serve();
  // The reply to `query`, or "" to send none.
  std::string Answer(const std::string& query);

  int fd_ = -1;
  int stop_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> silent_{false};
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Record>> records_;  // Guarded.
  std::map<std::string, Failure> failures_;             // Guarded.
  std::vector<std::string> questions_;                  // Guarded.
  std::thread thread_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_FAKE_DNS_SERVER_H_
