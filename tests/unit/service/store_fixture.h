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
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  virtual std::string StoreUri() {
    return "sqlite:" + (dir_ / "xmppfed.db").string();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_UNIT_SERVICE_STORE_FIXTURE_H_
