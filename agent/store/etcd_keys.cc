#include "agent/store/etcd_keys.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace xmppfed::store {
namespace {

absl::string_view View(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

// A JID as one path segment: bare JIDs hold no '/', but the store does not
// rely on what the edge normalised.
std::string Encode(std::string_view jid) {
  std::string out;
  out.reserve(jid.size());
  for (char c : jid) {
    if (c == '%') {
      out += "%25";
    } else if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    std::string_view code = text.substr(i + 1, 2);
    if (code == "25") {
      out += '%';
    } else if (code == "2F") {
      out += '/';
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

}  // namespace

std::string EtcdKeys::partner(std::string_view identity) const {
  return absl::StrCat(partners(), View(identity));
}

std::string EtcdKeys::domain(std::string_view domain) const {
  return absl::StrCat(domains(), View(domain));
}

std::string EtcdKeys::invitation(std::string_view local_jid,
                                 std::string_view remote_jid) const {
  return absl::StrCat(invitations(), Encode(local_jid), "/",
                      Encode(remote_jid));
}

std::string EtcdKeys::node(std::string_view id) const {
  return absl::StrCat(nodes(), View(id));
}

std::string EtcdKeys::audit_entry(uint64_t id) const {
  return absl::StrCat(audit_entries(), absl::StrFormat("%020u", id));
}

EtcdKeys::Parsed EtcdKeys::Parse(std::string_view key) const {
  absl::string_view rest = View(key);
  Parsed parsed;
  if (!absl::ConsumePrefix(&rest, prefix_)) return parsed;
  struct Family {
    const char* name;
    Kind kind;
  };
  for (const Family& family :
       {Family{"partners/", Kind::kPartner}, Family{"domains/", Kind::kDomain},
        Family{"invitations/", Kind::kInvitation},
        Family{"nodes/", Kind::kNode}, Family{"gateway/", Kind::kGateway},
        Family{"audit/", Kind::kAudit}, Family{"audit-next", Kind::kAudit}}) {
    if (absl::ConsumePrefix(&rest, family.name)) {
      parsed.kind = family.kind;
      parsed.name = std::string(rest);
      return parsed;
    }
  }
  return parsed;
}

std::optional<std::pair<std::string, std::string>> EtcdKeys::InvitationJids(
    std::string_view name) {
  size_t slash = name.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::optional<std::string> local = Decode(name.substr(0, slash));
  std::optional<std::string> remote = Decode(name.substr(slash + 1));
  if (!local || !remote) return std::nullopt;
  return std::make_pair(*std::move(local), *std::move(remote));
}

std::optional<uint64_t> EtcdKeys::AuditId(std::string_view name) {
  uint64_t id = 0;
  if (name.size() != 20 || !absl::SimpleAtoi(View(name), &id)) {
    return std::nullopt;
  }
  return id;
}

}  // namespace xmppfed::store
