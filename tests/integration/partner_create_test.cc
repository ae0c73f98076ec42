// new-partner through the real CLI and agent: the printed object and its
// defaults, every option, enum spellings, domain normalisation and rules,
// the negotiation table, domain ownership, local domains, usage errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr char kDialbackWarning[] =
    "Dialback will not operate if both SASL and TLS are required.";
constexpr char kOptionalTlsWarning[] =
    "SASL requires TLS. Allowing TLS to be optional may result in failed "
    "session negotiations.";
constexpr char kNoAuthRule[] = "SASL or Dialback must be enabled.";
constexpr char kSaslNeedsTlsRule[] =
    "SASL requires TLS. Set TLS to Required or Optional, or set SASL to "
    "NotSupported.";

const std::vector<std::string> kPartnerKeys = {
    "additionalDomains", "connectionLimit", "createdAt",
    "description",       "enableKeepAlive", "identity",
    "modifiedAt",        "partnerType",     "proxyFqdn",
    "revision",          "saslNegotiation", "supportDialbackNegotiation",
    "tlsNegotiation"};

class PartnerCreateTest : public AgentTest {};
class PartnerLocalDomainTest : public AgentWithDomainTest {};

// Options that make a partner valid without a warning.
const std::vector<std::string> kQuiet = {"--sasl-negotiation", "Optional"};

TEST_F(PartnerCreateTest, NewPartnerPrintsOneObjectWithTheSpecKeysAndDefaults) {
  CliResult result = Cli({"new-partner", "fabrikam.com", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  // The defaults' row warns, but not about values nobody gave.
  EXPECT_EQ(result.err, "") << result;
  JsonValue partner;
  ASSERT_TRUE(ParseJson(result.out, &partner));
  ASSERT_TRUE(IsObject(partner)) << result;
  EXPECT_EQ(Keys(partner), kPartnerKeys) << result;
  EXPECT_EQ(GetString(partner, "identity"), "fabrikam.com");
  EXPECT_EQ(GetString(partner, "description"), "");
  EXPECT_EQ(GetStringList(partner, "additionalDomains"),
            std::vector<std::string>{});
  EXPECT_EQ(GetString(partner, "partnerType"), "PublicUnverified");
  EXPECT_EQ(GetString(partner, "tlsNegotiation"), "Required");
  EXPECT_EQ(GetString(partner, "saslNegotiation"), "Required");
  EXPECT_EQ(GetBool(partner, "supportDialbackNegotiation"), true);
  EXPECT_EQ(GetString(partner, "proxyFqdn"), "");
  EXPECT_EQ(GetBool(partner, "enableKeepAlive"), true);
  EXPECT_EQ(GetNumber(partner, "connectionLimit"), 0) << result;
  EXPECT_EQ(GetNumber(partner, "revision"), 1) << result;
  EXPECT_THAT(Str(partner, "createdAt"), Not("")) << result;
  EXPECT_THAT(Str(partner, "modifiedAt"), Not("")) << result;

  // Stored as printed.
  JsonValue stored = StoredPartner("fabrikam.com");
  EXPECT_EQ(ToJson(stored), ToJson(partner));
  EXPECT_FALSE(Has(partner, "status")) << "a write prints no status";
}

TEST_F(PartnerCreateTest, EveryOptionRoundTrips) {
  CliResult result = Cli({"new-partner",
                          "fabrikam.com",
                          "--description",
                          "Fabrikam, Inc.",
                          "--additional-domains",
                          "chat.fabrikam.com,im.fabrikam.com",
                          "--partner-type",
                          "Federated",
                          "--tls-negotiation",
                          "Optional",
                          "--sasl-negotiation",
                          "NotSupported",
                          "--support-dialback-negotiation",
                          "true",
                          "--proxy-fqdn",
                          "proxy.fabrikam.com:5270",
                          "--enable-keep-alive",
                          "false",
                          "--connection-limit",
                          "7",
                          "-o",
                          "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.err, "") << result;  // an "ok" row: no warning
  JsonValue printed;
  ASSERT_TRUE(ParseJson(result.out, &printed));
  for (const JsonValue& partner : {printed, GetPartner("fabrikam.com")}) {
    EXPECT_EQ(Str(partner, "description"), "Fabrikam, Inc.");
    EXPECT_THAT(StrList(partner, "additionalDomains"),
                UnorderedElementsAre("chat.fabrikam.com", "im.fabrikam.com"));
    EXPECT_EQ(Str(partner, "partnerType"), "Federated");
    EXPECT_EQ(Str(partner, "tlsNegotiation"), "Optional");
    EXPECT_EQ(Str(partner, "saslNegotiation"), "NotSupported");
    EXPECT_EQ(GetBool(partner, "supportDialbackNegotiation"), true);
    EXPECT_EQ(Str(partner, "proxyFqdn"), "proxy.fabrikam.com:5270");
    EXPECT_EQ(GetBool(partner, "enableKeepAlive"), false);
    EXPECT_EQ(GetNumber(partner, "connectionLimit"), 7);
    EXPECT_EQ(GetNumber(partner, "revision"), 1);
  }
}

TEST_F(PartnerCreateTest, IdentityOptionWorksLikeThePositional) {
  CliResult result = Cli({"new-partner", "--identity", "contoso.com",
                          "--sasl-negotiation", "Optional", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue partner;
  ASSERT_TRUE(ParseJson(result.out, &partner));
  EXPECT_EQ(Str(partner, "identity"), "contoso.com");
  EXPECT_EQ(Identities(), std::vector<std::string>{"contoso.com"});
}

TEST_F(PartnerCreateTest,
       EnumValuesAreCaseInsensitiveAndPrintedInSpecSpelling) {
  struct Case {
    std::string identity, type, tls, sasl, want_type, want_tls, want_sasl;
  };
  const std::vector<Case> cases = {
      {"a.example", "federated", "REQUIRED", "optional", "Federated",
       "Required", "Optional"},
      {"b.example", "PUBLICVERIFIED", "required", "notsupported",
       "PublicVerified", "Required", "NotSupported"},
      {"c.example", "publicUnverified", "notSupported", "NOTSUPPORTED",
       "PublicUnverified", "NotSupported", "NotSupported"},
      {"d.example", "Federated", "oPtIoNaL", "NotSupported", "Federated",
       "Optional", "NotSupported"},
  };
  for (const Case& c : cases) {
    CliResult result = Cli({"new-partner", c.identity, "--partner-type", c.type,
                            "--tls-negotiation", c.tls, "--sasl-negotiation",
                            c.sasl, "-o", "json"});
    ASSERT_EQ(result.exit_code, 0) << result;
    JsonValue printed;
    ASSERT_TRUE(ParseJson(result.out, &printed)) << result;
    for (const JsonValue& partner : {printed, GetPartner(c.identity)}) {
      EXPECT_EQ(Str(partner, "partnerType"), c.want_type) << result;
      EXPECT_EQ(Str(partner, "tlsNegotiation"), c.want_tls) << result;
      EXPECT_EQ(Str(partner, "saslNegotiation"), c.want_sasl) << result;
    }
  }
}

TEST_F(PartnerCreateTest, DomainsAreNormalised) {
  CliResult result =
      Cli({"new-partner", "bücher.example", "--additional-domains",
           "Chat.Bücher.Example.,IM.Example.ORG.", "--sasl-negotiation",
           "Optional", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue partner;
  ASSERT_TRUE(ParseJson(result.out, &partner));
  EXPECT_EQ(Str(partner, "identity"), "xn--bcher-kva.example");
  EXPECT_THAT(
      StrList(partner, "additionalDomains"),
      UnorderedElementsAre("chat.xn--bcher-kva.example", "im.example.org"));
  // Found under either form.
  EXPECT_EQ(Str(GetPartner("bücher.example"), "identity"),
            "xn--bcher-kva.example");
  EXPECT_EQ(Str(GetPartner("XN--BCHER-KVA.Example."), "identity"),
            "xn--bcher-kva.example");

  NewPartner("Fabrikam.COM.", kQuiet);
  EXPECT_EQ(Identities(), (std::vector<std::string>{"fabrikam.com",
                                                    "xn--bcher-kva.example"}));
}

struct NegotiationRow {
  const char* tls;
  const char* sasl;
  const char* dialback;
  // nullptr: ok; else the warning (exit 0) or refusal text (exit 1).
  const char* warning;
  const char* refusal;
};

const NegotiationRow kTable[] = {
    {"Required", "Required", "true", kDialbackWarning, nullptr},
    {"Required", "Required", "false", nullptr, nullptr},
    {"Required", "Optional", "true", nullptr, nullptr},
    {"Required", "Optional", "false", nullptr, nullptr},
    {"Required", "NotSupported", "true", nullptr, nullptr},
    {"Required", "NotSupported", "false", nullptr, kNoAuthRule},
    {"Optional", "Required", "true", kOptionalTlsWarning, nullptr},
    {"Optional", "Required", "false", kOptionalTlsWarning, nullptr},
    {"Optional", "Optional", "true", kOptionalTlsWarning, nullptr},
    {"Optional", "Optional", "false", kOptionalTlsWarning, nullptr},
    {"Optional", "NotSupported", "true", nullptr, nullptr},
    {"Optional", "NotSupported", "false", nullptr, kNoAuthRule},
    {"NotSupported", "Required", "true", nullptr, kSaslNeedsTlsRule},
    {"NotSupported", "Required", "false", nullptr, kSaslNeedsTlsRule},
    {"NotSupported", "Optional", "true", nullptr, kSaslNeedsTlsRule},
    {"NotSupported", "Optional", "false", nullptr, kSaslNeedsTlsRule},
    {"NotSupported", "NotSupported", "true", nullptr, nullptr},
    {"NotSupported", "NotSupported", "false", nullptr, kNoAuthRule},
};

TEST_F(PartnerCreateTest, NegotiationTableOnCreate) {
  int index = 0;
  for (const NegotiationRow& row : kTable) {
    std::string identity = "row" + std::to_string(index++) + ".example";
    CliResult result =
        Cli({"new-partner", identity, "--tls-negotiation", row.tls,
             "--sasl-negotiation", row.sasl, "--support-dialback-negotiation",
             row.dialback, "-o", "json"});
    SCOPED_TRACE(std::string(row.tls) + "/" + row.sasl + "/" + row.dialback);
    if (row.refusal != nullptr) {
      EXPECT_EQ(result.exit_code, 1) << result;
      EXPECT_THAT(result.err, HasSubstr(row.refusal)) << result;
      EXPECT_EQ(result.out, "") << result;
      EXPECT_TRUE(PartnerMissing(identity)) << "a refused row was saved";
      continue;
    }
    EXPECT_EQ(result.exit_code, 0) << result;
    if (row.warning != nullptr) {
      EXPECT_THAT(result.err, HasSubstr(row.warning)) << result;
    } else {
      EXPECT_THAT(result.err, Not(HasSubstr(kDialbackWarning))) << result;
      EXPECT_THAT(result.err, Not(HasSubstr("SASL requires TLS"))) << result;
    }
    JsonValue partner = GetPartner(identity);
    EXPECT_EQ(Str(partner, "tlsNegotiation"), row.tls);
    EXPECT_EQ(Str(partner, "saslNegotiation"), row.sasl);
    EXPECT_EQ(GetBool(partner, "supportDialbackNegotiation"),
              std::string(row.dialback) == "true");
  }
}

TEST_F(PartnerCreateTest, WarningGoesToStderrAlsoInTableOutput) {
  CliResult result =
      Cli({"new-partner", "fabrikam.com", "--sasl-negotiation", "Required"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, HasSubstr(kDialbackWarning)) << result;
  EXPECT_THAT(result.out, Not(HasSubstr(kDialbackWarning))) << result;
}

TEST_F(PartnerCreateTest, DefaultsAloneAreNotWarnedAbout) {
  CliResult created = Cli({"new-partner", "fabrikam.com"});
  EXPECT_EQ(created.exit_code, 0) << created;
  EXPECT_EQ(created.err, "") << created;
  CliResult changed =
      Cli({"set-partner", "fabrikam.com", "--description", "Fabrikam"});
  EXPECT_EQ(changed.exit_code, 0) << changed;
  EXPECT_EQ(changed.err, "") << changed;
}

TEST_F(PartnerCreateTest, DomainOwnedByAnotherPartnerIsRefusedNamingTheOwner) {
  NewPartner("fabrikam.com", {"--additional-domains", "chat.fabrikam.com",
                              "--sasl-negotiation", "Optional"});
  struct Attempt {
    std::vector<std::string> args;
    std::string missing;  // must not exist afterwards
  };
  const std::vector<Attempt> attempts = {
      {{"new-partner", "FABRIKAM.com."}, ""},
      {{"new-partner", "chat.fabrikam.com"}, "chat.fabrikam.com"},
      {{"new-partner", "contoso.com", "--additional-domains",
        "chat.fabrikam.com"},
       "contoso.com"},
      {{"new-partner", "contoso.com", "--additional-domains", "fabrikam.com"},
       "contoso.com"},
  };
  for (const Attempt& attempt : attempts) {
    std::vector<std::string> args = attempt.args;
    args.insert(args.end(), kQuiet.begin(), kQuiet.end());
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err, HasSubstr("fabrikam.com")) << result;
    if (!attempt.missing.empty()) {
      EXPECT_TRUE(PartnerMissing(attempt.missing)) << result;
    }
  }
  EXPECT_EQ(Identities(), std::vector<std::string>{"fabrikam.com"});
  EXPECT_EQ(Num(GetPartner("fabrikam.com"), "revision"), 1);

  // The owner is named for an additional domain too.
  CliResult result =
      Cli({"new-partner", "contoso.com", "--additional-domains",
           "Chat.Fabrikam.Com", "--sasl-negotiation", "Optional"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("additionalDomains")) << result;
  EXPECT_THAT(result.err, HasSubstr("chat.fabrikam.com")) << result;
  EXPECT_THAT(result.err, HasSubstr("fabrikam.com")) << result;
}

TEST_F(PartnerLocalDomainTest, LocalDomainCannotBeAPartner) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"new-partner", "example.test"},
        std::vector<std::string>{"new-partner", "Example.TEST."},
        std::vector<std::string>{"new-partner", "fabrikam.com",
                                 "--additional-domains",
                                 "chat.fabrikam.com,chat.example.test"}}) {
    std::vector<std::string> full = args;
    full.insert(full.end(), kQuiet.begin(), kQuiet.end());
    CliResult result = Cli(full);
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err, HasSubstr("example.test")) << result;
  }
  EXPECT_EQ(Identities(), std::vector<std::string>{});
}

TEST_F(PartnerCreateTest, InvalidDomainsAreRefusedNamingFieldAndValue) {
  const std::string long_label(64, 'a');
  struct Case {
    std::vector<std::string> args;
    std::string field, value;
  };
  const std::vector<Case> cases = {
      {{"new-partner", "192.0.2.1"}, "identity", "192.0.2.1"},
      {{"new-partner", "[2001:db8::1]"}, "identity", "2001:db8::1"},
      {{"new-partner", "*.fabrikam.com"}, "identity", "*.fabrikam.com"},
      {{"new-partner", long_label + ".example"}, "identity", long_label},
      {{"new-partner", "localhost"}, "identity", "localhost"},
      {{"new-partner", "--identity=-bad.example"}, "identity", "-bad.example"},
      {{"new-partner", "bad-.example"}, "identity", "bad-.example"},
      {{"new-partner", "bad_name.example"}, "identity", "bad_name.example"},
      {{"new-partner", "fabrikam.com", "--additional-domains", "192.0.2.7"},
       "additionalDomains",
       "192.0.2.7"},
      {{"new-partner", "fabrikam.com", "--additional-domains",
        "a.*.fabrikam.com"},
       "additionalDomains",
       "a.*.fabrikam.com"},
      {{"new-partner", "fabrikam.com", "--proxy-fqdn",
        "proxy.fabrikam.com:99999"},
       "proxyFqdn",
       "99999"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), kQuiet.begin(), kQuiet.end());
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err, HasSubstr(c.field)) << result;
    EXPECT_THAT(result.err, HasSubstr(c.value)) << result;
    EXPECT_EQ(result.out, "") << result;
  }
  // A name longer than 253 octets (labels fine).
  std::string too_long;
  while (too_long.size() < 260) too_long += std::string(40, 'b') + ".";
  too_long += "example";
  CliResult result =
      Cli({"new-partner", too_long, "--sasl-negotiation", "Optional"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("identity")) << result;
  EXPECT_EQ(Identities(), std::vector<std::string>{});
}

TEST_F(PartnerCreateTest, DescriptionRules) {
  CliResult result =
      Cli({"new-partner", "fabrikam.com", "--description",
           std::string(1025, 'x'), "--sasl-negotiation", "Optional"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("description")) << result;
  result = Cli({"new-partner", "fabrikam.com", "--description",
                "line one\nline two", "--sasl-negotiation", "Optional"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("description")) << result;
  EXPECT_TRUE(PartnerMissing("fabrikam.com"));

  NewPartner("fabrikam.com", {"--description", std::string(1024, 'y'),
                              "--sasl-negotiation", "Optional"});
  EXPECT_EQ(Str(GetPartner("fabrikam.com"), "description"),
            std::string(1024, 'y'));
}

TEST_F(PartnerCreateTest, UsageErrorsExit2AndSendNothing) {
  const std::vector<std::vector<std::string>> cases = {
      {"new-partner", "fabrikam.com", "--no-such-option"},
      {"new-partner", "fabrikam.com", "--partner-type", "Trusted"},
      {"new-partner", "fabrikam.com", "--tls-negotiation", "Sometimes"},
      {"new-partner", "fabrikam.com", "--sasl-negotiation", "yes"},
      {"new-partner", "fabrikam.com", "--support-dialback-negotiation",
       "maybe"},
      {"new-partner", "fabrikam.com", "--connection-limit", "many"},
      {"new-partner"},
      {"no-such-verb"},
      {"get-partner", "-o", "xml"},
  };
  for (const std::vector<std::string>& args : cases) {
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 2) << result;
    EXPECT_THAT(result.err, Not("")) << result;
  }
  EXPECT_EQ(Identities(), std::vector<std::string>{});
}

TEST_F(PartnerCreateTest, WhatIfOnNewPartnerWritesNothing) {
  CliResult result = Cli({"new-partner", "fabrikam.com", "--what-if",
                          "--sasl-negotiation", "Optional"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_TRUE(PartnerMissing("fabrikam.com"));
  // A refused what-if is still refused.
  result = Cli({"new-partner", "fabrikam.com", "--what-if", "--tls-negotiation",
                "NotSupported"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr(kSaslNeedsTlsRule)) << result;
  EXPECT_EQ(Num(CliJson({"get-agent"}), "partnerCount"), 0);
}

}  // namespace
}  // namespace xmppfed::testing
