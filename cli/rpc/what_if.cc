#include "cli/rpc/what_if.h"

#include <algorithm>
#include <array>

#include "cli/output/json.h"
#include "cli/rpc/records.h"

namespace xmppfed::cli {
namespace {

std::string Show(const Value* value, bool quoted) {
  if (value == nullptr) return "(none)";
  if (std::holds_alternative<Strings>(*value)) {
    return "[" + ValueText(*value, kTableTextStyle) + "]";
  }
  if (const auto* text = std::get_if<std::string>(value); text && quoted) {
    std::string out;
    AppendJsonString(out, *text);
    return out;
  }
  return ValueText(*value, kTableTextStyle);
}

bool SameValue(const Value* a, const Value* b) {
  if (a == nullptr || b == nullptr) return a == b;
  const auto* list_a = std::get_if<Strings>(a);
  const auto* list_b = std::get_if<Strings>(b);
  if (list_a != nullptr && list_b != nullptr) return *list_a == *list_b;
  return ValueText(*a, kCsvTextStyle) == ValueText(*b, kCsvTextStyle) &&
         a->index() == b->index();
}

constexpr std::array<std::string_view, 9> kWritablePartnerKeys = {
    "description",    "additionalDomains", "partnerType",
    "tlsNegotiation", "saslNegotiation",   "supportDialbackNegotiation",
    "proxyFqdn",      "enableKeepAlive",   "connectionLimit"};
constexpr std::array<std::string_view, 2> kFreeTextKeys = {"description",
                                                           "proxyFqdn"};

bool IsFreeText(std::string_view key) {
  return std::find(kFreeTextKeys.begin(), kFreeTextKeys.end(), key) !=
         kFreeTextKeys.end();
}

}  // namespace

std::string DescribeChanges(const Record& before, const Record& after,
                            std::span<const std::string_view> keys,
                            std::span<const std::string_view> quoted_keys) {
  std::string out;
  for (std::string_view key : keys) {
    const Value* old_value = before.Find(key);
    const Value* new_value = after.Find(key);
    if (SameValue(old_value, new_value)) continue;
    bool quoted = std::find(quoted_keys.begin(), quoted_keys.end(), key) !=
                  quoted_keys.end();
    if (!out.empty()) out += "; ";
    out += key;
    out += ' ' + Show(old_value, quoted) + " -> " + Show(new_value, quoted);
  }
  return out;
}

std::string DescribePartnerChange(const v1::Partner& before,
                                  const v1::Partner& after) {
  return DescribeChanges(PartnerRecord(before), PartnerRecord(after),
                         kWritablePartnerKeys, kFreeTextKeys);
}

Records PartnerChangeRecords(const v1::Partner* before,
                             const v1::Partner& after) {
  Record old_record = before == nullptr ? Record() : PartnerRecord(*before);
  Record new_record = PartnerRecord(after);
  Records changes;
  for (std::string_view key : kWritablePartnerKeys) {
    const Value* new_value = new_record.Find(key);
    const Value* old_value = old_record.Find(key);
    if (before != nullptr && SameValue(old_value, new_value)) continue;
    Record change;
    change.fields.push_back({"field", std::string(key)});
    if (old_value != nullptr) change.fields.push_back({"old", *old_value});
    change.fields.push_back({"new", *new_value});
    changes.push_back(std::move(change));
  }
  return changes;
}

std::string DescribePartnerChanges(const v1::Partner* before,
                                   const v1::Partner& after) {
  if (before != nullptr) return DescribePartnerChange(*before, after);
  std::string out;
  for (const Record& change : PartnerChangeRecords(nullptr, after)) {
    const auto& key = std::get<std::string>(change.fields.front().value);
    if (!out.empty()) out += "; ";
    out += key + ' ' + Show(change.Find("new"), IsFreeText(key));
  }
  return out;
}

std::string DescribeGatewayChange(const v1::GatewayConfigChange& change) {
  static constexpr std::array<std::string_view, 15> kWritable = {
      "connectionLimit",
      "partnerConnectionLimit",
      "keepAliveInterval",
      "streamEstablishmentTimeout",
      "streamInactivityTimeout",
      "maxStanzaSize",
      "streamOutputHighWatermark",
      "streamOutputLowWatermark",
      "componentConnectionLimit",
      "enableLoggingAllMessageBodies",
      "auditRetentionDays",
      "unauthenticatedStreamLimit",
      "unauthenticatedStreamsPerAddress",
      "unauthenticatedStreamTimeout",
      "enableBidirectionalStreams"};
  std::string out =
      DescribeChanges(GatewayRecord(change.before()),
                      GatewayRecord(change.config()), kWritable, {});
  if (change.dialback_passphrase_changed()) {
    out += out.empty() ? "" : "; ";
    out += "dialbackPassphrase changed";
  }
  return out;
}

std::string DescribeSession(const v1::Session& session) {
  std::string out = std::to_string(session.id()) + " (" + session.direction();
  if (!session.remote_domain().empty()) {
    out += (session.direction().empty() ? "" : " ") + session.remote_domain();
  }
  return out + ")";
}

std::string NameList(const std::vector<std::string>& names, std::size_t total) {
  if (total < names.size()) total = names.size();
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kNamesShown; ++i) {
    out += (i > 0 ? ", " : "") + names[i];
  }
  std::size_t shown = std::min(names.size(), kNamesShown);
  if (total > shown) out += " and " + std::to_string(total - shown) + " more";
  return out;
}

std::string PartnerCount(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " partner" : " partners");
}

}  // namespace xmppfed::cli
