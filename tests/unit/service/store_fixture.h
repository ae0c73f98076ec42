// A real store for tests of the layers above it: SQLite in a fresh
// temporary directory, or (EtcdStoreFixture) a fresh prefix on the test
// binary's etcd.
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
#include "tests/support/shared_etcd.h"

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
        store::OpenStore(StoreUri());
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

  virtual std::string StoreUri() {
    return "sqlite:" + (dir_ / "xmppfed.db").string();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  // Where the services' audit entries go, and whom they name.
  std::unique_ptr<audit::AuditTrail> trail_;
  audit::Actor actor_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_UNIT_SERVICE_STORE_FIXTURE_H_
