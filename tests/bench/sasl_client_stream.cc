#include "tests/bench/sasl_client_stream.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "tests/support/loopback.h"

namespace xmppfed::bench {
namespace {

std::string StreamHeader() {
  return std::string(
             "<?xml version='1.0'?><stream:stream "
             "xmlns='jabber:server' "
             "xmlns:stream='http://etherx.jabber.org/streams' from='") +
         kPartnerDomain + "' to='" + kServerDomain + "' version='1.0'>";
}

}  // namespace

ClientTls::ClientTls(const testing::Certificates& partner,
                     const std::string& server_ca) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr ||
      SSL_CTX_use_certificate_chain_file(ctx_, partner.cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx_, partner.key.c_str(),
                                  SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_load_verify_locations(ctx_, server_ca.c_str(), nullptr) != 1) {
    throw std::runtime_error("cannot set up the client's TLS context");
  }
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET);
}

ClientTls::~ClientTls() { SSL_CTX_free(ctx_); }

SaslClientStream::~SaslClientStream() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

std::string SaslClientStream::Run() {
  auto start = std::chrono::steady_clock::now();
  fd_ = testing::ConnectLoopback(port_);
  if (fd_ < 0) return "connect: " + std::string(std::strerror(errno));
  if (!direct_tls_) {
    if (!Send(StreamHeader())) return "send header";
    if (!ReadFeatures()) return "no features before STARTTLS: " + buffer_;
    if (buffer_.find("starttls") == std::string::npos) {
      return "STARTTLS not offered: " + buffer_;
    }
    if (!Send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")) {
      return "send starttls";
    }
    buffer_.clear();
    if (!ReadUntil({"<proceed"})) return "no <proceed/>: " + buffer_;
  }
  if (std::string why = Handshake(); !why.empty()) return why;

  buffer_.clear();
  if (!Send(StreamHeader())) return "send header after TLS";
  if (!ReadFeatures()) return "no features after TLS: " + buffer_;
  if (direct_tls_ && buffer_.find("starttls") != std::string::npos) {
    return "STARTTLS offered over direct TLS: " + buffer_;
  }
  if (buffer_.find(">EXTERNAL<") == std::string::npos) {
    return "EXTERNAL not offered: " + buffer_;
  }
  buffer_.clear();
  if (!Send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
            "mechanism='EXTERNAL'>" +
            absl::Base64Escape(kPartnerDomain) + "</auth>")) {
    return "send auth";
  }
  if (!ReadUntil({"<success"}) ||
      buffer_.find("<success") == std::string::npos) {
    return "no <success/>: " + buffer_;
  }
  buffer_.clear();
  if (!Send(StreamHeader())) return "send header after SASL";
  if (!ReadFeatures()) return "no features after SASL: " + buffer_;
  setup_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  // Established. Close as a server would.
  buffer_.clear();
  if (!Send("</stream:stream>")) return "send close";
  ReadUntil({"</stream:stream>"});
  SSL_shutdown(ssl_);
  return "";
}

std::string SaslClientStream::Handshake() {
  ssl_ = SSL_new(tls_.ctx());
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, kServerDomain);
  SSL_set1_host(ssl_, kServerDomain);
  if (direct_tls_) {
    static constexpr unsigned char kAlpn[] = "\x0bxmpp-server";
    SSL_set_alpn_protos(ssl_, kAlpn, sizeof kAlpn - 1);
  }
  if (SSL_connect(ssl_) != 1) {
    char error[256];
    ERR_error_string_n(ERR_get_error(), error, sizeof error);
    return std::string("TLS handshake: ") + error;
  }
  return "";
}

bool SaslClientStream::Send(const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    ssize_t n;
    if (ssl_ != nullptr) {
      n = SSL_write(ssl_, text.data() + sent,
                    static_cast<int>(text.size() - sent));
    } else {
      n = ::send(fd_, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    }
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool SaslClientStream::ReadUntil(
    std::initializer_list<std::string_view> texts) {
  for (;;) {
    for (std::string_view text : texts) {
      if (buffer_.find(text) != std::string::npos) return true;
    }
    if (buffer_.find("stream:error") != std::string::npos ||
        buffer_.find("<failure") != std::string::npos) {
      return false;
    }
    if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, kIoTimeoutMs) <= 0) return false;
    }
    char chunk[4096];
    int n = ssl_ != nullptr
                ? SSL_read(ssl_, chunk, sizeof chunk)
                : static_cast<int>(::recv(fd_, chunk, sizeof chunk, 0));
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

bool SaslClientStream::ReadFeatures() {
  return ReadUntil({"</stream:features>", "<stream:features/>"});
}

std::string RunConcurrently(int count, int concurrency,
                            const std::function<std::string()>& one) {
  std::atomic<int> next{0};
  std::mutex failure_mutex;
  std::string failure;
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(1) < count) {
        if (std::string why = one(); !why.empty()) {
          std::lock_guard lock(failure_mutex);
          if (failure.empty()) failure = why;
          next.store(count);
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return failure;
}

std::string RunSaslStreams(const ClientTls& tls, uint16_t port, int count,
                           int concurrency, bool direct_tls,
                           std::vector<double>* setup_seconds) {
  std::mutex setup_mutex;
  return RunConcurrently(count, concurrency, [&]() -> std::string {
    SaslClientStream stream(tls, port, direct_tls);
    if (std::string why = stream.Run(); !why.empty()) return why;
    if (setup_seconds != nullptr) {
      std::lock_guard lock(setup_mutex);
      setup_seconds->push_back(stream.setup_seconds());
    }
    return "";
  });
}

}  // namespace xmppfed::bench
