// Shared by the store tests: a fresh store per test on each backend (an
// SQLite file in a temporary directory removed afterwards, or a key prefix
// of its own on a one-member etcd shared by the test binary) and partners
// with every field set to a non-default value.
//
// StoreTest is parameterised by the backend: TEST_P(StoreTest, ...) runs
// on both (store_backends.cc instantiates it); SqliteStoreTest is for
// what only the SQLite file has.
#ifndef XMPPFED_TESTS_UNIT_STORE_STORE_FIXTURE_H_
#define XMPPFED_TESTS_UNIT_STORE_STORE_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/errors/field_error.h"
#include "agent/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/shared_etcd.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store::testing {

enum class Backend { kSqlite, kEtcd };

using ::xmppfed::testing::FreshEtcdStoreUri;

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "xmppfed-store-XXXXXX")
            .string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    if (backend() == Backend::kEtcd) etcd_uri_ = FreshEtcdStoreUri();
  }
  virtual Backend backend() const { return GetParam(); }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string DbPath() const { return (dir_ / "xmppfed.db").string(); }
  std::string Uri() const {
    return backend() == Backend::kEtcd ? etcd_uri_ : "sqlite:" + DbPath();
  }

  // Another fresh store of the same backend.
  std::string OtherUri() const {
    return backend() == Backend::kEtcd
               ? FreshEtcdStoreUri()
               : "sqlite:" + (dir_ / "other.db").string();
  }

  // Opens (or reopens) the store under test into store_.
  Store& Open() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<Store>> opened = OpenStore(Uri());
    EXPECT_TRUE(opened.ok()) << opened.status();
    if (opened.ok()) store_ = *std::move(opened);
    return *store_;
  }

  std::filesystem::path dir_;
  std::string etcd_uri_;
  std::unique_ptr<Store> store_;
};

// For what only the SQLite store has (its file, its lock).
class SqliteStoreTest : public StoreTest {
 protected:
  Backend backend() const override { return Backend::kSqlite; }
};

// Runs the TEST_Ps of `fixture` on both backends, named .../Sqlite and
// .../Etcd.
#define XMPPFED_STORE_BACKENDS(fixture)                                      \
  INSTANTIATE_TEST_SUITE_P(                                                  \
      Backends, fixture,                                                     \
      ::testing::Values(::xmppfed::store::testing::Backend::kSqlite,         \
                        ::xmppfed::store::testing::Backend::kEtcd),          \
      [](const ::testing::TestParamInfo<::xmppfed::store::testing::Backend>& \
             info) {                                                         \
        return info.param == ::xmppfed::store::testing::Backend::kEtcd       \
                   ? "Etcd"                                                  \
                   : "Sqlite";                                               \
      })

// A partner with every writable field different from its default.
inline v1::Partner MakePartner(std::string identity,
                               std::vector<std::string> additional = {}) {
  v1::Partner partner;
  partner.set_identity(std::move(identity));
  partner.set_description("Partner " + partner.identity());
  for (std::string& domain : additional) {
    partner.add_additional_domains(std::move(domain));
  }
  partner.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  partner.set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  partner.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  partner.set_support_dialback_negotiation(true);
  partner.set_proxy_fqdn("proxy." + partner.identity() + ":5270");
  partner.set_enable_keep_alive(false);
  partner.set_connection_limit(7);
  return partner;
}

inline std::vector<std::string> Domains(const v1::Partner& partner) {
  return {partner.additional_domains().begin(),
          partner.additional_domains().end()};
}

inline int64_t Micros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1'000'000 + timestamp.nanos() / 1'000;
}

// The ErrorDetail of `status`, or an empty one (so that a missing detail
// fails the field comparisons rather than crashing the test).
inline v1::ErrorDetail Detail(const absl::Status& status) {
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(status);
  EXPECT_TRUE(detail.has_value()) << "no ErrorDetail in " << status;
  return detail.value_or(v1::ErrorDetail());
}

// Identities listed by ForEachPartner(glob), in the order visited.
inline std::vector<std::string> ListIdentities(Store& store,
                                               std::string_view glob) {
  std::vector<std::string> identities;
  absl::Status listed =
      store.ForEachPartner(glob, [&](const v1::Partner& partner) {
        identities.push_back(partner.identity());
        return true;
      });
  EXPECT_TRUE(listed.ok()) << listed;
  return identities;
}

}  // namespace xmppfed::store::testing

#endif  // XMPPFED_TESTS_UNIT_STORE_STORE_FIXTURE_H_
