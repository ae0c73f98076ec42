#include "agent/edge/sasl/sasl_external.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::edge::sasl {
namespace {

// Debian's Abseil has a string_view of its own.
absl::string_view Absl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

std::string_view FailureName(Failure failure) {
  switch (failure) {
    case Failure::kAborted:
      return "aborted";
    case Failure::kEncryptionRequired:
      return "encryption-required";
    case Failure::kIncorrectEncoding:
      return "incorrect-encoding";
    case Failure::kInvalidAuthzid:
      return "invalid-authzid";
    case Failure::kInvalidMechanism:
      return "invalid-mechanism";
    case Failure::kMalformedRequest:
      return "malformed-request";
    case Failure::kNotAuthorized:
      break;
  }
  return "not-authorized";
}

AuthCheck CheckAuth(std::string_view mechanism, std::string_view response,
                    std::string_view from_domain) {
  AuthCheck check;
  if (mechanism != kMechanismExternal) {
    check.failure = Failure::kInvalidMechanism;
    check.detail =
        absl::StrCat("mechanism '", Absl(mechanism), "' is not offered");
    return check;
  }
  std::string authzid;
  if (!response.empty() && response != "=") {
    // Only canonical, padded base64 (RFC 6120 §6.4.2): decoding and encoding
    // again must give back the same text.
    if (!absl::Base64Unescape(Absl(response), &authzid) ||
        absl::Base64Escape(authzid) != Absl(response)) {
      check.failure = Failure::kIncorrectEncoding;
      check.detail = "the authorization identity is not base64";
      return check;
    }
  }
  if (!authzid.empty()) {
    std::string name = absl::AsciiStrToLower(authzid);
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (name != from_domain) {
      check.failure = Failure::kInvalidAuthzid;
      // The authzid is the peer's text: logged only as its length.
      check.detail = absl::StrCat(
          "the authorization identity (", authzid.size(),
          " octets) is neither empty nor the stream's 'from' domain");
      return check;
    }
  }
  check.accepted = true;
  return check;
}

std::string MechanismsFeatureXml() {
  return absl::StrCat("<mechanisms xmlns='", kNsSasl, "'><mechanism>",
                      kMechanismExternal, "</mechanism></mechanisms>");
}

std::string AuthXml(std::string_view local_domain) {
  return absl::StrCat("<auth xmlns='", kNsSasl, "' mechanism='",
                      kMechanismExternal, "'>",
                      absl::Base64Escape(Absl(local_domain)), "</auth>");
}

std::string SuccessXml() {
  return absl::StrCat("<success xmlns='", kNsSasl, "'/>");
}

std::string FailureXml(Failure failure) {
  return absl::StrCat("<failure xmlns='", kNsSasl, "'><",
                      Absl(FailureName(failure)), "/></failure>");
}

}  // namespace xmppfed::edge::sasl
