// The attacks of hostile_bench (issue 11), each on threads of its own from
// construction until destruction, against one agent on loopback. Every
// connection the agent closes is opened again at once, so an attack keeps
// its pressure for as long as it runs. The attacker connects from
// 127.0.0.2, the partner from 127.0.0.1.
#ifndef XMPPFED_TESTS_BENCH_HOSTILE_ATTACKS_H_
#define XMPPFED_TESTS_BENCH_HOSTILE_ATTACKS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace xmppfed::bench {

class HostileAttack {
 public:
  enum class Kind {
    // 400 connections to the S2S port that send nothing.
    kIdle,
    // 400 connections sending a stream header one byte at a time.
    kTrickle,
    // 50 streams whose header claims the real partner's domain, and then
    // nothing (they would take its per-partner slots).
    kClaim,
    // 8 senders of a stanza of 10,001 empty children (past the cap).
    kFlat,
    // 100 streams each holding a 36 KB partial stanza.
    kPartial,
    // One stream sending 3,000 forged <db:result/> for the partner's
    // domain, and 50 more streams with one each.
    kDialbackFlood,
    // 1,000 connections to the component port that send nothing.
    kComponent,
  };

  // `from` is the domain the attacker claims, `to` the agent's.
  HostileAttack(Kind kind, uint16_t s2s_port, uint16_t component_port,
                std::string from, std::string to);
  ~HostileAttack();
  HostileAttack(const HostileAttack&) = delete;
  HostileAttack& operator=(const HostileAttack&) = delete;

  // Bytes the attack sent so far.
  long bytes() const { return bytes_; }

 private:
  void Send(int fd, const std::string& bytes);
  // Keeps `count` connections to `port` open, each sent `opening` once
  // (all at once, or one byte per round when `trickle`).
  void Hold(uint16_t port, size_t count, const std::string& opening,
            bool trickle);
  // Sends `bytes` on a new connection, waits for the close, again.
  void Repeat(const std::string& bytes);

  Kind kind_;
  uint16_t s2s_port_;
  uint16_t component_port_;
  std::string from_;
  std::string to_;
  std::atomic<bool> stop_{false};
  std::atomic<long> bytes_{0};
  std::vector<std::thread> threads_;
};

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_HOSTILE_ATTACKS_H_
