#include "agent/config/agent_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace xmppfed::config {
namespace {

class AgentOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "agent-options-XXXXXX")
            .string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ::unsetenv("XMPPFED_SOCKET");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ParsedAgentOptions Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "xmppfed-agent");
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

TEST_F(AgentOptionsTest, ListenersOffAndExplicitPathsAreAccepted) {
  ParsedAgentOptions parsed =
      Parse({"--socket", "/tmp/x.sock", "--store", "sqlite:/tmp/x.db",
             "--s2s-listen", "off", "--component-listen", "off"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->socket_path, "/tmp/x.sock");
  EXPECT_EQ(parsed.options->store_uri, "sqlite:/tmp/x.db");
  EXPECT_TRUE(parsed.options->s2s_listen.off);
  EXPECT_TRUE(parsed.options->component_listen.off);
}

TEST_F(AgentOptionsTest, LocalDomainsAreNormalisedAndDeduplicated) {
  ParsedAgentOptions parsed = Parse(
      {"--domain", "Example.TEST.", "--domain", "example.test", "--domain",
       "bücher.example", "--s2s-listen", "off", "--component-listen", "off"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(
      parsed.options->local_domains,
      (std::vector<std::string>{"example.test", "xn--bcher-kva.example"}));
}

TEST_F(AgentOptionsTest, InvalidLocalDomainIsAUsageError) {
  ParsedAgentOptions parsed = Parse({"--domain", "127.0.0.1", "--s2s-listen",
                                     "off", "--component-listen", "off"});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

TEST_F(AgentOptionsTest, DefaultListenersAreTheSpecs) {
  ParsedAgentOptions parsed = Parse({"--component-secret", "s3cret"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_FALSE(parsed.options->s2s_listen.off);
  EXPECT_EQ(parsed.options->s2s_listen.ToString(), "[::]:5269");
  EXPECT_EQ(parsed.options->component_listen.ToString(), "127.0.0.1:5347");
  EXPECT_EQ(parsed.options->component_secret, "s3cret");
}

TEST_F(AgentOptionsTest, PortZeroListenersAreAccepted) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "127.0.0.1:0", "--component-listen", "127.0.0.1:0",
             "--component-secret", "s3cret"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->s2s_listen.port, 0);
  EXPECT_EQ(parsed.options->component_listen.host, "127.0.0.1");
}

TEST_F(AgentOptionsTest, ComponentListenerNeedsASecret) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "127.0.0.1:0"});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

TEST_F(AgentOptionsTest, SecretAndSecretFileTogetherAreRefused) {
  std::string file = WriteFile("secret", "s3cret\n");
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off",
             "--component-secret", "x", "--component-secret-file", file});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

TEST_F(AgentOptionsTest, SecretFileFirstLineIsTheSecret) {
  std::string file = WriteFile("secret", "s3cret\nignored\n");
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off",
             "--component-secret-file", file});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->component_secret, "s3cret");
}

TEST_F(AgentOptionsTest, UnpairedTlsCertificateIsRefused) {
  std::string cert = WriteFile("cert.pem", "x");
  ParsedAgentOptions parsed = Parse(
      {"--s2s-listen", "off", "--component-listen", "off", "--tls-cert", cert});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

TEST_F(AgentOptionsTest, MissingCaFileIsRefused) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off", "--ca-file",
             (dir_ / "missing.pem").string()});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

TEST_F(AgentOptionsTest, TomlFileSuppliesOptionsAndCommandLineWins) {
  std::string config = WriteFile("agent.toml",
                                 "socket = \"/tmp/from-file.sock\"\n"
                                 "store = \"sqlite:/tmp/from-file.db\"\n"
                                 "domain = [\"a.example\", \"b.example\"]\n"
                                 "s2s-listen = \"off\"\n"
                                 "component-listen = \"off\"\n");
  ParsedAgentOptions parsed =
      Parse({"--config", config, "--socket", "/tmp/from-cli.sock"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->socket_path, "/tmp/from-cli.sock");
  EXPECT_EQ(parsed.options->store_uri, "sqlite:/tmp/from-file.db");
  EXPECT_EQ(parsed.options->local_domains,
            (std::vector<std::string>{"a.example", "b.example"}));
}

TEST_F(AgentOptionsTest, UnknownTomlKeyIsAUsageErrorNamingIt) {
  std::string config = WriteFile("agent.toml",
                                 "s2s-listen = \"off\"\n"
                                 "component-listen = \"off\"\n"
                                 "domian = [\"a.example\"]\n");
  ::testing::internal::CaptureStderr();
  ParsedAgentOptions parsed = Parse({"--config", config});
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_NE(err.find("domian"), std::string::npos) << err;
}

TEST_F(AgentOptionsTest, SocketFromEnvironment) {
  ::setenv("XMPPFED_SOCKET", "/tmp/from-env.sock", 1);
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off"});
  ::unsetenv("XMPPFED_SOCKET");
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->socket_path, "/tmp/from-env.sock");
}

TEST_F(AgentOptionsTest, UnknownOptionIsAUsageError) {
  ParsedAgentOptions parsed = Parse({"--no-such-option"});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
}

TEST_F(AgentOptionsTest, HelpExitsZero) {
  ParsedAgentOptions parsed = Parse({"--help"});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 0);
}

}  // namespace
}  // namespace xmppfed::config
