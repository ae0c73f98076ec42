#include "tests/bench/tls_floor.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/edge/tls/tls_context.h"

namespace xmppfed::bench {
namespace {

std::string OpenSslError() {
  char text[256];
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  ERR_clear_error();
  return text;
}

double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
}

// A loopback listener on a free port; closed with the object.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(fd_, 512) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) !=
            0) {
      error_ = std::strerror(errno);
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }
  uint16_t port() const { return port_; }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::string error_;
};

void SetNoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// One server side connection, from accept to close; "" when the client's
// certificate verified and both close_notify alerts passed.
std::string ServeOne(SSL_CTX* ctx, int listener) {
  int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return absl::StrCat("accept: ", std::strerror(errno));
  SetNoDelay(fd);
  SSL* ssl = SSL_new(ctx);
  std::string failure;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    failure = "handshake: " + OpenSslError();
  } else if (SSL_get0_peer_certificate(ssl) == nullptr ||
             SSL_get_verify_result(ssl) != X509_V_OK) {
    failure = "the client's certificate did not verify";
  } else {
    char byte;
    if (SSL_read(ssl, &byte, 1) > 0 ||
        SSL_get_error(ssl, 0) != SSL_ERROR_ZERO_RETURN) {
      failure = "no close_notify from the client";
    } else {
      SSL_shutdown(ssl);
    }
  }
  SSL_free(ssl);
  ::close(fd);
  return failure;
}

// One client connection: handshake as partner.test, close_notify, wait
// for the server's, close.
std::string ConnectOne(const ClientTls& tls, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::StrCat("socket: ", std::strerror(errno));
  SetNoDelay(fd);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string failure;
  SSL* ssl = nullptr;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    failure = absl::StrCat("connect: ", std::strerror(errno));
  } else {
    ssl = SSL_new(tls.ctx());
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, kServerDomain);
    SSL_set1_host(ssl, kServerDomain);
    if (SSL_connect(ssl) != 1) {
      failure = "client handshake: " + OpenSslError();
    } else if (SSL_shutdown(ssl) == 0) {
      char byte;
      SSL_read(ssl, &byte, 1);  // the server's close_notify, or EOF
    }
  }
  if (ssl != nullptr) SSL_free(ssl);
  ::close(fd);
  return failure;
}

}  // namespace

absl::StatusOr<TlsFloor> MeasureTlsFloor(const ClientTls& client,
                                         const testing::Certificates& server,
                                         const std::string& client_ca,
                                         int count, int concurrency) {
  absl::StatusOr<std::unique_ptr<edge::tls::TlsContexts>> contexts =
      edge::tls::TlsContexts::Create({{server.cert, server.key}}, client_ca);
  if (!contexts.ok()) return contexts.status();
  Listener listener;
  if (!listener.error().empty()) {
    return absl::InternalError("listen: " + listener.error());
  }

  std::string server_failure;
  double server_cpu = 0;
  std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
  std::thread server_thread([&] {
    double before = ThreadCpuSeconds();
    for (int i = 0; i < count && server_failure.empty(); ++i) {
      server_failure = ServeOne((*contexts)->server(), listener.fd());
      if (!server_failure.empty()) {
        server_failure = absl::StrCat("connection ", i, ": ", server_failure);
      }
    }
    server_cpu = ThreadCpuSeconds() - before;
    // Clients still queued would wait for a handshake that never comes:
    // shutting the listener down resets them.
    if (!server_failure.empty()) ::shutdown(listener.fd(), SHUT_RDWR);
  });

  std::atomic<int> next{0};
  std::mutex failure_mutex;
  std::string client_failure;
  std::vector<std::thread> clients;
  for (int t = 0; t < concurrency; ++t) {
    clients.emplace_back([&] {
      while (next.fetch_add(1) < count) {
        if (std::string why = ConnectOne(client, listener.port());
            !why.empty()) {
          std::lock_guard lock(failure_mutex);
          if (client_failure.empty()) client_failure = why;
        }
      }
    });
  }
  for (std::thread& thread : clients) thread.join();
  // A client that failed leaves the server waiting in accept for the
  // connections it did not make; shutting the listener down wakes it.
  if (!client_failure.empty()) ::shutdown(listener.fd(), SHUT_RDWR);
  server_thread.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!server_failure.empty()) return absl::InternalError(server_failure);
  if (!client_failure.empty()) return absl::InternalError(client_failure);
  return TlsFloor{server_cpu / count * 1000, count / seconds};
}

}  // namespace xmppfed::bench
