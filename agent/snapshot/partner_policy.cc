#include "agent/snapshot/partner_policy.h"

namespace xmppfed::snapshot {
namespace {

int64_t Micros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1'000'000 + timestamp.nanos() / 1'000;
}

void SetMicros(int64_t micros, google::protobuf::Timestamp* timestamp) {
  timestamp->set_seconds(micros / 1'000'000);
  timestamp->set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1'000);
}

}  // namespace

PartnerPolicy::PartnerPolicy(const v1::Partner& partner)
    : identity_size_(static_cast<uint32_t>(partner.identity().size())),
      domain_count_(1 +
                    static_cast<uint32_t>(partner.additional_domains_size())),
      description_(partner.description()),
      proxy_fqdn_(partner.proxy_fqdn()),
      type_(partner.partner_type()),
      tls_(partner.tls_negotiation()),
      sasl_(partner.sasl_negotiation()),
      dialback_(partner.support_dialback_negotiation()),
      keep_alive_(partner.enable_keep_alive()),
      connection_limit_(partner.connection_limit()),
      allowed_(policy::AllowedAuthFor(partner.tls_negotiation(),
                                      partner.sasl_negotiation(),
                                      partner.support_dialback_negotiation())),
      revision_(partner.revision()),
      created_at_us_(Micros(partner.created_at())),
      modified_at_us_(Micros(partner.modified_at())) {
  size_t size = partner.identity().size() + 1;
  for (const std::string& domain : partner.additional_domains()) {
    size += domain.size() + 1;
  }
  domains_.reserve(size);
  domains_.append(partner.identity()).push_back('\0');
  for (const std::string& domain : partner.additional_domains()) {
    domains_.append(domain).push_back('\0');
  }
}

void PartnerPolicy::ForEachDomain(
    const std::function<bool(std::string_view)>& visit) const {
  size_t start = 0;
  while (start < domains_.size()) {
    size_t end = domains_.find('\0', start);
    if (!visit(std::string_view(domains_.data() + start, end - start))) return;
    start = end + 1;
  }
}

v1::Partner PartnerPolicy::ToProto() const {
  v1::Partner partner;
  bool first = true;
  ForEachDomain([&](std::string_view domain) {
    if (first) {
      partner.set_identity(std::string(domain));
      first = false;
    } else {
      partner.add_additional_domains(std::string(domain));
    }
    return true;
  });
  partner.set_description(description_);
  partner.set_partner_type(type_);
  partner.set_tls_negotiation(tls_);
  partner.set_sasl_negotiation(sasl_);
  partner.set_support_dialback_negotiation(dialback_);
  partner.set_proxy_fqdn(proxy_fqdn_);
  partner.set_enable_keep_alive(keep_alive_);
  partner.set_connection_limit(connection_limit_);
  partner.set_revision(revision_);
  if (created_at_us_ != 0)
    SetMicros(created_at_us_, partner.mutable_created_at());
  if (modified_at_us_ != 0) {
    SetMicros(modified_at_us_, partner.mutable_modified_at());
  }
  return partner;
}

}  // namespace xmppfed::snapshot
