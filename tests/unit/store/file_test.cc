// The SQLite store on disk: persistence across reopen and kill -9, file
// modes, the single-process lock and the schema version.
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/store/sqlite_schema.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

unsigned Mode(const std::string& path) {
  struct stat info;
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// Runs `body` in a forked child and returns its exit code, or 128 + the
// signal that killed it (as a shell does). The child leaves with _exit: no
// destructors, no gtest.
int ExitCodeInChild(const std::function<int()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// PRAGMA user_version through a connection of the test's own; the store
// must be closed.
int64_t UserVersion(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  int64_t version = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return version;
}

void SetUserVersion(const std::string& path, int64_t version) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  std::string sql = absl::StrCat("PRAGMA user_version = ", version);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, ReopenKeepsEverythingWritten) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"fabrikam.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("contoso.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("northwind.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  v1::Partner changed = MakePartner("contoso.com", {"contoso.net"});
  changed.set_description("changed");
  ASSERT_TRUE(
      store
          .UpdatePartner(changed, std::nullopt, ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.DeletePartners({"northwind.com"}, ::xmppfed::testing::TestRemoval())
          .ok());
  v1::GatewayConfig config;
  config.set_connection_limit(5);
  ASSERT_TRUE(store
                  .PutGatewayConfig(config, "secret", std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());
  std::vector<v1::Partner> before;
  ASSERT_TRUE(store
                  .ForEachPartner("",
                                  [&](const v1::Partner& partner) {
                                    before.push_back(partner);
                                    return true;
                                  })
                  .ok());
  v1::GatewayConfig config_before = **store.GetGatewayConfig();

  store_.reset();
  Store& reopened = Open();

  std::vector<v1::Partner> after;
  ASSERT_TRUE(reopened
                  .ForEachPartner("",
                                  [&](const v1::Partner& partner) {
                                    after.push_back(partner);
                                    return true;
                                  })
                  .ok());
  ASSERT_EQ(after.size(), 2u);
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i], after[i]))
        << after[i].DebugString();
  }
  EXPECT_EQ(after[0].description(), "changed");
  EXPECT_EQ(after[0].revision(), 2u);
  EXPECT_EQ(*reopened.FindDomainOwner("contoso.net"), "contoso.com");
  EXPECT_TRUE(
      MessageDifferencer::Equals(**reopened.GetGatewayConfig(), config_before));
  EXPECT_EQ(*reopened.GetDialbackPassphrase(), "secret");
}

TEST_F(SqliteStoreTest, AcknowledgedChangeSurvivesKill9) {
  int code = ExitCodeInChild([&] {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(Uri());
    if (!store.ok()) return 1;
    if (!(*store)
             ->CreatePartner(MakePartner("fabrikam.com"),
                             ::xmppfed::testing::TestAudit())
             .ok())
      return 2;
    ::kill(::getpid(), SIGKILL);
    return 3;
  });
  ASSERT_EQ(code, 128 + SIGKILL);

  Store& store = Open();
  absl::StatusOr<std::optional<v1::Partner>> got =
      store.GetPartner("fabrikam.com");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->has_value());
}

TEST_F(SqliteStoreTest, DatabaseAndWalFilesHaveMode0600) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  EXPECT_EQ(Mode(DbPath()), 0600u);
  EXPECT_EQ(Mode(DbPath() + "-wal"), 0600u);
  EXPECT_EQ(Mode(DbPath() + ".lock"), 0600u);
}

TEST_F(SqliteStoreTest, CreatesMissingParentDirectoriesWithMode0700) {
  std::string nested = (dir_ / "state" / "xmppfed" / "xmppfed.db").string();
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("sqlite:" + nested);
  ASSERT_TRUE(store.ok()) << store.status();

  EXPECT_EQ(Mode((dir_ / "state").string()), 0700u);
  EXPECT_EQ(Mode((dir_ / "state" / "xmppfed").string()), 0700u);
  EXPECT_EQ(Mode(nested), 0600u);
}

TEST_F(SqliteStoreTest, SecondOpenInTheSameProcessIsRefusedNamingThePid) {
  Open();
  absl::StatusOr<std::unique_ptr<Store>> second = OpenStore(Uri());

  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status().message(),
            absl::StrCat("store ", DbPath(),
                         " is in use by another xmppfed-agent (pid ",
                         ::getpid(), ")"));
}

TEST_F(SqliteStoreTest,
       OpenInAChildProcessIsRefusedWhileTheParentHoldsTheStore) {
  Open();
  std::string expected = absl::StrCat("(pid ", ::getpid(), ")");
  int code = ExitCodeInChild([&] {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(Uri());
    if (store.ok()) return 10;
    if (store.status().code() != absl::StatusCode::kFailedPrecondition) {
      return 11;
    }
    return absl::StrContains(store.status().message(), expected) ? 0 : 12;
  });
  EXPECT_EQ(code, 0);
}

TEST_F(SqliteStoreTest, LockIsReleasedWhenTheStoreIsDestroyed) {
  Open();
  store_.reset();

  int child = ExitCodeInChild([&] { return OpenStore(Uri()).ok() ? 0 : 1; });
  EXPECT_EQ(child, 0);
  absl::StatusOr<std::unique_ptr<Store>> again = OpenStore(Uri());
  EXPECT_TRUE(again.ok()) << again.status();
}

// Through a symbolic link, of the file or of a directory on its way, a
// second open reaches the same database: it must meet the same lock.
TEST_F(SqliteStoreTest, ASymbolicLinkDoesNotGetAroundTheLock) {
  Open();
  std::filesystem::create_symlink(DbPath(), dir_ / "link.db");
  absl::StatusOr<std::unique_ptr<Store>> by_file =
      OpenStore("sqlite:" + (dir_ / "link.db").string());
  EXPECT_EQ(by_file.status().code(), absl::StatusCode::kFailedPrecondition)
      << by_file.status();

  std::filesystem::create_directory_symlink(dir_, dir_ / "linked-dir");
  absl::StatusOr<std::unique_ptr<Store>> by_directory =
      OpenStore("sqlite:" + (dir_ / "linked-dir" / "xmppfed.db").string());
  EXPECT_EQ(by_directory.status().code(), absl::StatusCode::kFailedPrecondition)
      << by_directory.status();
  EXPECT_THAT(std::string(by_directory.status().message()),
              ::testing::HasSubstr("is in use by another xmppfed-agent"));
}

TEST_F(SqliteStoreTest, LockFileHoldsTheHolderPid) {
  Open();
  std::ifstream lock(DbPath() + ".lock");
  std::stringstream content;
  content << lock.rdbuf();
  EXPECT_EQ(content.str(), absl::StrCat(::getpid(), "\n"));
}

TEST_F(SqliteStoreTest, SchemaVersionIsRecordedInUserVersion) {
  Open();
  store_.reset();
  EXPECT_GE(sqlite::LatestSchemaVersion(), 1);
  EXPECT_EQ(UserVersion(DbPath()), sqlite::LatestSchemaVersion());
}

TEST_F(SqliteStoreTest, NewerSchemaVersionIsRefused) {
  Open();
  store_.reset();
  SetUserVersion(DbPath(), sqlite::LatestSchemaVersion() + 1);

  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(Uri());

  ASSERT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("newer than this xmppfed-agent supports"));
}

TEST_F(SqliteStoreTest, RefusedOpenReleasesTheLock) {
  Open();
  store_.reset();
  SetUserVersion(DbPath(), sqlite::LatestSchemaVersion() + 1);
  ASSERT_FALSE(OpenStore(Uri()).ok());
  SetUserVersion(DbPath(), sqlite::LatestSchemaVersion());

  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(Uri());
  EXPECT_TRUE(store.ok()) << store.status();
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
  {
    std::ofstream junk(DbPath());
    junk << std::string(4096, 'x');
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(Uri());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
}

}  // namespace
}  // namespace xmppfed::store::testing
