#include "agent/config/agent_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace xmppfed::config {
namespace {

using ::testing::HasSubstr;

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
    std::ostringstream out;
    err_.str("");
    return ParseAgentOptions(static_cast<int>(argv.size()), argv.data(), out,
                             err_);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
  // What the last Parse printed as its error.
  std::ostringstream err_;
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

TEST_F(AgentOptionsTest, MetricsListenerIsOffByDefault) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_TRUE(parsed.options->metrics_listen.off);
}

TEST_F(AgentOptionsTest, MetricsListenerFromTheCommandLineOrTheFile) {
  ParsedAgentOptions given =
      Parse({"--s2s-listen", "off", "--component-listen", "off",
             "--metrics-listen", "127.0.0.1:9464"});
  ASSERT_TRUE(given.options.has_value());
  EXPECT_FALSE(given.options->metrics_listen.off);
  EXPECT_EQ(given.options->metrics_listen.host, "127.0.0.1");
  EXPECT_EQ(given.options->metrics_listen.port, 9464);
  std::string file = WriteFile("agent.toml",
                               "s2s-listen = \"off\"\n"
                               "component-listen = \"off\"\n"
                               "metrics-listen = \"[::1]:0\"\n");
  ParsedAgentOptions from_file = Parse({"--config", file});
  ASSERT_TRUE(from_file.options.has_value()) << err_.str();
  EXPECT_EQ(from_file.options->metrics_listen.host, "::1");
  EXPECT_EQ(from_file.options->metrics_listen.port, 0);
}

TEST_F(AgentOptionsTest, DirectTlsListenerIsOffByDefault) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_TRUE(parsed.options->s2s_tls_listen.off);
}

TEST_F(AgentOptionsTest, DirectTlsListenerFromTheCommandLineOrTheFile) {
  std::string cert = WriteFile("cert.pem", "certificate");
  std::string key = WriteFile("key.pem", "key");
  ParsedAgentOptions given =
      Parse({"--s2s-listen", "off", "--component-listen", "off", "--tls-cert",
             cert, "--tls-key", key, "--s2s-tls-listen", "127.0.0.1:5270"});
  ASSERT_TRUE(given.options.has_value()) << err_.str();
  EXPECT_FALSE(given.options->s2s_tls_listen.off);
  EXPECT_EQ(given.options->s2s_tls_listen.host, "127.0.0.1");
  EXPECT_EQ(given.options->s2s_tls_listen.port, 5270);
  std::string file =
      WriteFile("agent.toml",
                "s2s-listen = \"off\"\ncomponent-listen = \"off\"\n"
                "tls-cert = [\"" +
                    cert + "\"]\ntls-key = [\"" + key +
                    "\"]\ns2s-tls-listen = \"[::1]:0\"\n");
  ParsedAgentOptions from_file = Parse({"--config", file});
  ASSERT_TRUE(from_file.options.has_value()) << err_.str();
  EXPECT_EQ(from_file.options->s2s_tls_listen.host, "::1");
  EXPECT_EQ(from_file.options->s2s_tls_listen.port, 0);
}

TEST_F(AgentOptionsTest, DirectTlsListenerNeedsACertificate) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off",
             "--s2s-tls-listen", "127.0.0.1:5270"});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_THAT(err_.str(), HasSubstr("--s2s-tls-listen=127.0.0.1:5270"));
  EXPECT_THAT(err_.str(), HasSubstr("needs a certificate"));
}

TEST_F(AgentOptionsTest, BadMetricsListenerIsRefusedNamingTheOption) {
  ParsedAgentOptions parsed =
      Parse({"--s2s-listen", "off", "--component-listen", "off",
             "--metrics-listen", "9464"});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_THAT(err_.str(), HasSubstr("metrics-listen"));
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
  ParsedAgentOptions parsed = Parse({"--config", config});
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_EQ(err_.str().rfind("xmppfed-agent: " + config +
                                 ":3: unknown key 'domian'; the keys are the "
                                 "long options without their dashes: socket, ",
                             0),
            0u)
      << err_.str();
}

TEST_F(AgentOptionsTest, MalformedTomlNamesTheFileAndTheLine) {
  std::string config = WriteFile("agent.toml",
                                 "s2s-listen = \"off\"\n"
                                 "log-level = debug\n");
  ParsedAgentOptions parsed = Parse({"--config", config});
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_THAT(err_.str(), HasSubstr(config + ":2: 'debug' is not a TOML "
                                             "value"));
}

TEST_F(AgentOptionsTest, ABadValueInTheFileNamesFileLineKeyAndRule) {
  std::string config = WriteFile("agent.toml",
                                 "s2s-listen = \"off\"\n"
                                 "component-listen = \"off\"\n"
                                 "\n"
                                 "log-level = \"verbose\"\n");
  ParsedAgentOptions parsed = Parse({"--config", config});
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_THAT(err_.str(),
              HasSubstr(config + ":4: log-level = \"verbose\": 'verbose' is "
                                 "not one of debug, info, notice, warning, "
                                 "error"));

  config = WriteFile("agent.toml",
                     "s2s-listen = \"off\"\n"
                     "component-listen = \"off\"\n"
                     "domain = [\"ok.example\", \"a..b\"]\n");
  parsed = Parse({"--config", config});
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_THAT(err_.str(),
              HasSubstr(config + ":3: --domain=a..b: empty labels"));

  config = WriteFile("agent.toml", "socket = [\"a\", \"b\"]\n");
  parsed = Parse({"--config", config});
  EXPECT_EQ(parsed.exit_code, 2);
  EXPECT_THAT(err_.str(),
              HasSubstr(config + ":1: socket takes one value, not an array"));
}

TEST_F(AgentOptionsTest, CommandKeysAreNotConfigurationKeys) {
  for (const char* key : {"reload", "config", "help", "version"}) {
    std::string config =
        WriteFile("agent.toml", std::string(key) + " = true\n");
    ParsedAgentOptions parsed = Parse({"--config", config});
    EXPECT_EQ(parsed.exit_code, 2) << key;
    EXPECT_THAT(err_.str(), HasSubstr("unknown key '" + std::string(key)))
        << key;
  }
}

TEST_F(AgentOptionsTest, LogOptionsComeFromTheCommandLineOrTheFile) {
  ParsedAgentOptions defaults =
      Parse({"--s2s-listen", "off", "--component-listen", "off"});
  ASSERT_TRUE(defaults.options.has_value());
  EXPECT_EQ(defaults.options->log.level, runtime::LogLevel::kInfo);
  EXPECT_EQ(defaults.options->log.format, runtime::LogFormat::kText);
  EXPECT_EQ(defaults.options->log.file, "");

  std::string config = WriteFile("agent.toml",
                                 "s2s-listen = \"off\"\n"
                                 "component-listen = \"off\"\n"
                                 "log-level = \"warning\"\n"
                                 "log-format = \"json\"\n"
                                 "log-file = \"/var/log/x.log\"\n");
  ParsedAgentOptions parsed =
      Parse({"--config", config, "--log-level", "debug"});
  ASSERT_TRUE(parsed.options.has_value()) << err_.str();
  EXPECT_EQ(parsed.options->log.level, runtime::LogLevel::kDebug);
  EXPECT_EQ(parsed.options->log.format, runtime::LogFormat::kJson);
  EXPECT_EQ(parsed.options->log.file, "/var/log/x.log");
  EXPECT_EQ(parsed.options->config_file, config);
  EXPECT_EQ(parsed.options->given.at("log-level"),
            std::vector<std::string>{"debug"});
  EXPECT_EQ(parsed.options->given.at("log-format"),
            std::vector<std::string>{"json"});
  EXPECT_EQ(parsed.options->given.count("domain"), 0u);

  EXPECT_EQ(Parse({"--log-format", "xml"}).exit_code, 2);
}

TEST_F(AgentOptionsTest, ReloadWithoutAFileNeedsOnlyTheSocket) {
  // The default component listener would need a secret to run an agent.
  ParsedAgentOptions parsed = Parse({"--reload", "--socket", "/tmp/r.sock"});
  ASSERT_TRUE(parsed.options.has_value()) << err_.str();
  EXPECT_TRUE(parsed.options->reload);
  EXPECT_EQ(parsed.options->socket_path, "/tmp/r.sock");
}

TEST_F(AgentOptionsTest, ReloadWithAFileChecksTheFileFirst) {
  std::string config = WriteFile("agent.toml", "log-level = \"loud\"\n");
  EXPECT_EQ(Parse({"--reload", "--config", config}).exit_code, 2);
}

TEST_F(AgentOptionsTest, TheFileWinsOverTheEnvironment) {
  std::string config = WriteFile("agent.toml",
                                 "socket = \"/tmp/from-file.sock\"\n"
                                 "s2s-listen = \"off\"\n"
                                 "component-listen = \"off\"\n");
  ::setenv("XMPPFED_SOCKET", "/tmp/from-env.sock", 1);
  ParsedAgentOptions parsed = Parse({"--config", config});
  ::unsetenv("XMPPFED_SOCKET");
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_EQ(parsed.options->socket_path, "/tmp/from-file.sock");
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
