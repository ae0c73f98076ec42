#include "agent/edge/negotiation/bidi.h"

#include <algorithm>

#include "agent/edge/xml/element.h"

namespace xmppfed::edge {

bool BidiAllowed(bool gateway_enabled, const policy::AllowedAuth& allowed,
                 bool tls_done) {
  return gateway_enabled && (tls_done || !allowed.tls_offered);
}

std::string BidiReceiving::Offer(bool allowed, bool authenticated) {
  offered_ = allowed && !authenticated && !negotiated_;
  if (!offered_) return "";
  return std::string("<bidi xmlns='") + kNsBidiFeature + "'/>";
}

bool BidiReceiving::OnRequest(bool allowed, bool authenticated) {
  if (!offered_ || !allowed || authenticated || negotiated_) return false;
  negotiated_ = true;
  offered_ = false;
  return true;
}

bool BidiReceiving::AddPair(const std::string& local,
                            const std::string& remote) {
  if (!negotiated_ || Carries(local, remote)) return false;
  pairs_.emplace_back(local, remote);
  return true;
}

bool BidiReceiving::Carries(const std::string& local,
                            const std::string& remote) const {
  return std::find(pairs_.begin(), pairs_.end(), DomainPair(local, remote)) !=
         pairs_.end();
}

std::string BidiInitiating::OnFeatures(xmpp_stanza_t* features, bool allowed,
                                       bool reverse_identity_proven) {
  if (requested_ || !allowed || !reverse_identity_proven ||
      features == nullptr ||
      xml::Child(features, "bidi", kNsBidiFeature) == nullptr) {
    return "";
  }
  requested_ = true;
  return RequestXml();
}

std::string BidiInitiating::RequestXml() {
  return std::string("<bidi xmlns='") + kNsBidi + "'/>";
}

}  // namespace xmppfed::edge
