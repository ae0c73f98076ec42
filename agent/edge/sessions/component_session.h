// The internal chat gateway's link (XEP-0114, jabber:component:accept): the
// gateway connects once per local domain, proves the shared secret with
// the handshake, and then exchanges stanzas with the edge. One component
// per domain at a time (a second gets <conflict/>); a connection that has
// not completed the handshake within streamEstablishmentTimeout is closed
// with <connection-timeout/>.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_COMPONENT_SESSION_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_COMPONENT_SESSION_H_

#include <memory>
#include <string>

#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/session.h"
#include "agent/edge/stream/xml_stream.h"

namespace xmppfed::edge {

class ComponentSession : public Session, private XmlStreamObserver {
 public:
  ComponentSession(EdgeServices* services, int fd, std::string secret);
  ~ComponentSession() override;

  absl::Status Start();
  // Sends a stanza to the gateway.
  void Send(xmpp_stanza_t* stanza);
  const std::string& domain() const { return domain_; }
  bool authenticated() const { return authenticated_; }

  uint64_t id() const override { return id_; }
  SessionKind kind() const override { return SessionKind::kComponent; }
  std::vector<std::string> Partners() const override { return {}; }
  XmlStream* stream() override { return stream_.get(); }
  SessionInfo Info() const override;
  void Close(xml::StreamError error, const std::string& text) override;
  void RecheckPolicy() override {}

 private:
  void OnStreamOpen(const xml::StreamHeader& header) override;
  void OnStanza(xmpp_stanza_t* stanza) override;
  void OnStreamEnd() override;
  void OnTlsEstablished() override {}
  void OnClosed(const std::string& reason) override;

  EdgeServices* services_;
  uint64_t id_;
  std::string secret_;
  std::unique_ptr<XmlStream> stream_;
  std::string stream_id_;
  std::string domain_;
  bool authenticated_ = false;
  bool closed_ = false;
  absl::Time established_at_ = absl::InfinitePast();
  net::EventLoop::TimerId establishment_timer_ = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_COMPONENT_SESSION_H_
