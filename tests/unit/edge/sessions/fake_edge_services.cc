#include "tests/unit/edge/sessions/fake_edge_services.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "agent/edge/sessions/stanzas.h"

namespace xmppfed::edge::testing {

FakeEdgeServices::FakeEdgeServices()
    : loop_(*net::EventLoop::Create(&clock_)),
      ctx_(xmpp_ctx_new(nullptr, nullptr)),
      tls_(*tls::TlsContexts::Create({}, "")),
      policy_(std::make_unique<snapshot::PolicySnapshot>(
          std::vector<std::string>{"local.test"})) {}

FakeEdgeServices::~FakeEdgeServices() {
  verifications.clear();
  loop_.reset();
  xmpp_ctx_free(ctx_);
}

void FakeEdgeServices::set_policy(snapshot::PolicySnapshot policy) {
  policy_ = std::make_unique<snapshot::PolicySnapshot>(std::move(policy));
}

void FakeEdgeServices::Advance(absl::Duration by) {
  clock_.Advance(by);
  Pump();
}

size_t FakeEdgeServices::CountPartnerStreams(std::string_view partner) {
  auto it = partner_streams.find(partner);
  return it == partner_streams.end() ? 0 : it->second;
}

void FakeEdgeServices::VerifyDialback(const std::string& receiving,
                                      const std::string& originating,
                                      const std::string& stream_id,
                                      const std::string& key,
                                      std::function<void(VerifyOutcome)> done) {
  verifications.push_back({receiving, originating, key, std::move(done)});
}

std::string FakeEdgeServices::Xml(xmpp_stanza_t* stanza) {
  char* buffer = nullptr;
  size_t size = 0;
  xmpp_stanza_to_text(stanza, &buffer, &size);
  std::string text(buffer, size);
  xmpp_free(xmpp_stanza_get_context(stanza), buffer);
  return text;
}

void FakeEdgeServices::DeliverLocally(xmpp_stanza_t* stanza) {
  delivered.push_back({"", Xml(stanza)});
}

void FakeEdgeServices::DeliverFromPartner(const snapshot::PartnerRef& partner,
                                          xmpp_stanza_t* stanza) {
  delivered.push_back({std::string(partner->identity()), Xml(stanza)});
}

void FakeEdgeServices::DeliverFromComponent(const std::string& component_domain,
                                            xmpp_stanza_t* stanza) {
  from_components.push_back({component_domain, Xml(stanza)});
}

PeerSocket::PeerSocket() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
                   fds) == 0) {
    session_fd_ = fds[0];
    peer_fd_ = fds[1];
  }
}

PeerSocket::~PeerSocket() {
  if (session_fd_ >= 0) ::close(session_fd_);
  if (peer_fd_ >= 0) ::close(peer_fd_);
}

int PeerSocket::TakeSessionFd() { return std::exchange(session_fd_, -1); }

void PeerSocket::Write(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(peer_fd_, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

const std::string& PeerSocket::Read() {
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(peer_fd_, buffer, sizeof buffer);
    if (n > 0) {
      received_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) closed_ = true;
    return received_;
  }
}

bool PeerSocket::PumpUntil(FakeEdgeServices& services,
                           const std::string& text) {
  for (int i = 0; i < 200; ++i) {
    if (Read().find(text) != std::string::npos) return true;
    if (closed_) return false;
    services.Pump();
  }
  return Read().find(text) != std::string::npos;
}

}  // namespace xmppfed::edge::testing
