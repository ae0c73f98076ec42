// get-gateway-config / set-gateway-config through the real CLI and agent:
// defaults, partial updates, persistence, ranges, and the write-only
// dialback passphrase that must never be printed or logged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSubsetOf;
using ::testing::IsSupersetOf;
using ::testing::Not;

const std::vector<std::string> kSettingKeys = {
    "connectionLimit",
    "partnerConnectionLimit",
    "keepAliveInterval",
    "streamEstablishmentTimeout",
    "streamInactivityTimeout",
    "maxStanzaSize",
    "streamOutputHighWatermark",
    "streamOutputLowWatermark",
    "componentConnectionLimit",
    "enableLoggingAllMessageBodies",
    "auditRetentionDays",
    "unauthenticatedStreamLimit",
    "unauthenticatedStreamsPerAddress",
    "unauthenticatedStreamTimeout",
    "enableBidirectionalStreams"};

class GatewayConfigTest : public AgentTest {
 protected:
  JsonValue Config() { return CliJson({"get-gateway-config"}); }

  // The secret appears nowhere: not in this call's output, not in any form
  // of get-gateway-config, not in the agent's log.
  void ExpectSecretNowhere(const std::string& secret, const CliResult& result) {
    EXPECT_THAT(result.out, Not(HasSubstr(secret))) << result;
    EXPECT_THAT(result.err, Not(HasSubstr(secret))) << result;
    for (const char* format : {"table", "json", "ndjson", "csv"}) {
      CliResult shown = Cli({"get-gateway-config", "-o", format});
      EXPECT_EQ(shown.exit_code, 0) << shown;
      EXPECT_THAT(shown.out, Not(HasSubstr(secret))) << shown;
      EXPECT_THAT(shown.out, Not(HasSubstr("assphrase"))) << shown;
      EXPECT_THAT(shown.err, Not(HasSubstr(secret))) << shown;
    }
    EXPECT_THAT(agent_->Log(), Not(HasSubstr(secret)));
  }
};

TEST_F(GatewayConfigTest, DefaultsAndNoPassphraseKey) {
  JsonValue config = Config();
  ASSERT_TRUE(IsObject(config)) << ToJson(config);
  std::vector<std::string> allowed = kSettingKeys;
  allowed.push_back("revision");
  allowed.push_back("modifiedAt");
  EXPECT_THAT(Keys(config), IsSupersetOf(kSettingKeys)) << ToJson(config);
  EXPECT_THAT(Keys(config), IsSubsetOf(allowed)) << ToJson(config);
  EXPECT_FALSE(Has(config, "dialbackPassphrase")) << ToJson(config);
  EXPECT_EQ(GetNumber(config, "connectionLimit"), 1000);
  EXPECT_EQ(GetNumber(config, "partnerConnectionLimit"), 20);
  EXPECT_EQ(GetNumber(config, "keepAliveInterval"), 300);
  EXPECT_EQ(GetNumber(config, "streamEstablishmentTimeout"), 60);
  EXPECT_EQ(GetNumber(config, "streamInactivityTimeout"), 600);
  EXPECT_EQ(GetNumber(config, "maxStanzaSize"), 262144);
  EXPECT_EQ(GetNumber(config, "streamOutputHighWatermark"), 1048576);
  EXPECT_EQ(GetNumber(config, "streamOutputLowWatermark"), 262144);
  EXPECT_EQ(GetNumber(config, "componentConnectionLimit"), 100);
  EXPECT_EQ(GetBool(config, "enableLoggingAllMessageBodies"), false);
  EXPECT_EQ(GetNumber(config, "auditRetentionDays"), 365);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamLimit"), 100);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamsPerAddress"), 10);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamTimeout"), 30);
  EXPECT_EQ(GetBool(config, "enableBidirectionalStreams"), true);
  EXPECT_FALSE(Has(config, "unauthenticatedConnectionLimit"));
  EXPECT_FALSE(Has(config, "perAddressConnectionLimit"));
}

// The pre-authentication settings under the contract's names, the options
// of the release that first shipped them still read, and the timeout's
// range named in the error.
TEST_F(GatewayConfigTest, PreAuthenticationSettingsAndTheirOldOptionNames) {
  CliResult set = Cli({"set-gateway-config", "--unauthenticated-stream-limit",
                       "40", "--unauthenticated-streams-per-address", "4",
                       "--unauthenticated-stream-timeout", "12"});
  ASSERT_EQ(set.exit_code, 0) << set;
  JsonValue config = Config();
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamLimit"), 40);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamsPerAddress"), 4);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamTimeout"), 12);

  CliResult old =
      Cli({"set-gateway-config", "--unauthenticated-connection-limit", "41",
           "--per-address-connection-limit", "3"});
  ASSERT_EQ(old.exit_code, 0) << old;
  config = Config();
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamLimit"), 41);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamsPerAddress"), 3);
  CliResult help = Cli({"set-gateway-config", "--help"});
  EXPECT_THAT(help.out, HasSubstr("--unauthenticated-stream-timeout"));
  EXPECT_THAT(help.out, Not(HasSubstr("--per-address-connection-limit")));
  EXPECT_EQ(Cli({"set-gateway-config", "--unauthenticated-stream-limit", "5",
                 "--unauthenticated-connection-limit", "6"})
                .exit_code,
            2)
      << "a setting given under both names is a usage error";

  for (const char* bad : {"0", "301"}) {
    CliResult refused =
        Cli({"set-gateway-config", "--unauthenticated-stream-timeout", bad});
    EXPECT_EQ(refused.exit_code, 1) << refused;
    EXPECT_THAT(refused.err,
                HasSubstr(std::string("unauthenticatedStreamTimeout=") + bad +
                          ": must be from 1 to 300 seconds"))
        << refused;
  }
  EXPECT_EQ(GetNumber(Config(), "unauthenticatedStreamTimeout"), 12);
  CliResult what_if =
      Cli({"set-gateway-config", "--unauthenticated-stream-timeout", "20",
           "--what-if"});
  EXPECT_THAT(what_if.out + what_if.err,
              HasSubstr("unauthenticatedStreamTimeout 12 -> 20"))
      << what_if;
}

TEST_F(GatewayConfigTest, WatermarksAreValidatedTogether) {
  CliResult low =
      Cli({"set-gateway-config", "--stream-output-low-watermark", "2097152"});
  EXPECT_EQ(low.exit_code, 1) << low;
  EXPECT_NE(low.err.find("streamOutputLowWatermark=2097152: "
                         "streamOutputLowWatermark (2097152) must be below "
                         "streamOutputHighWatermark (1048576)"),
            std::string::npos)
      << low;
  CliResult both = Cli({"set-gateway-config", "--stream-output-high-watermark",
                        "4194304", "--stream-output-low-watermark", "2097152",
                        "--component-connection-limit", "4",
                        "--unauthenticated-stream-limit", "50",
                        "--unauthenticated-streams-per-address", "5",
                        "--pass-thru", "-o", "json"});
  ASSERT_EQ(both.exit_code, 0) << both;
  JsonValue config = Config();
  EXPECT_EQ(GetNumber(config, "streamOutputHighWatermark"), 4194304);
  EXPECT_EQ(GetNumber(config, "streamOutputLowWatermark"), 2097152);
  EXPECT_EQ(GetNumber(config, "componentConnectionLimit"), 4);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamLimit"), 50);
  EXPECT_EQ(GetNumber(config, "unauthenticatedStreamsPerAddress"), 5);
  CliResult small =
      Cli({"set-gateway-config", "--stream-output-high-watermark", "1000"});
  EXPECT_EQ(small.exit_code, 1) << small;
  EXPECT_NE(small.err.find("must be from 16384 to 1073741824 bytes"),
            std::string::npos)
      << small;
}

TEST_F(GatewayConfigTest, SetChangesOnlyGivenFieldsAndPersistsAcrossRestart) {
  JsonValue before = Config();
  CliResult result = Cli({"set-gateway-config", "--max-stanza-size", "524288",
                          "--keep-alive-interval", "120"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "") << result;  // no --pass-thru
  JsonValue after = Config();
  EXPECT_EQ(Num(after, "maxStanzaSize"), 524288);
  EXPECT_EQ(Num(after, "keepAliveInterval"), 120);
  for (const std::string& key : kSettingKeys) {
    if (key == "maxStanzaSize" || key == "keepAliveInterval") continue;
    EXPECT_EQ(ToJson(*Member(after, key)), ToJson(*Member(before, key))) << key;
  }

  result = Cli(
      {"set-gateway-config", "--connection-limit", "50",
       "--partner-connection-limit", "5", "--stream-establishment-timeout",
       "30", "--stream-inactivity-timeout", "900",
       "--enable-logging-all-message-bodies", "true",
       "--enable-bidirectional-streams", "false", "--pass-thru", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  JsonValue printed;
  ASSERT_TRUE(ParseJson(result.out, &printed)) << result;
  EXPECT_EQ(Num(printed, "connectionLimit"), 50);
  EXPECT_EQ(Num(printed, "maxStanzaSize"), 524288);
  JsonValue expected = Config();
  EXPECT_EQ(ToJson(printed), ToJson(expected));
  EXPECT_EQ(Num(expected, "partnerConnectionLimit"), 5);
  EXPECT_EQ(Num(expected, "streamEstablishmentTimeout"), 30);
  EXPECT_EQ(Num(expected, "streamInactivityTimeout"), 900);
  EXPECT_EQ(GetBool(expected, "enableLoggingAllMessageBodies"), true);
  EXPECT_EQ(GetBool(expected, "enableBidirectionalStreams"), false);

  ASSERT_TRUE(agent_->Restart());
  EXPECT_EQ(ToJson(Config()), ToJson(expected));
}

TEST_F(GatewayConfigTest, ValuesOutOfRangeAreRefusedNamingTheField) {
  JsonValue before = Config();
  struct Case {
    std::string option, value, field;
  };
  const std::vector<Case> cases = {
      {"--connection-limit", "0", "connectionLimit"},
      {"--partner-connection-limit", "0", "partnerConnectionLimit"},
      {"--partner-connection-limit", "1001", "partnerConnectionLimit"},
      {"--keep-alive-interval", "0", "keepAliveInterval"},
      {"--stream-establishment-timeout", "0", "streamEstablishmentTimeout"},
      {"--stream-inactivity-timeout", "0", "streamInactivityTimeout"},
      {"--max-stanza-size", "0", "maxStanzaSize"},
      {"--max-stanza-size", "9999", "maxStanzaSize"},
  };
  for (const Case& c : cases) {
    CliResult result = Cli({"set-gateway-config", c.option, c.value});
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err, HasSubstr(c.field)) << result;
    EXPECT_THAT(result.err, HasSubstr(c.value)) << result;
  }
  // Not a number at all: a usage error.
  CliResult result = Cli({"set-gateway-config", "--max-stanza-size", "big"});
  EXPECT_EQ(result.exit_code, 2) << result;
  result = Cli({"set-gateway-config"});
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_EQ(ToJson(Config()), ToJson(before));
}

TEST_F(GatewayConfigTest, WhatIfWritesNothing) {
  JsonValue before = Config();
  CliResult result =
      Cli({"set-gateway-config", "--what-if", "--connection-limit", "500"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(ToJson(Config()), ToJson(before));
}

TEST_F(GatewayConfigTest, PassphraseFromStdinIsNeverShownOrLogged) {
  const std::string secret = "Tr0ub4dor-and-3-horses-stdin";
  CliResult result = Cli(
      {"set-gateway-config", "--dialback-passphrase-file", "-"}, secret + "\n");
  EXPECT_EQ(result.exit_code, 0) << result;
  ExpectSecretNowhere(secret, result);

  result = Cli({"set-gateway-config", "--dialback-passphrase-file", "-",
                "--pass-thru", "-o", "json"},
               secret + "-two\n");
  EXPECT_EQ(result.exit_code, 0) << result;
  JsonValue printed;
  EXPECT_TRUE(ParseJson(result.out, &printed)) << result;
  EXPECT_FALSE(Has(printed, "dialbackPassphrase")) << result;
  ExpectSecretNowhere(secret, result);
  ASSERT_TRUE(agent_->Restart());
  ExpectSecretNowhere(secret, result);
}

TEST_F(GatewayConfigTest, PassphraseFromFileIsNeverShownOrLogged) {
  const std::string secret = "passphrase-from-a-file-0123456789";
  std::string file = dir_.WriteFile("passphrase", secret + "\n");
  CliResult result =
      Cli({"set-gateway-config", "--dialback-passphrase-file", file});
  EXPECT_EQ(result.exit_code, 0) << result;
  ExpectSecretNowhere(secret, result);
}

TEST_F(GatewayConfigTest, PassphraseOptionIsNeverShownOrLogged) {
  const std::string secret = "correct-horse-battery-staple-option";
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{},
        std::vector<std::string>{"--pass-thru", "-o", "json"},
        std::vector<std::string>{"--pass-thru", "-o", "table"},
        std::vector<std::string>{"--what-if", "--pass-thru", "-o", "csv"}}) {
    std::vector<std::string> args = {"set-gateway-config",
                                     "--dialback-passphrase", secret};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 0) << result;
    ExpectSecretNowhere(secret, result);
  }
}

TEST_F(GatewayConfigTest, RefusedPassphraseIsNotEchoed) {
  const std::string secret = "short-Secret";  // under 16 characters
  CliResult result =
      Cli({"set-gateway-config", "--dialback-passphrase", secret});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("dialbackPassphrase")) << result;
  ExpectSecretNowhere(secret, result);

  result = Cli({"set-gateway-config", "--dialback-passphrase-file", "-"},
               secret + "\n");
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("dialbackPassphrase")) << result;
  ExpectSecretNowhere(secret, result);

  // Both forms at once is a usage error; the value is not echoed either.
  result =
      Cli({"set-gateway-config", "--dialback-passphrase",
           "a-long-enough-secret-value", "--dialback-passphrase-file", "-"},
          std::string("x\n"));
  EXPECT_EQ(result.exit_code, 2) << result;
  ExpectSecretNowhere("a-long-enough-secret-value", result);
}

}  // namespace
}  // namespace xmppfed::testing
