// set-partner and remove-partner through the real CLI and agent: partial
// updates, revisions, list edits, --pass-thru, --what-if, confirmation
// without a terminal, all-or-nothing removal, filters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class PartnerEditTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    if (HasFatalFailure()) return;
    NewPartner(
        "fabrikam.com",
        {"--description", "Fabrikam", "--additional-domains",
         "chat.fabrikam.com,im.fabrikam.com", "--partner-type", "Federated",
         "--tls-negotiation", "Required", "--sasl-negotiation", "Optional",
         "--support-dialback-negotiation", "true", "--proxy-fqdn",
         "proxy.fabrikam.com", "--enable-keep-alive", "false",
         "--connection-limit", "5"});
    original_ = GetPartner("fabrikam.com");
  }

  // `partner` equals original_ except for the listed keys (and the
  // bookkeeping keys revision and modifiedAt).
  void ExpectUnchangedExcept(const JsonValue& partner,
                             std::vector<std::string> changed) {
    changed.push_back("revision");
    changed.push_back("modifiedAt");
    EXPECT_EQ(Keys(partner), Keys(original_));
    for (const std::string& key : Keys(original_)) {
      if (std::find(changed.begin(), changed.end(), key) != changed.end()) {
        continue;
      }
      EXPECT_EQ(ToJson(*Member(partner, key)), ToJson(*Member(original_, key)))
          << key;
    }
  }

  JsonValue original_;
};

TEST_F(PartnerEditTest, SetChangesOnlyTheGivenOptionsAndBumpsTheRevision) {
  ASSERT_EQ(Num(original_, "revision"), 1);
  CliResult result =
      Cli({"set-partner", "fabrikam.com", "--description", "Fabrikam Ltd"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "") << result;  // no --pass-thru: nothing printed
  JsonValue partner = GetPartner("fabrikam.com");
  EXPECT_EQ(Str(partner, "description"), "Fabrikam Ltd");
  EXPECT_EQ(Num(partner, "revision"), 2);
  EXPECT_EQ(Str(partner, "createdAt"), Str(original_, "createdAt"));
  ExpectUnchangedExcept(partner, {"description"});

  result =
      Cli({"set-partner", "FABRIKAM.COM.", "--connection-limit", "9",
           "--partner-type", "publicverified", "--enable-keep-alive", "true"});
  EXPECT_EQ(result.exit_code, 0) << result;
  partner = GetPartner("fabrikam.com");
  EXPECT_EQ(Num(partner, "revision"), 3);
  EXPECT_EQ(Num(partner, "connectionLimit"), 9);
  EXPECT_EQ(Str(partner, "partnerType"), "PublicVerified");
  EXPECT_EQ(GetBool(partner, "enableKeepAlive"), true);
  ExpectUnchangedExcept(partner, {"description", "connectionLimit",
                                  "partnerType", "enableKeepAlive"});

  result = Cli({"set-partner", "fabrikam.com", "--proxy-fqdn", "",
                "--tls-negotiation", "Optional", "--sasl-negotiation",
                "NotSupported"});
  EXPECT_EQ(result.exit_code, 0) << result;
  partner = GetPartner("fabrikam.com");
  EXPECT_EQ(Num(partner, "revision"), 4);
  EXPECT_EQ(Str(partner, "proxyFqdn"), "");
  EXPECT_EQ(Str(partner, "tlsNegotiation"), "Optional");
  EXPECT_EQ(Str(partner, "saslNegotiation"), "NotSupported");
}

TEST_F(PartnerEditTest, PassThruPrintsTheResult) {
  CliResult result = Cli({"set-partner", "fabrikam.com", "--description", "New",
                          "--pass-thru", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue printed;
  ASSERT_TRUE(ParseJson(result.out, &printed)) << result;
  ASSERT_TRUE(IsObject(printed)) << result;
  EXPECT_EQ(Str(printed, "identity"), "fabrikam.com");
  EXPECT_EQ(Str(printed, "description"), "New");
  EXPECT_EQ(Num(printed, "revision"), 2);
  EXPECT_EQ(ToJson(printed), ToJson(StoredPartner("fabrikam.com")));
}

TEST_F(PartnerEditTest, AdditionalDomainListEdits) {
  CliResult result =
      Cli({"set-partner", "fabrikam.com", "--add-additional-domains",
           "xmpp.fabrikam.com,IM2.Fabrikam.com"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(StrList(GetPartner("fabrikam.com"), "additionalDomains"),
              UnorderedElementsAre("chat.fabrikam.com", "im.fabrikam.com",
                                   "xmpp.fabrikam.com", "im2.fabrikam.com"));

  result = Cli({"set-partner", "fabrikam.com", "--remove-additional-domains",
                "chat.fabrikam.com", "--remove-additional-domains",
                "IM.fabrikam.com"});
  EXPECT_EQ(result.exit_code, 0) << result;
  JsonValue partner = GetPartner("fabrikam.com");
  EXPECT_THAT(StrList(partner, "additionalDomains"),
              UnorderedElementsAre("xmpp.fabrikam.com", "im2.fabrikam.com"));
  EXPECT_EQ(Num(partner, "revision"), 3);
  ExpectUnchangedExcept(partner, {"additionalDomains"});

  // A removed domain is free for another partner.
  NewPartner("contoso.com", {"--additional-domains", "chat.fabrikam.com",
                             "--sasl-negotiation", "Optional"});

  // Replacing the whole list, then clearing it.
  result = Cli({"set-partner", "fabrikam.com", "--additional-domains",
                "a.fabrikam.com"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(StrList(GetPartner("fabrikam.com"), "additionalDomains"),
              ElementsAre("a.fabrikam.com"));
  result = Cli({"set-partner", "fabrikam.com", "--additional-domains", ""});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(StrList(GetPartner("fabrikam.com"), "additionalDomains"),
              IsEmpty());

  // Adding a domain another partner owns: refused, naming the owner.
  result = Cli({"set-partner", "fabrikam.com", "--add-additional-domains",
                "chat.fabrikam.com"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("contoso.com")) << result;
  EXPECT_THAT(StrList(GetPartner("fabrikam.com"), "additionalDomains"),
              IsEmpty());
}

TEST_F(PartnerEditTest, InvalidCombinationOnSetIsRefusedAndNothingChanges) {
  CliResult result =
      Cli({"set-partner", "fabrikam.com", "--tls-negotiation", "NotSupported"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err,
              HasSubstr("SASL requires TLS. Set TLS to Required or Optional, "
                        "or set SASL to NotSupported."))
      << result;
  // SPEC §5: the error names the field, the value and the rule.
  EXPECT_THAT(result.err, HasSubstr("saslNegotiation=Optional")) << result;
  EXPECT_THAT(result.err, HasSubstr("fabrikam.com")) << result;

  result = Cli({"set-partner", "fabrikam.com", "--sasl-negotiation",
                "NotSupported", "--support-dialback-negotiation", "false"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("SASL or Dialback must be enabled."))
      << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));
}

TEST_F(PartnerEditTest, WarningRowOnSetIsSavedWithTheWarning) {
  CliResult result =
      Cli({"set-partner", "fabrikam.com", "--sasl-negotiation", "Required"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.err,
              HasSubstr("Dialback will not operate if both SASL and TLS are "
                        "required."))
      << result;
  EXPECT_EQ(Str(GetPartner("fabrikam.com"), "saslNegotiation"), "Required");
}

TEST_F(PartnerEditTest, SetUnknownPartnerExits3) {
  CliResult result = Cli({"set-partner", "unknown.test", "--description", "x"});
  EXPECT_EQ(result.exit_code, 3) << result;
  EXPECT_THAT(result.err, HasSubstr("unknown.test")) << result;
  EXPECT_TRUE(PartnerMissing("unknown.test"));
}

TEST_F(PartnerEditTest, WhatIfOnSetAndRemoveWritesNothing) {
  CliResult result =
      Cli({"set-partner", "fabrikam.com", "--what-if", "--description",
           "Changed", "--connection-limit", "99"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));

  result = Cli({"remove-partner", "fabrikam.com", "--what-if", "--force"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));

  // What-if changes nothing, so it needs no confirmation either.
  result = Cli({"--what-if", "remove-partner", "fabrikam.com"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));

  // What-if on an unknown partner still reports "not found".
  result = Cli({"remove-partner", "--force", "--what-if", "unknown.test"});
  EXPECT_EQ(result.exit_code, 3) << result;
}

TEST_F(PartnerEditTest, RemoveWithoutTerminalOrForceExits5) {
  CliResult result = Cli({"remove-partner", "fabrikam.com"});
  EXPECT_EQ(result.exit_code, 5) << result;
  EXPECT_THAT(result.err, HasSubstr("--force")) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));
  // Also with a filter, and with text on stdin (still no terminal).
  result = Cli({"remove-partner", "--filter", "*"}, std::string("y\n"));
  EXPECT_EQ(result.exit_code, 5) << result;
  EXPECT_THAT(result.err, HasSubstr("--force")) << result;
  EXPECT_EQ(Identities(), std::vector<std::string>{"fabrikam.com"});
}

TEST_F(PartnerEditTest, RemoveForceRemovesEveryNamedPartner) {
  NewPartner("contoso.com", {"--sasl-negotiation", "Optional"});
  NewPartner("tailspintoys.com", {"--sasl-negotiation", "Optional"});
  CliResult result =
      Cli({"remove-partner", "--force", "fabrikam.com", "Contoso.COM."});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(Identities(), std::vector<std::string>{"tailspintoys.com"});
  EXPECT_TRUE(PartnerMissing("fabrikam.com"));
  // Its domains are free again.
  NewPartner("chat.fabrikam.com", {"--sasl-negotiation", "Optional"});
}

TEST_F(PartnerEditTest, RemoveIsAllOrNothing) {
  CliResult result =
      Cli({"remove-partner", "--force", "fabrikam.com", "missing.test"});
  EXPECT_EQ(result.exit_code, 3) << result;
  EXPECT_THAT(result.err, HasSubstr("missing.test")) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));

  // An additional domain is not an identity: not found, nothing removed.
  result = Cli({"remove-partner", "--force", "chat.fabrikam.com"});
  EXPECT_EQ(result.exit_code, 3) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));
}

TEST_F(PartnerEditTest, RemoveByFilter) {
  for (const char* identity : {"xa.example", "xb.example", "ya.example"}) {
    NewPartner(identity, {"--sasl-negotiation", "Optional"});
  }
  CliResult result = Cli({"remove-partner", "--force", "--filter", "x*"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(Identities(),
            (std::vector<std::string>{"fabrikam.com", "ya.example"}));
  // A filter matching nothing removes nothing and is not an error.
  result = Cli({"remove-partner", "--force", "--filter", "x*"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(Identities(),
            (std::vector<std::string>{"fabrikam.com", "ya.example"}));
}

TEST_F(PartnerEditTest, RemoveNeedsIdentitiesOrFilter) {
  CliResult result = Cli({"remove-partner", "--force"});
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_EQ(ToJson(GetPartner("fabrikam.com")), ToJson(original_));
}

}  // namespace
}  // namespace xmppfed::testing
