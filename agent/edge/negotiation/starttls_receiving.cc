#include "agent/edge/negotiation/starttls_receiving.h"

#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge {

std::string StartTlsReceiving::Offer(const policy::AllowedAuth& allowed,
                                     bool can_serve_tls) {
  if (state_ == State::kDone || state_ == State::kProceeding) return "";
  if (!allowed.tls_offered || !can_serve_tls) {
    state_ = State::kNotOffered;
    return "";
  }
  state_ = State::kOffered;
  bool required = allowed.tls_required || !allowed.dialback_over_tcp;
  return std::string("<starttls xmlns='") + xml::kTlsNamespace + "'>" +
         (required ? "<required/>" : "") + "</starttls>";
}

bool StartTlsReceiving::Accept() {
  if (state_ != State::kOffered) return false;
  state_ = State::kProceeding;
  return true;
}

std::string StartTlsReceiving::ProceedXml() {
  return std::string("<proceed xmlns='") + xml::kTlsNamespace + "'/>";
}

std::string StartTlsReceiving::FailureXml() {
  return std::string("<failure xmlns='") + xml::kTlsNamespace + "'/>";
}

}  // namespace xmppfed::edge
