#include "agent/edge/negotiation/sasl_initiating.h"

#include <string_view>

#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/xml/element.h"

namespace xmppfed::edge {
namespace {

bool OffersExternal(xmpp_stanza_t* features) {
  xmpp_stanza_t* mechanisms =
      features == nullptr ? nullptr
                          : xml::Child(features, "mechanisms", sasl::kNsSasl);
  if (mechanisms == nullptr) return false;
  for (xmpp_stanza_t* child = xmpp_stanza_get_children(mechanisms);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    const char* name = xmpp_stanza_get_name(child);
    if (name != nullptr && std::string_view(name) == "mechanism" &&
        xml::TextOf(child) == sasl::kMechanismExternal) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string SaslInitiating::Obstacle(xmpp_stanza_t* features,
                                     const policy::AllowedAuth& allowed,
                                     bool tls_done, bool certificate_valid,
                                     const std::string& domain) const {
  if (!allowed.sasl_external) return "the partner's policy does not allow SASL";
  if (!tls_done) return "no TLS";
  if (state_ == State::kFailed) return domain + " refused SASL EXTERNAL";
  if (!certificate_valid) {
    return "the certificate of " + domain +
           " is not trusted or not valid for it";
  }
  if (!OffersExternal(features)) {
    return domain + " does not offer SASL EXTERNAL";
  }
  return "";
}

std::string SaslInitiating::Start(const std::string& local_domain) {
  state_ = State::kAwaiting;
  return sasl::AuthXml(local_domain);
}

bool SaslInitiating::OnOutcome(xmpp_stanza_t* outcome, std::string* condition) {
  if (xml::Is(outcome, "success", sasl::kNsSasl)) {
    state_ = State::kSucceeded;
    *condition = "";
    return true;
  }
  state_ = State::kFailed;
  xmpp_stanza_t* child = xmpp_stanza_get_children(outcome);
  while (child != nullptr && xmpp_stanza_get_name(child) == nullptr) {
    child = xmpp_stanza_get_next(child);
  }
  *condition = child == nullptr ? "none" : xmpp_stanza_get_name(child);
  return false;
}

}  // namespace xmppfed::edge
