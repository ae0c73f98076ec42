// A Session for the registry and flow-control tests: a chosen kind, local
// domain and partners, and (when asked for) a real XmlStream over a
// non-blocking socketpair whose other end the test holds.
#ifndef XMPPFED_TESTS_UNIT_EDGE_CORE_FAKE_SESSION_H_
#define XMPPFED_TESTS_UNIT_EDGE_CORE_FAKE_SESSION_H_

#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/edge/sessions/session.h"
#include "agent/edge/stream/xml_stream.h"

namespace xmppfed::edge::testing {

class FakeSession : public Session, private XmlStreamObserver {
 public:
  FakeSession(uint64_t id, SessionKind kind, std::string local_domain,
              std::vector<std::string> partners)
      : id_(id),
        kind_(kind),
        local_domain_(std::move(local_domain)),
        partners_(std::move(partners)) {}
  ~FakeSession() override {
    stream_.reset();
    if (peer_fd_ >= 0) ::close(peer_fd_);
  }

  // Gives the session a started stream on `loop`.
  void Connect(net::EventLoop* loop, xmpp_ctx_t* ctx) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
                     fds) != 0) {
      return;
    }
    peer_fd_ = fds[1];
    // Small socket buffers: a stream's output stays queued until the test
    // reads it at the peer.
    int small = 4096;
    ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    ::setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    stream_ =
        std::make_unique<XmlStream>(loop, ctx, fds[0], xml::StreamLimits(),
                                    static_cast<XmlStreamObserver*>(this));
    (void)stream_->Start();
  }
  // Reads (and drops) what the stream wrote to the peer's end.
  void DrainPeer() {
    char buffer[65536];
    while (::read(peer_fd_, buffer, sizeof buffer) > 0) {
    }
  }
  void set_partners(std::vector<std::string> partners) {
    partners_ = std::move(partners);
  }

  uint64_t id() const override { return id_; }
  SessionKind kind() const override { return kind_; }
  std::vector<std::string> Partners() const override { return partners_; }
  XmlStream* stream() override { return stream_.get(); }
  SessionInfo Info() const override {
    SessionInfo info;
    info.id = id_;
    info.local_domain = local_domain_;
    return info;
  }
  void Close(xml::StreamError error, const std::string& text) override {
    if (stream_) stream_->Abort(text);
  }
  void RecheckPolicy() override {}

 private:
  void OnStreamOpen(const xml::StreamHeader&) override {}
  void OnStanza(xmpp_stanza_t*) override {}
  void OnStreamEnd() override {}
  void OnTlsEstablished() override {}
  void OnClosed(const std::string&) override {}

  uint64_t id_;
  SessionKind kind_;
  std::string local_domain_;
  std::vector<std::string> partners_;
  std::unique_ptr<XmlStream> stream_;
  int peer_fd_ = -1;
};

}  // namespace xmppfed::edge::testing

#endif  // XMPPFED_TESTS_UNIT_EDGE_CORE_FAKE_SESSION_H_
