// The front end's command line: argv -> Invocation or a usage error (exit 2).
#include "cli/front/parse_invocation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "tests/unit/cli/parse_helpers.h"

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using testing::Ok;
using testing::Parse;
using testing::TestEnvironment;
using testing::UsageError;

TEST(ParseInvocationTest, GlobalOptionsBeforeTheVerb) {
  Invocation inv = Ok({"--socket", "/tmp/a.sock", "-o", "json", "--what-if",
                       "--quiet", "get-partner"});
  EXPECT_EQ(inv.verb, "get-partner");
  EXPECT_EQ(inv.global.socket_path, "/tmp/a.sock");
  EXPECT_EQ(inv.global.output, OutputFormat::kJson);
  EXPECT_TRUE(inv.global.what_if);
  EXPECT_TRUE(inv.global.quiet);
  EXPECT_FALSE(inv.global.force);
}

TEST(ParseInvocationTest, GlobalOptionsAfterTheVerb) {
  Invocation inv = Ok({"remove-partner", "a.com", "--force", "--output",
                       "ndjson", "--socket", "/tmp/b.sock"});
  EXPECT_EQ(inv.verb, "remove-partner");
  EXPECT_THAT(inv.identities, ElementsAre("a.com"));
  EXPECT_TRUE(inv.global.force);
  EXPECT_EQ(inv.global.output, OutputFormat::kNdjson);
  EXPECT_EQ(inv.global.socket_path, "/tmp/b.sock");
}

TEST(ParseInvocationTest, OutputFormats) {
  EXPECT_EQ(Ok({"get-agent"}).global.output, OutputFormat::kTable);
  EXPECT_EQ(Ok({"-o", "csv", "get-agent"}).global.output, OutputFormat::kCsv);
  EXPECT_EQ(Ok({"-o", "JSON", "get-agent"}).global.output, OutputFormat::kJson);
  EXPECT_THAT(UsageError({"-o", "yaml", "get-agent"}),
              HasSubstr("table, json, ndjson, csv or wide"));
}

TEST(ParseInvocationTest, EnumValuesAnyCaseBecomeTheSpecSpelling) {
  Invocation inv = Ok({"new-partner", "fabrikam.com", "--partner-type",
                       "publicverified", "--tls-negotiation", "OPTIONAL",
                       "--sasl-negotiation", "notSupported"});
  EXPECT_EQ(inv.partner.partner_type, "PublicVerified");
  EXPECT_EQ(inv.partner.tls_negotiation, "Optional");
  EXPECT_EQ(inv.partner.sasl_negotiation, "NotSupported");
}

TEST(ParseInvocationTest, UnknownEnumValueListsTheAcceptedOnes) {
  EXPECT_THAT(
      UsageError({"new-partner", "a.com", "--partner-type", "Friendly"}),
      HasSubstr("Federated, PublicVerified or PublicUnverified"));
  EXPECT_THAT(
      UsageError({"set-partner", "a.com", "--tls-negotiation", "maybe"}),
      HasSubstr("Required, Optional or NotSupported"));
  EXPECT_THAT(UsageError({"set-partner", "a.com", "--sasl-negotiation", ""}),
              HasSubstr("--sasl-negotiation"));
}

TEST(ParseInvocationTest, Booleans) {
  Invocation inv = Ok({"set-partner", "a.com", "--enable-keep-alive", "FALSE",
                       "--support-dialback-negotiation", "true"});
  EXPECT_EQ(inv.partner.enable_keep_alive, false);
  EXPECT_EQ(inv.partner.support_dialback_negotiation, true);
  EXPECT_THAT(
      UsageError({"set-partner", "a.com", "--enable-keep-alive", "yes"}),
      HasSubstr("use true or false"));
  EXPECT_EQ(
      Ok({"set-gateway-config", "--enable-logging-all-message-bodies", "True"})
          .gateway.enable_logging_all_message_bodies,
      true);
  EXPECT_EQ(
      Ok({"set-gateway-config", "--enable-bidirectional-streams", "false"})
          .gateway.enable_bidirectional_streams,
      false);
}

TEST(ParseInvocationTest, Numbers) {
  EXPECT_EQ(Ok({"set-partner", "a.com", "--connection-limit", "0"})
                .partner.connection_limit,
            0u);
  EXPECT_EQ(Ok({"set-gateway-config", "--max-stanza-size", "4294967295"})
                .gateway.max_stanza_size,
            4294967295u);
  EXPECT_EQ(Ok({"set-partner", "a.com", "--connection-limit", "100000"})
                .partner.connection_limit,
            100000u);
  UsageError({"set-partner", "a.com", "--connection-limit", "-1"});
  // The agent's range, not uint32's.
  EXPECT_THAT(
      UsageError({"set-partner", "a.com", "--connection-limit", "100001"}),
      HasSubstr("'100001' is not a whole number from 0 to 100000"));
  UsageError({"set-partner", "a.com", "--connection-limit", "4294967296"});
  UsageError({"set-partner", "a.com", "--connection-limit", "12x"});
  UsageError({"set-gateway-config", "--keep-alive-interval", ""});
}

TEST(ParseInvocationTest, ListsSplitOnCommasAndAccumulate) {
  Invocation inv = Ok({"set-partner", "a.com", "--add-additional-domains",
                       "b.com, c.com", "--add-additional-domains", "d.com",
                       "--remove-additional-domains", "e.com"});
  EXPECT_THAT(inv.partner.add_additional_domains,
              ElementsAre("b.com", "c.com", "d.com"));
  EXPECT_THAT(inv.partner.remove_additional_domains, ElementsAre("e.com"));
  EXPECT_FALSE(inv.partner.additional_domains.has_value());
}

TEST(ParseInvocationTest, ListOptionNeverSwallowsThePositional) {
  Invocation inv =
      Ok({"new-partner", "--additional-domains", "b.com", "a.com"});
  EXPECT_THAT(inv.identities, ElementsAre("a.com"));
  EXPECT_THAT(*inv.partner.additional_domains, ElementsAre("b.com"));
}

TEST(ParseInvocationTest, AnEmptyElementOfAListIsRefused) {
  for (const char* list : {"a.com,,b.com", "a.com,", ",a.com", " , "}) {
    EXPECT_THAT(
        UsageError({"new-partner", "x.com", "--additional-domains", list}),
        HasSubstr("has an empty domain between commas"))
        << list;
  }
  EXPECT_THAT(UsageError({"set-partner", "x.com", "--add-additional-domains",
                          "a.com,,b.com"}),
              HasSubstr("--add-additional-domains: 'a.com,,b.com'"));
}

TEST(ParseInvocationTest, EmptyIdentitiesFiltersAndPartnersAreRefused) {
  EXPECT_THAT(UsageError({"get-partner", ""}),
              HasSubstr("an empty IDENTITY names no partner"));
  UsageError({"get-partner", "--identity", ""});
  UsageError({"set-partner", "", "--description", "x"});
  UsageError({"remove-partner", "a.com", ""});
  UsageError({"test-partner", ""});
  EXPECT_THAT(UsageError({"get-partner", "--filter", ""}),
              HasSubstr("an empty GLOB matches nothing"));
  EXPECT_THAT(UsageError({"get-session", "--partner", ""}),
              HasSubstr("an empty IDENTITY names no partner"));
  UsageError({"remove-session", "--partner", ""});
}

TEST(ParseInvocationTest, TextThatIsNotUtf8IsRefusedNamingTheByte) {
  EXPECT_THAT(UsageError({"new-partner", "d.test", "--description",
                          "a\xff"
                          "b"}),
              HasSubstr("--description: not valid UTF-8 (byte 0xFF at "
                        "position 2)"));
  UsageError({"new-partner", "d\xc3.test"});
  UsageError({"new-partner", "d.test", "--proxy-fqdn", "x\x80.test"});
  UsageError({"new-partner", "d.test", "--additional-domains", "\xfe.test"});
  UsageError({"get-partner", "--filter", "\xc0*"});
  UsageError({"set-gateway-config", "--dialback-passphrase", "\xff"});
  EXPECT_EQ(Ok({"new-partner", "d.test", "--description", "caf\xc3\xa9"})
                .partner.description,
            "caf\xc3\xa9");
}

TEST(ParseInvocationTest, EmptyListArgumentClearsTheList) {
  Invocation inv = Ok({"set-partner", "a.com", "--additional-domains", ""});
  ASSERT_TRUE(inv.partner.additional_domains.has_value());
  EXPECT_THAT(*inv.partner.additional_domains, IsEmpty());
}

TEST(ParseInvocationTest, IdentityOptionIsTheSameAsThePositional) {
  Invocation positional = Ok({"new-partner", "a.com"});
  Invocation option = Ok({"new-partner", "--identity", "a.com"});
  EXPECT_EQ(positional.identities, option.identities);
  EXPECT_THAT(Ok({"get-partner", "--identity", "a.com"}).identities,
              ElementsAre("a.com"));
}

TEST(ParseInvocationTest, NewAndSetPartnerNeedExactlyOneIdentity) {
  EXPECT_THAT(UsageError({"new-partner"}), HasSubstr("IDENTITY"));
  EXPECT_THAT(UsageError({"new-partner", "a.com", "--identity", "b.com"}),
              HasSubstr("exactly one"));
  UsageError({"set-partner", "--description", "x"});
}

TEST(ParseInvocationTest, SetPartnerWithoutAnyOptionIsAUsageError) {
  EXPECT_THAT(UsageError({"set-partner", "a.com"}),
              HasSubstr("nothing to change"));
  EXPECT_THAT(UsageError({"set-partner", "a.com", "--pass-thru"}),
              HasSubstr("nothing to change"));
}

TEST(ParseInvocationTest, SetPartnerCarriesOnlyTheGivenFields) {
  Invocation inv =
      Ok({"set-partner", "a.com", "--description", "", "--pass-thru"});
  EXPECT_EQ(inv.partner.description, "");
  EXPECT_TRUE(inv.pass_thru);
  EXPECT_FALSE(inv.partner.partner_type.has_value());
  EXPECT_FALSE(inv.partner.proxy_fqdn.has_value());
  EXPECT_FALSE(inv.partner.connection_limit.has_value());
}

TEST(ParseInvocationTest, NewPartnerHasNoListEditsOrPassThru) {
  UsageError({"new-partner", "a.com", "--add-additional-domains", "b.com"});
  UsageError({"new-partner", "a.com", "--pass-thru"});
}

TEST(ParseInvocationTest, GetPartnerTakesAnIdentityOrAFilter) {
  EXPECT_EQ(Ok({"get-partner", "--filter", "*.com"}).filter, "*.com");
  EXPECT_THAT(Ok({"get-partner"}).identities, IsEmpty());
  UsageError({"get-partner", "a.com", "--filter", "*.com"});
  UsageError({"get-partner", "a.com", "b.com"});
}

TEST(ParseInvocationTest, RemovePartnerTakesIdentitiesOrAFilter) {
  EXPECT_THAT(Ok({"remove-partner", "a.com", "b.com"}).identities,
              ElementsAre("a.com", "b.com"));
  EXPECT_EQ(Ok({"remove-partner", "--filter", "*.org"}).filter, "*.org");
  UsageError({"remove-partner"});
  UsageError({"remove-partner", "a.com", "--filter", "*"});
}

TEST(ParseInvocationTest, DashReadsTheTargetsOfFourVerbsFromStdin) {
  Invocation set = Ok({"set-partner", "-", "--tls-negotiation", "required"});
  EXPECT_TRUE(TargetsFromStdin(set));
  EXPECT_EQ(set.partner.tls_negotiation, "Required");
  EXPECT_FALSE(set.pipeline.from_input);
  EXPECT_TRUE(TargetsFromStdin(Ok({"remove-partner", "-", "--force"})));
  EXPECT_TRUE(TargetsFromStdin(Ok({"get-partner", "--identity", "-"})));
  EXPECT_TRUE(TargetsFromStdin(Ok({"test-partner", "-", "--timeout", "5"})));
  EXPECT_FALSE(TargetsFromStdin(Ok({"remove-partner", "a.com"})));
  EXPECT_THAT(UsageError({"remove-partner", "-", "a.com"}),
              HasSubstr("- reads the targets from stdin"));
  UsageError({"set-partner", "a.com", "-", "--description", "x"});
  UsageError({"remove-partner", "-", "--filter", "*"});
  UsageError({"get-partner", "-", "--filter", "*"});
}

TEST(ParseInvocationTest, FromInputAndAtomicNeedTheTargetsOnStdin) {
  Invocation from_input = Ok({"set-partner", "-", "--from-input"});
  EXPECT_TRUE(from_input.pipeline.from_input);
  EXPECT_TRUE(from_input.partner.Empty());
  EXPECT_TRUE(Ok({"remove-partner", "-", "--atomic"}).pipeline.atomic);
  EXPECT_TRUE(Ok({"set-partner", "-", "--atomic", "--description", "x"})
                  .pipeline.atomic);
  EXPECT_THAT(UsageError({"set-partner", "a.com", "--from-input"}),
              HasSubstr("--from-input applies to targets read from stdin"));
  EXPECT_THAT(UsageError({"remove-partner", "a.com", "--atomic"}),
              HasSubstr("--atomic applies"));
  EXPECT_THAT(UsageError({"set-partner", "-"}), HasSubstr("nothing to change"));
  UsageError({"get-partner", "-", "--atomic"});
  UsageError({"test-partner", "-", "--from-input"});
}

TEST(ParseInvocationTest, GatewaySettings) {
  Invocation inv = Ok({"set-gateway-config", "--connection-limit", "10",
                       "--dialback-passphrase-file", "-", "--pass-thru"});
  EXPECT_EQ(inv.gateway.connection_limit, 10u);
  EXPECT_EQ(inv.gateway.dialback_passphrase_file, "-");
  EXPECT_FALSE(inv.gateway.dialback_passphrase.has_value());
  EXPECT_TRUE(inv.pass_thru);
  EXPECT_THAT(UsageError({"set-gateway-config"}),
              HasSubstr("nothing to change"));
  UsageError({"set-gateway-config", "--dialback-passphrase", "a",
              "--dialback-passphrase-file", "f"});
}

TEST(ParseInvocationTest, UsageErrors) {
  EXPECT_THAT(UsageError({}), HasSubstr("no verb"));
  EXPECT_THAT(UsageError({"frobnicate"}), HasSubstr("frobnicate"));
  EXPECT_THAT(UsageError({"get-agent", "--bogus"}), HasSubstr("--bogus"));
  EXPECT_THAT(UsageError({"new-partner", "a.com", "--description"}),
              HasSubstr("--description"));
  UsageError(
      {"new-partner", "a.com", "--description", "x", "--description", "y"});
  EXPECT_THAT(UsageError({"--force", "--confirm", "remove-partner", "a"}),
              HasSubstr("contradict"));
  // The hint names the verb's own help.
  EXPECT_THAT(UsageError({"get-agent", "--bogus"}),
              HasSubstr("xmppfed get-agent --help"));
}

TEST(ParseInvocationTest, HelpIsExitZeroOnStdout) {
  for (ParseResult result : {Parse({"--help"}), Parse({"set-partner", "-h"}),
                             Parse({"get-partner", "a.com", "--help"})}) {
    EXPECT_FALSE(result.invocation.has_value());
    EXPECT_EQ(result.exit_code, kExitOk);
    EXPECT_THAT(result.out, HasSubstr("Usage:"));
    EXPECT_THAT(result.err, IsEmpty());
  }
  EXPECT_THAT(Parse({"set-partner", "--help"}).out,
              HasSubstr("--add-additional-domains"));
}

TEST(ParseInvocationTest, VersionVerbAndFlag) {
  EXPECT_EQ(Ok({"version"}).verb, "version");
  EXPECT_EQ(Ok({"--version"}).verb, "version");
}

TEST(ParseInvocationTest, SocketFromEnvironmentWhenNoFlag) {
  SocketEnvironment env = TestEnvironment();
  env.xmppfed_socket = "/srv/agent.sock";
  const char* argv[] = {"xmppfed", "get-agent"};
  ParseResult result = ParseInvocation(2, argv, env);
  ASSERT_TRUE(result.invocation.has_value());
  EXPECT_EQ(result.invocation->global.socket_path, "/srv/agent.sock");
  EXPECT_EQ(Ok({"get-agent"}).global.socket_path,
            "/run/user/1000/xmppfed/agent.sock");
}

}  // namespace
}  // namespace xmppfed::cli
