#include "cli/rpc/audit_records.h"

#include <string>

#include "cli/rpc/records.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::cli {
namespace {

Strings Identities(const v1::AuditEntry& entry) {
  return Strings(entry.identities().begin(), entry.identities().end());
}

// A change's value in JSON: the text, or null when there was none.
void AddValue(Record& record, std::string key, bool present,
              const std::string& value) {
  if (present) {
    record.AddString(std::move(key), value);
  } else {
    record.AddNull(std::move(key));
  }
}

std::string ChangeText(const v1::AuditChange& change) {
  return change.field() + ": " +
         (change.has_old_value() ? change.old_value() : "-") + " -> " +
         (change.has_new_value() ? change.new_value() : "-");
}

}  // namespace

Record AuditRecord(const v1::AuditEntry& entry) {
  Record caller;
  caller.AddUint("uid", entry.caller().uid())
      .AddString("user", entry.caller().user())
      .AddUint("pid", entry.caller().pid())
      .AddString("role", v1::RoleName(entry.caller().role()));
  Records changes;
  for (const v1::AuditChange& change : entry.changes()) {
    Record item;
    item.AddString("field", change.field());
    AddValue(item, "old", change.has_old_value(), change.old_value());
    AddValue(item, "new", change.has_new_value(), change.new_value());
    changes.push_back(std::move(item));
  }
  Record record;
  record.AddString("time", FormatTimestamp(entry.time()))
      .AddString("node", entry.node())
      .AddNested("caller", std::move(caller))
      .AddString("verb", entry.verb())
      .AddStrings("identities", Identities(entry))
      .AddRecords("changes", std::move(changes))
      .AddString("result", v1::AuditResultName(entry.result()))
      .AddString("error", entry.error());
  return record;
}

Record AuditRow(const v1::AuditEntry& entry) {
  Strings changes;
  for (const v1::AuditChange& change : entry.changes()) {
    changes.push_back(ChangeText(change));
  }
  Record record;
  record.AddString("time", FormatTimestamp(entry.time()))
      .AddString("node", entry.node())
      .AddString("user", entry.caller().user())
      .AddUint("uid", entry.caller().uid())
      .AddUint("pid", entry.caller().pid())
      .AddString("role", v1::RoleName(entry.caller().role()))
      .AddString("verb", entry.verb())
      .AddStrings("identities", Identities(entry))
      .AddStrings("changes", std::move(changes))
      .AddString("result", v1::AuditResultName(entry.result()))
      .AddString("error", entry.error());
  return record;
}

ListLayout AuditListLayout() {
  ListLayout layout;
  for (const Field& field : AuditRow(v1::AuditEntry()).fields) {
    layout.keys.push_back(field.key);
  }
  layout.table_columns = {
      {"time", "Time", 0},        {"user", "User", 0},
      {"role", "Role", 0},        {"verb", "Verb", 0},
      {"result", "Result", 0},    {"identities", "Identities", 30},
      {"changes", "Changes", 50}, {"error", "Error", 40},
  };
  return layout;
}

}  // namespace xmppfed::cli
