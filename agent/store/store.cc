#include "agent/store/store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/store/etcd_store.h"
#include "agent/store/sqlite_store.h"

namespace xmppfed::store {
namespace {

constexpr std::string_view kAcceptedForms =
    "expected sqlite:PATH or etcd://HOST:PORT/PREFIX";

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri) {
  return OpenStore(uri, StoreOptions());
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri,
                                                 const StoreOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  // absl::string_view is not std::string_view in every absl build.
  absl::string_view text(uri.data(), uri.size());
  if (absl::StartsWithIgnoreCase(text, "sqlite:")) {
    std::string path(uri.substr(kSqlite.size()));
    if (path.empty()) {
      return errors::InvalidField("store", uri,
                                  "sqlite: needs a path, as in "
                                  "sqlite:/var/lib/xmppfed/xmppfed.db");
    }
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(std::string(uri), path);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  }
  if (absl::StartsWithIgnoreCase(text, "etcd://")) {
    absl::StatusOr<std::unique_ptr<EtcdStore>> store =
        EtcdStore::Open(std::string(uri), options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  }
  return errors::InvalidField("store", uri, kAcceptedForms);
}

}  // namespace xmppfed::store
