#include "tests/bench/edge_peers.h"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <sstream>

#include "agent/edge/component/handshake.h"
#include "tests/support/loopback.h"

namespace xmppfed::bench {
namespace {

using testing::ConnectLoopback;
using testing::ListenLoopback;

constexpr std::string_view kEndTag = "</message>";

// Adds the end tags in `data` to `count`; `tail` carries the last bytes of
// the previous chunk so that a tag split across reads is counted once.
void CountEndTags(std::string& tail, const char* data, size_t size,
                  std::atomic<uint64_t>& count) {
  tail.append(data, size);
  uint64_t found = 0;
  size_t at = 0;
  while ((at = tail.find(kEndTag, at)) != std::string::npos) {
    ++found;
    at += kEndTag.size();
  }
  size_t keep = std::min(tail.size(), kEndTag.size() - 1);
  tail.erase(0, tail.size() - keep);
  if (found != 0) count.fetch_add(found, std::memory_order_release);
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

SSL_CTX* ServerContext(const TlsFiles& files) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) !=
          1) {
    ERR_print_errors_fp(stderr);
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

SSL_CTX* ClientContext(const TlsFiles& files) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) != 1) {
    ERR_print_errors_fp(stderr);
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return ctx;
}

// A verified client handshake over `fd`; nullptr on failure.
SSL* ClientHandshake(SSL_CTX* ctx, int fd, const std::string& host) {
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, host.c_str());
  SSL_set1_host(ssl, host.c_str());
  if (SSL_connect(ssl) != 1 || SSL_get_verify_result(ssl) != X509_V_OK) {
    ERR_print_errors_fp(stderr);
    SSL_free(ssl);
    return nullptr;
  }
  return ssl;
}

}  // namespace

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

RawComponent::~RawComponent() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawComponent::Connect(uint16_t port, const std::string& domain,
                           const std::string& secret) {
  fd_ = ConnectLoopback(port);
  if (fd_ < 0) {
    error_ = "cannot connect to the component port";
    return false;
  }
  std::string received;
  if (!Send("<?xml version='1.0'?><stream:stream "
            "xmlns='jabber:component:accept' "
            "xmlns:stream='http://etherx.jabber.org/streams' to='" +
            domain + "'>") ||
      !ReadUntil(">", &received)) {
    error_ = "no stream header: " + received;
    return false;
  }
  // The header's id attribute, quoted either way.
  size_t at = received.find(" id=");
  if (at == std::string::npos) {
    error_ = "no stream id: " + received;
    return false;
  }
  char quote = received[at + 4];
  size_t end = received.find(quote, at + 5);
  std::string id = received.substr(at + 5, end - at - 5);
  if (!Send("<handshake>" + edge::component::HandshakeDigest(id, secret) +
            "</handshake>") ||
      !ReadUntil("<handshake/>", &received)) {
    error_ = "handshake refused: " + received;
    return false;
  }
  return true;
}

bool RawComponent::Send(std::string_view bytes) { return WriteAll(fd_, bytes); }

bool RawComponent::ReadUntil(std::string_view text, std::string* received) {
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
  while (received->find(text) == std::string::npos) {
    pollfd p{fd_, POLLIN, 0};
    int left =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                             deadline - Clock::now())
                             .count());
    if (left <= 0 || ::poll(&p, 1, left) <= 0) return false;
    char buffer[4096];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    received->append(buffer, static_cast<size_t>(n));
  }
  return true;
}

MessageCounter::MessageCounter(int fd) : fd_(fd), thread_([this] { Run(); }) {}

MessageCounter::~MessageCounter() {
  ::shutdown(fd_, SHUT_RD);
  thread_.join();
}

void MessageCounter::Run() {
  std::string tail;
  char buffer[65536];
  while (true) {
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    CountEndTags(tail, buffer, static_cast<size_t>(n), count_);
  }
  closed_ = true;
}

bool MessageCounter::WaitFor(uint64_t target,
                             std::chrono::milliseconds timeout) const {
  Clock::time_point deadline = Clock::now() + timeout;
  while (count() < target) {
    if (closed_ || Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

int RunBench(const char* name, int (*main)(int, char**), int argc,
             char** argv) {
  try {
    return main(argc, argv);
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "%s: %s\n", name, failure.what());
    return 1;
  }
}

pid_t FindProcess(const std::string& text) {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return -1;
  pid_t found = -1;
  while (dirent* entry = ::readdir(proc)) {
    pid_t pid = static_cast<pid_t>(std::atol(entry->d_name));
    if (pid <= 0 || pid == ::getpid()) continue;
    std::ifstream file("/proc/" + std::string(entry->d_name) + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(file)),
                        std::istreambuf_iterator<char>());
    if (cmdline.find(text) != std::string::npos) {
      found = pid;
      break;
    }
  }
  ::closedir(proc);
  return found;
}

long RaiseFileLimit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<long>(limit.rlim_cur);
}

double TcpConnectsPerSecond(std::chrono::milliseconds duration) {
  uint16_t port = 0;
  int listener = ListenLoopback(&port);
  if (listener < 0) return 0;
  std::thread server([listener] {
    while (true) {
      int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      ::close(fd);
    }
  });
  uint64_t done = 0;
  Clock::time_point start = Clock::now();
  while (Clock::now() - start < duration) {
    int fd = ConnectLoopback(port);
    if (fd < 0) break;
    char byte;
    (void)::recv(fd, &byte, 1, 0);  // EOF: the server accepted and closed
    ::close(fd);
    ++done;
  }
  double seconds = SecondsSince(start);
  ::shutdown(listener, SHUT_RDWR);
  server.join();
  ::close(listener);
  return static_cast<double>(done) / seconds;
}

double TlsHandshakesPerSecond(const std::string& cert, const std::string& key,
                              const std::string& ca, const std::string& host,
                              std::chrono::milliseconds duration) {
  TlsFiles files{cert, key, ca, host};
  SSL_CTX* server_ctx = ServerContext(files);
  SSL_CTX* client_ctx = ClientContext(files);
  uint16_t port = 0;
  int listener = ListenLoopback(&port);
  if (server_ctx == nullptr || client_ctx == nullptr || listener < 0) return 0;
  std::thread server([listener, server_ctx] {
    while (true) {
      int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      SSL* ssl = SSL_new(server_ctx);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) SSL_shutdown(ssl);
      SSL_free(ssl);
      ::close(fd);
    }
  });
  uint64_t done = 0;
  Clock::time_point start = Clock::now();
  while (Clock::now() - start < duration) {
    int fd = ConnectLoopback(port);
    if (fd < 0) break;
    SSL* ssl = ClientHandshake(client_ctx, fd, host);
    if (ssl == nullptr) {
      ::close(fd);
      break;
    }
    char byte;
    while (SSL_read(ssl, &byte, 1) > 0) {
    }  // session tickets, then the server's close
    SSL_free(ssl);
    ::close(fd);
    ++done;
  }
  double seconds = SecondsSince(start);
  ::shutdown(listener, SHUT_RDWR);
  server.join();
  ::close(listener);
  SSL_CTX_free(server_ctx);
  SSL_CTX_free(client_ctx);
  return static_cast<double>(done) / seconds;
}

double StreamMessagesPerSecond(const std::string& batch,
                               uint64_t messages_per_batch, uint64_t rounds,
                               const TlsFiles& tls) {
  bool secure = !tls.cert.empty();
  SSL_CTX* server_ctx = secure ? ServerContext(tls) : nullptr;
  SSL_CTX* client_ctx = secure ? ClientContext(tls) : nullptr;
  if (secure && (server_ctx == nullptr || client_ctx == nullptr)) return 0;
  uint16_t port = 0;
  int listener = ListenLoopback(&port);
  if (listener < 0) return 0;
  const uint64_t total = messages_per_batch * rounds;
  std::atomic<uint64_t> count{0};
  Clock::time_point finished;
  std::thread reader([&] {
    int fd = ::accept(listener, nullptr, nullptr);
    SSL* ssl = nullptr;
    if (secure) {
      ssl = SSL_new(server_ctx);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        ::close(fd);
        return;
      }
    }
    std::string tail;
    char buffer[65536];
    while (count.load() < total) {
      int n = secure ? SSL_read(ssl, buffer, sizeof buffer)
                     : static_cast<int>(::recv(fd, buffer, sizeof buffer, 0));
      if (n <= 0) break;
      CountEndTags(tail, buffer, static_cast<size_t>(n), count);
    }
    finished = Clock::now();
    if (ssl != nullptr) SSL_free(ssl);
    ::close(fd);
  });
  int fd = ConnectLoopback(port);
  SSL* ssl =
      secure && fd >= 0 ? ClientHandshake(client_ctx, fd, tls.host) : nullptr;
  Clock::time_point start = Clock::now();
  for (uint64_t i = 0; i < rounds && fd >= 0; ++i) {
    bool ok = secure ? SSL_write(ssl, batch.data(),
                                 static_cast<int>(batch.size())) > 0
                     : WriteAll(fd, batch);
    if (!ok) break;
  }
  if (fd >= 0) ::shutdown(fd, SHUT_WR);
  reader.join();
  double seconds = std::chrono::duration<double>(finished - start).count();
  if (ssl != nullptr) SSL_free(ssl);
  if (fd >= 0) ::close(fd);
  ::close(listener);
  SSL_CTX_free(server_ctx);
  SSL_CTX_free(client_ctx);
  return count.load() == total ? static_cast<double>(total) / seconds : 0;
}

}  // namespace xmppfed::bench
