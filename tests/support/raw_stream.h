// A scripted XMPP peer for tests that must misbehave on purpose (forged
// keys, spoofed addresses, oversized stanzas, DOCTYPEs): plain blocking
// TCP on loopback, bytes written exactly as the test gives them, and reads
// that wait for an expected piece of text.
#ifndef XMPPFED_TESTS_SUPPORT_RAW_STREAM_H_
#define XMPPFED_TESTS_SUPPORT_RAW_STREAM_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace xmppfed::testing {

class RawStream {
 public:
  // Connects to 127.0.0.1:`port`; check connected().
  explicit RawStream(uint16_t port);
  // Wraps an accepted socket.
  static std::unique_ptr<RawStream> Adopt(int fd);
  ~RawStream();

  bool connected() const { return fd_ >= 0; }
  bool Send(const std::string& bytes);
  // Reads until everything received so far contains `text` (true) or the
  // peer closes or `timeout` passes (false). received() has it all.
  bool ReadUntil(const std::string& text,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads until the peer closes the connection; true when it did in time.
  bool ReadUntilClosed(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  const std::string& received() const { return received_; }
  bool peer_closed() const { return peer_closed_; }

 private:
  RawStream() = default;
  // One read of what is available, waiting at most `timeout`.
  void ReadSome(std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::string received_;
  bool peer_closed_ = false;
};

// The authoritative server of a made-up partner domain, for dialback tests:
// listens on loopback, and for every connection reads the stream header,
// answers with a header and a dialback feature, and answers each
// <db:verify/> with type `answer` ("valid" or "invalid").
class ScriptedAuthoritativeServer {
 public:
  ScriptedAuthoritativeServer(std::string domain, std::string answer);
  ~ScriptedAuthoritativeServer();
  uint16_t port() const { return port_; }
  int verifications() const { return verifications_; }

 private:
  void Serve();

  std::string domain_;
  std::string answer_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> verifications_{0};
};

// "<?xml version='1.0'?><stream:stream xmlns='jabber:server' ... >" from
// `from` to `to`, declaring the dialback prefix.
std::string ServerStreamHeader(const std::string& from, const std::string& to);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_RAW_STREAM_H_
