// A real SQLite store in a fresh temporary directory, for tests of the
// layers above the store.
#ifndef XMPPFED_TESTS_UNIT_SERVICE_STORE_FIXTURE_H_
#define XMPPFED_TESTS_UNIT_SERVICE_STORE_FIXTURE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "agent/audit/audit_trail.h"
#include "agent/store/store.h"

namespace xmppfed::testing {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "xmppfed-service-XXXXXX")
            .string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        store::OpenStore("sqlite:" + (dir_ / "xmppfed.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
    trail_ = std::make_unique<audit::AuditTrail>(store_.get(), "test-node");
    actor_.caller.user = "root";
    actor_.caller.role = v1::ROLE_ADMINISTRATOR;
    actor_.caller.granted_by = "root";
    actor_.verb = "test";
  }
  void TearDown() override {
    trail_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The whole audit log, newest first.
  std::vector<v1::AuditEntry> AuditLog() {
    std::vector<v1::AuditEntry> entries;
    EXPECT_TRUE(store_
                    ->ForEachAuditEntry({},
                                        [&](const v1::AuditEntry& entry) {
                                          entries.push_back(entry);
                                          return true;
                                        })
                    .ok());
    return entries;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  // Where the services' audit entries go, and whom they name.
  std::unique_ptr<audit::AuditTrail> trail_;
  audit::Actor actor_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_UNIT_SERVICE_STORE_FIXTURE_H_
