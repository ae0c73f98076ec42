#include "agent/edge/negotiation/starttls_initiating.h"

#include "agent/edge/xml/element.h"
#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge {
namespace {

StartTlsInitiating::Step Fail(std::string reason) {
  StartTlsInitiating::Step step;
  step.kind = StartTlsInitiating::Step::Kind::kFail;
  step.reason = std::move(reason);
  return step;
}

}  // namespace

StartTlsInitiating::Step StartTlsInitiating::OnFeatures(
    xmpp_stanza_t* features, const policy::AllowedAuth& allowed,
    const std::string& partner, const std::string& domain) {
  if (state_ == State::kDone) return Step();
  xmpp_stanza_t* starttls =
      xml::Child(features, "starttls", xml::kTlsNamespace);
  if (starttls != nullptr && allowed.tls_offered) {
    state_ = State::kRequested;
    Step step;
    step.kind = Step::Kind::kRequest;
    return step;
  }
  if (allowed.tls_required) {
    return Fail("TLS is required with " + partner + ", but " + domain +
                " does not offer STARTTLS");
  }
  if (starttls != nullptr &&
      xml::Child(starttls, "required", xml::kTlsNamespace) != nullptr) {
    return Fail(domain +
                " requires TLS, which the partner's policy does not allow");
  }
  return Step();
}

bool StartTlsInitiating::OnProceed() {
  if (state_ != State::kRequested) return false;
  state_ = State::kHandshaking;
  return true;
}

StartTlsInitiating::Step StartTlsInitiating::OnEstablished(
    bool chain_trusted, tls::IdentityMatch identity,
    const policy::AllowedAuth& allowed, const std::string& domain) {
  state_ = State::kDone;
  certificate_valid_ = chain_trusted && identity != tls::IdentityMatch::kNone;
  if (!certificate_valid_ && allowed.tls_required) {
    return Fail("the certificate of " + domain +
                " is not trusted or does not name it");
  }
  return Step();
}

std::string StartTlsInitiating::StartTlsXml() {
  return std::string("<starttls xmlns='") + xml::kTlsNamespace + "'/>";
}

}  // namespace xmppfed::edge
