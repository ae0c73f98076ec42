// A scripted S2S peer over blocking OpenSSL on loopback, for the tests that
// send what a real server never sends: either end of one connection,
// plaintext until STARTTLS, then TLS with the peer's certificate.
#ifndef XMPPFED_TESTS_INTEGRATION_FEDERATION_TLS_PEER_H_
#define XMPPFED_TESTS_INTEGRATION_FEDERATION_TLS_PEER_H_

#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/certificates.h"
#include "tests/support/loopback.h"

namespace xmppfed::testing {

// One S2S connection to 127.0.0.1:`port`: plaintext until StartTls, then
// TLS presenting `cert`/`key` as the client certificate.
class TlsPeer {
 public:
  explicit TlsPeer(uint16_t port) : fd_(ConnectLoopback(port)) {}
  // The accepting end of a connection: the first one `listen_fd` gets.
  static std::unique_ptr<TlsPeer> Accept(int listen_fd) {
    std::unique_ptr<TlsPeer> peer(new TlsPeer());
    peer->fd_ = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    return peer;
  }
  ~TlsPeer() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }

  bool connected() const { return fd_ >= 0; }

  // The server side of STARTTLS, presenting `ours`.
  bool AcceptTls(const Certificates& ours) {
    return NewTls(TLS_server_method(), ours) && SSL_accept(ssl_) == 1;
  }

  bool StartTls(const Certificates& ours) {
    if (!NewTls(TLS_client_method(), ours)) return false;
    SSL_set_tlsext_host_name(ssl_, "partner.test");
    return SSL_connect(ssl_) == 1;
  }

  bool Send(const std::string& bytes) {
    if (ssl_ != nullptr) {
      return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
             static_cast<int>(bytes.size());
    }
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Reads until what arrived since the last StartTls or Clear contains
  // `text`, the peer closes, or 10 s pass.
  bool ReadUntil(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (received_.find(text) == std::string::npos && !closed_ &&
           std::chrono::steady_clock::now() < deadline) {
      if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) continue;
      }
      char buffer[16384];
      int n = ssl_ != nullptr
                  ? SSL_read(ssl_, buffer, sizeof buffer)
                  : static_cast<int>(::recv(fd_, buffer, sizeof buffer, 0));
      if (n <= 0) {
        closed_ = true;
      } else {
        received_.append(buffer, static_cast<size_t>(n));
      }
    }
    return received_.find(text) != std::string::npos;
  }

  void Clear() { received_.clear(); }
  const std::string& received() const { return received_; }

 private:
  TlsPeer() = default;
  // A TLS object over the connection, presenting `ours`; what was read in
  // plaintext is dropped.
  bool NewTls(const SSL_METHOD* method, const Certificates& ours) {
    ctx_ = SSL_CTX_new(method);
    if (SSL_CTX_use_certificate_chain_file(ctx_, ours.cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx_, ours.key.c_str(), SSL_FILETYPE_PEM) !=
            1) {
      return false;
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    received_.clear();
    return true;
  }

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string received_;
  bool closed_ = false;
};

// A stream header as a receiving server sends it, with the stream's id.
inline std::string ServerStreamHeaderWithId(const std::string& from,
                                            const std::string& to,
                                            const std::string& id) {
  return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
         "xmlns:stream='http://etherx.jabber.org/streams' "
         "xmlns:db='jabber:server:dialback' from='" +
         from + "' to='" + to + "' id='" + id + "' version='1.0'>";
}

// A scripted server on a free loopback port: `script` runs on a thread of
// its own with the first connection accepted. The destructor shuts the
// listening socket down and waits for the script.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(TlsPeer&)> script) {
    listen_fd_ = ListenLoopback(&port_, 4);
    thread_ = std::thread([this, script = std::move(script)] {
      std::unique_ptr<TlsPeer> peer = TlsPeer::Accept(listen_fd_);
      if (peer->connected()) script(*peer);
    });
  }
  ~ScriptedServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    Join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  // Waits for the script to end.
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

// The receiving server's STARTTLS (required), as `from`'s server with
// `certificates`, up to the initiating entity's header over TLS; false
// when the peer stops first.
inline bool AcceptStartTls(TlsPeer& peer, const Certificates& certificates,
                           const std::string& from, const std::string& to) {
  if (!peer.ReadUntil("version='1.0'>")) return false;
  peer.Send(ServerStreamHeaderWithId(from, to, "plain") +
            "<stream:features><starttls "
            "xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
            "</starttls></stream:features>");
  if (!peer.ReadUntil("<starttls")) return false;
  peer.Send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  return peer.AcceptTls(certificates) && peer.ReadUntil("version='1.0'>");
}

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_FEDERATION_TLS_PEER_H_
