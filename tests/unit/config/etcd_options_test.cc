// The etcd store's agent options (SPEC §7): TLS files, user and password
// file, also from TOML; and --copy-store FROM TO.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent/config/agent_options.h"

namespace xmppfed::config {
namespace {

class EtcdOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "etcd-options-XXXXXX")
            .string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ParsedAgentOptions Parse(std::vector<std::string> args) {
    args.insert(args.begin(), {"xmppfed-agent", "--socket", "/tmp/x.sock",
                               "--s2s-listen", "off", "--component-listen",
                               "off", "--store", "etcd://127.0.0.1:2379/x"});
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    return ParseAgentOptions(static_cast<int>(argv.size()), argv.data());
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(EtcdOptionsTest, TlsFilesAndCredentialsReachTheStoreOptions) {
  std::string ca = WriteFile("ca.pem", "ca");
  std::string cert = WriteFile("cert.pem", "cert");
  std::string key = WriteFile("key.pem", "key");
  std::string password = WriteFile("password", "s3cret\nignored\n");
  ParsedAgentOptions parsed =
      Parse({"--etcd-ca-file", ca, "--etcd-cert", cert, "--etcd-key", key,
             "--etcd-user", "xmppfed", "--etcd-password-file", password});
  ASSERT_TRUE(parsed.options.has_value());
  const store::StoreOptions& store = parsed.options->store_options;
  EXPECT_EQ(store.etcd_ca_file, ca);
  EXPECT_EQ(store.etcd_cert, cert);
  EXPECT_EQ(store.etcd_key, key);
  EXPECT_EQ(store.etcd_user, "xmppfed");
  EXPECT_EQ(store.etcd_password, "s3cret");
}

TEST_F(EtcdOptionsTest, TheyComeFromTomlToo) {
  std::string password = WriteFile("password", "pw\n");
  std::string config = WriteFile(
      "agent.toml",
      "etcd-user = \"xmppfed\"\netcd-password-file = \"" + password + "\"\n");
  ParsedAgentOptions parsed = Parse({"--config", config});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->store_options.etcd_user, "xmppfed");
  EXPECT_EQ(parsed.options->store_options.etcd_password, "pw");
}

TEST_F(EtcdOptionsTest, AnUnreadableFileIsAUsageErrorNamingTheOption) {
  testing::internal::CaptureStderr();
  ParsedAgentOptions parsed = Parse({"--etcd-ca-file", "/nonexistent/ca"});
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_NE(err.find("--etcd-ca-file=/nonexistent/ca"), std::string::npos)
      << err;
}

TEST_F(EtcdOptionsTest, CertificateAndKeyComeTogether) {
  std::string cert = WriteFile("cert.pem", "cert");
  testing::internal::CaptureStderr();
  ParsedAgentOptions parsed = Parse({"--etcd-cert", cert});
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_NE(err.find("--etcd-cert and --etcd-key"), std::string::npos) << err;
}

TEST_F(EtcdOptionsTest, UserAndPasswordFileComeTogether) {
  testing::internal::CaptureStderr();
  ParsedAgentOptions parsed = Parse({"--etcd-user", "xmppfed"});
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_NE(err.find("--etcd-user and --etcd-password-file"), std::string::npos)
      << err;
}

TEST_F(EtcdOptionsTest, AnEmptyPasswordFileIsRefused) {
  std::string password = WriteFile("password", "\n");
  testing::internal::CaptureStderr();
  ParsedAgentOptions parsed =
      Parse({"--etcd-user", "u", "--etcd-password-file", password});
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_NE(err.find("the first line is empty"), std::string::npos) << err;
}

TEST_F(EtcdOptionsTest, CopyStoreTakesTwoUrisAndNeedsNoComponentSecret) {
  std::vector<std::string> args = {"xmppfed-agent", "--copy-store",
                                   "sqlite:/tmp/a.db", "etcd://h:1/x"};
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  ParsedAgentOptions parsed =
      ParseAgentOptions(static_cast<int>(argv.size()), argv.data());
  ASSERT_TRUE(parsed.options.has_value());
  ASSERT_TRUE(parsed.options->copy_store.has_value());
  EXPECT_EQ(parsed.options->copy_store->first, "sqlite:/tmp/a.db");
  EXPECT_EQ(parsed.options->copy_store->second, "etcd://h:1/x");
}

TEST_F(EtcdOptionsTest, CopyStoreWithOneUriIsAUsageError) {
  std::vector<std::string> args = {"xmppfed-agent", "--copy-store",
                                   "sqlite:/tmp/a.db"};
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  testing::internal::CaptureStderr();
  ParsedAgentOptions parsed =
      ParseAgentOptions(static_cast<int>(argv.size()), argv.data());
  testing::internal::GetCapturedStderr();
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

}  // namespace
}  // namespace xmppfed::config
