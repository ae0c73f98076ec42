// Where the etcd store keeps what, under the store's prefix P ("/xmppfed/"):
//
//   P layout                      "1": the version of this layout
//   P partners/IDENTITY           a v1::Partner (serialized), as stored
//   P domains/DOMAIN              the identity of the partner owning DOMAIN
//                                 (its identity or an additional domain;
//                                 a wildcard is the key "*.BASE", which
//                                 no exact domain can be);
//                                 created with a create-revision compare,
//                                 so a domain has one owner across nodes
//   P gateway/config              a v1::GatewayConfig (serialized)
//   P gateway/dialback-passphrase the shared secret, created once
//   P invitations/LOCAL/REMOTE    when LOCAL invited REMOTE (bare JIDs,
//                                 '%' and '/' percent-encoded)
//   P nodes/ID                    a v1::Node, under the node's lease
//   P audit/ID                    a v1::AuditEntry (serialized, its id 0:
//                                 the key says it), ID its id as 20
//                                 decimal digits, so keys sort like ids
//   P audit-next                  the id of the last audit entry appended
//                                 (decimal); bumped with a mod-revision
//                                 compare in the transaction of every
//                                 append, so ids grow across nodes
//
// Keys sort like their names, so a listing of P partners/ is in identity
// order, the order SQLite lists them in, and one of P audit/ in id order.
#ifndef XMPPFED_AGENT_STORE_ETCD_KEYS_H_
#define XMPPFED_AGENT_STORE_ETCD_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xmppfed::store {

class EtcdKeys {
 public:
  // `prefix` as etcd::ParseEtcdUri made it: "/NAME/".
  explicit EtcdKeys(std::string prefix) : prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }
  std::string layout() const { return prefix_ + "layout"; }
  std::string partners() const { return prefix_ + "partners/"; }
  std::string partner(std::string_view identity) const;
  std::string domains() const { return prefix_ + "domains/"; }
  std::string domain(std::string_view domain) const;
  std::string gateway_config() const { return prefix_ + "gateway/config"; }
  std::string dialback_passphrase() const {
    return prefix_ + "gateway/dialback-passphrase";
  }
  std::string invitations() const { return prefix_ + "invitations/"; }
  std::string invitation(std::string_view local_jid,
                         std::string_view remote_jid) const;
  std::string nodes() const { return prefix_ + "nodes/"; }
  std::string node(std::string_view id) const;
  std::string audit_entries() const { return prefix_ + "audit/"; }
  std::string audit_entry(uint64_t id) const;
  std::string audit_next() const { return prefix_ + "audit-next"; }

  // What a key under the prefix is, for the watch.
  enum class Kind {
    kPartner,     // name(): the identity
    kDomain,      // name(): the domain
    kGateway,     // the config or the passphrase
    kInvitation,  // name(): "LOCAL/REMOTE", encoded
    kNode,        // name(): the node id
    kAudit,       // an entry (name(): its id's digits) or the counter ("")
    kOther,
  };
  struct Parsed {
    Kind kind = Kind::kOther;
    std::string name;
  };
  Parsed Parse(std::string_view key) const;

  // The two JIDs of an invitation key's name(); nullopt if malformed.
  static std::optional<std::pair<std::string, std::string>> InvitationJids(
      std::string_view name);
  // The id of an audit entry key's name(); nullopt if malformed.
  static std::optional<uint64_t> AuditId(std::string_view name);

 private:
  std::string prefix_;
};

// The layout written by this version.
inline constexpr char kEtcdLayoutVersion[] = "1";

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_KEYS_H_
