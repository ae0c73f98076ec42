// Audit entries for tests that write through the store but are not about
// the audit log: every write method takes one (see store.h).
#ifndef XMPPFED_TESTS_UNIT_STORE_TEST_AUDIT_H_
#define XMPPFED_TESTS_UNIT_STORE_TEST_AUDIT_H_

#include <vector>

#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::testing {

inline v1::AuditEntry TestAudit() {
  v1::AuditEntry entry;
  entry.set_verb("test");
  entry.set_result(v1::AUDIT_RESULT_OK);
  return entry;
}

inline store::Store::DescribeRemoval TestRemoval() {
  return [](const std::vector<v1::Partner>&) { return TestAudit(); };
}

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_UNIT_STORE_TEST_AUDIT_H_
