#include "tests/support/raw_stream.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "tests/support/loopback.h"

namespace xmppfed::testing {

RawStream::RawStream(uint16_t port) : fd_(ConnectLoopback(port)) {}

std::unique_ptr<RawStream> RawStream::Adopt(int fd) {
  std::unique_ptr<RawStream> stream(new RawStream());
  stream->fd_ = fd;
  return stream;
}

RawStream::~RawStream() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawStream::Send(const std::string& bytes) {
  size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    ssize_t n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return sent == bytes.size();
}

void RawStream::ReadSome(std::chrono::milliseconds timeout) {
  pollfd ready{fd_, POLLIN, 0};
  if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return;
  char buffer[16384];
  ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n > 0) {
    received_.append(buffer, static_cast<size_t>(n));
  } else {
    peer_closed_ = true;
  }
}

bool RawStream::ReadUntil(const std::string& text,
                          std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fd_ >= 0 && received_.find(text) == std::string::npos &&
         !peer_closed_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    ReadSome(left);
  }
  return received_.find(text) != std::string::npos;
}

bool RawStream::ReadUntilClosed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fd_ >= 0 && !peer_closed_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    ReadSome(left);
  }
  return peer_closed_;
}

std::string ServerStreamHeader(const std::string& from, const std::string& to) {
  return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
         "xmlns:stream='http://etherx.jabber.org/streams' "
         "xmlns:db='jabber:server:dialback' version='1.0' from='" +
         from + "' to='" + to + "'>";
}

ScriptedAuthoritativeServer::ScriptedAuthoritativeServer(std::string domain,
                                                         std::string answer)
    : domain_(std::move(domain)), answer_(std::move(answer)) {
  listen_fd_ = ListenLoopback(&port_, 8);
  thread_ = std::thread([this] { Serve(); });
}

ScriptedAuthoritativeServer::~ScriptedAuthoritativeServer() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
}

void ScriptedAuthoritativeServer::Serve() {
  while (!stop_) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, 100) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::unique_ptr<RawStream> stream = RawStream::Adopt(fd);
    // Up to 5 s for `text`, in short reads so that the destructor need not
    // wait for a peer that never sends it.
    auto read_until = [&](const std::string& text) {
      for (int i = 0; i < 50 && !stop_; ++i) {
        if (stream->ReadUntil(text, std::chrono::milliseconds(100))) {
          return true;
        }
        if (stream->peer_closed()) return false;
      }
      return false;
    };
    if (!read_until(">")) continue;
    stream->Send(
        "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
        "xmlns:stream='http://etherx.jabber.org/streams' "
        "xmlns:db='jabber:server:dialback' version='1.0' id='scripted' "
        "from='" +
        domain_ +
        "'><stream:features><dialback xmlns='urn:xmpp:features:dialback'/>"
        "</stream:features>");
    if (!read_until("</db:verify>")) continue;
    const std::string& text = stream->received();
    auto attribute = [&](const std::string& name) {
      size_t start = text.find(name + "='", text.find("<db:verify"));
      if (start == std::string::npos) {
        start = text.find(name + "=\"", text.find("<db:verify"));
      }
      if (start == std::string::npos) return std::string();
      start += name.size() + 2;
      return text.substr(start, text.find_first_of("'\"", start) - start);
    };
    ++verifications_;
    stream->Send("<db:verify from='" + attribute("to") + "' to='" +
                 attribute("from") + "' id='" + attribute("id") + "' type='" +
                 answer_ + "'/></stream:stream>");
    stream->ReadUntilClosed(std::chrono::seconds(2));
  }
}

}  // namespace xmppfed::testing
