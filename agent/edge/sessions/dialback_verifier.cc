#include "agent/edge/sessions/dialback_verifier.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/edge/negotiation/dialback_elements.h"
#include "agent/edge/sessions/stanzas.h"

namespace xmppfed::edge {

DialbackVerifier::DialbackVerifier(EdgeServices* services,
                                   std::string originating,
                                   snapshot::PartnerRef partner,
                                   Request request)
    : OutboundStream(services, request.receiving, std::move(originating),
                     std::move(partner), "verify") {
  waiting_.push_back(std::move(request));
}

bool DialbackVerifier::Add(Request&& request) {
  if (state_ == State::kAnswered || failed_ || closed_ ||
      requests() >= kMaxRequests || asked_.contains(request.stream_id)) {
    return false;
  }
  for (const Request& waiting : waiting_) {
    if (waiting.stream_id == request.stream_id) return false;
  }
  if (state_ == State::kAsking) {
    Ask(std::move(request));
  } else {
    waiting_.push_back(std::move(request));
  }
  return true;
}

void DialbackVerifier::Ask(Request request) {
  stream_->Send(DialbackVerifyXml(local_domain_, remote_domain_,
                                  request.stream_id, "", request.key));
  std::string id = request.stream_id;
  asked_.emplace(std::move(id), std::move(request));
}

void DialbackVerifier::Authenticate(xmpp_stanza_t* features) {
  if (state_ != State::kConnecting) return;
  if (!DialbackAllowed(*partner_, tls_.done())) {
    Fail("remote-server-not-found",
         "the partner's policy allows no authentication this edge can do on "
         "this stream");
    return;
  }
  if (!peer_declared_dialback_) {
    Fail("remote-server-not-found",
         remote_domain_ + " does not offer Server Dialback");
    return;
  }
  state_ = State::kAsking;
  for (Request& request : std::exchange(waiting_, {})) {
    Ask(std::move(request));
  }
}

void DialbackVerifier::OnElement(xmpp_stanza_t* stanza) {
  auto asked =
      state_ == State::kAsking && xml::Is(stanza, "verify", kNsDialback)
          ? asked_.find(xml::Attribute(stanza, "id"))
          : asked_.end();
  if (asked == asked_.end()) {
    Log("s2s.outbound.ignored",
        absl::StrCat("element=", xmpp_stanza_get_name(stanza)),
        runtime::LogLevel::kDebug);
    return;
  }
  Request request = std::move(asked->second);
  asked_.erase(asked);
  if (asked_.empty()) state_ = State::kAnswered;
  request.done(xml::Attribute(stanza, "type") == "valid"
                   ? VerifyOutcome::kValid
                   : VerifyOutcome::kInvalid);
  if (state_ == State::kAnswered) {
    stream_->CloseGracefully("verification answered");
  }
}

void DialbackVerifier::OnAttemptFailed(const std::string& condition,
                                       const std::string& reason) {
  AnswerAll(VerifyOutcome::kUnreachable);
}

void DialbackVerifier::AnswerAll(VerifyOutcome outcome) {
  std::vector<Request> all = std::exchange(waiting_, {});
  for (auto& [id, request] : std::exchange(asked_, {})) {
    all.push_back(std::move(request));
  }
  for (Request& request : all) {
    if (request.done) request.done(outcome);
  }
}

}  // namespace xmppfed::edge
