#include "agent/audit/field_changes.h"

#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::audit {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Bookkeeping the store sets, not something a caller changes.
const std::set<std::string>& Skipped() {
  static const std::set<std::string>* const skipped = new std::set<std::string>{
      "identity", "revision", "created_at", "modified_at"};
  return *skipped;
}

std::string EnumText(const FieldDescriptor& field, int number) {
  const std::string& type = field.enum_type()->full_name();
  if (type == "xmppfed.v1.PartnerType") {
    return std::string(
        v1::PartnerTypeName(static_cast<v1::PartnerType>(number)));
  }
  if (type == "xmppfed.v1.Negotiation") {
    return std::string(
        v1::NegotiationName(static_cast<v1::Negotiation>(number)));
  }
  const google::protobuf::EnumValueDescriptor* value =
      field.enum_type()->FindValueByNumber(number);
  return value == nullptr ? absl::StrCat(number) : value->name();
}

// The field's value as text; nullopt for a kind that is not audited
// (nested messages: read-only views such as a partner's live status).
std::optional<std::string> ValueText(const Message& message,
                                     const FieldDescriptor& field) {
  const Reflection& reflection = *message.GetReflection();
  if (field.is_repeated()) {
    if (field.cpp_type() != FieldDescriptor::CPPTYPE_STRING)
      return std::nullopt;
    std::vector<std::string> items;
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      items.push_back(reflection.GetRepeatedString(message, &field, i));
    }
    return absl::StrJoin(items, ",");
  }
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection.GetBool(message, &field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(reflection.GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(reflection.GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(reflection.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(reflection.GetInt64(message, &field));
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumText(field, reflection.GetEnumValue(message, &field));
    default:
      return std::nullopt;
  }
}

std::vector<v1::AuditChange> Diff(const Message* before, const Message* after) {
  const google::protobuf::Descriptor& type =
      before != nullptr ? *before->GetDescriptor() : *after->GetDescriptor();
  std::vector<v1::AuditChange> changes;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (Skipped().contains(field.name())) continue;
    std::optional<std::string> old_text =
        before == nullptr ? std::nullopt : ValueText(*before, field);
    std::optional<std::string> new_text =
        after == nullptr ? std::nullopt : ValueText(*after, field);
    if (!old_text && !new_text) continue;
    if (old_text && new_text && *old_text == *new_text) continue;
    v1::AuditChange change;
    change.set_field(field.json_name());
    if (old_text) change.set_old_value(*old_text);
    if (new_text) change.set_new_value(*new_text);
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace

std::vector<v1::AuditChange> PartnerChanges(const v1::Partner* before,
                                            const v1::Partner* after) {
  if (before == nullptr && after == nullptr) return {};
  return Diff(before, after);
}

std::vector<v1::AuditChange> GatewayChanges(const v1::GatewayConfig& before,
                                            const v1::GatewayConfig& after,
                                            bool passphrase_changed) {
  std::vector<v1::AuditChange> changes = Diff(&before, &after);
  if (passphrase_changed) {
    v1::AuditChange secret;
    secret.set_field("dialbackPassphrase");
    secret.set_old_value(kSecretValue);
    secret.set_new_value(kSecretValue);
    changes.push_back(std::move(secret));
  }
  return changes;
}

void AddChanges(const std::vector<v1::AuditChange>& changes,
                v1::AuditEntry* entry, const std::string& prefix) {
  for (const v1::AuditChange& change : changes) {
    v1::AuditChange* added = entry->add_changes();
    *added = change;
    if (!prefix.empty()) added->set_field(prefix + change.field());
  }
}

}  // namespace xmppfed::audit
