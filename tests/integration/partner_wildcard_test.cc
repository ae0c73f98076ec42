// Wildcard additional domains ("*.fabrikam.com") end to end through the real
// CLI and agent: new-partner, set-partner's list edits, import-partners and
// pipeline input store them in canonical form; a malformed wildcard, one
// another partner owns, or one covering a local domain is refused with exit
// 1 and changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Local domains example.test and chat.example.test.
class WildcardTest : public AgentWithDomainTest {
 protected:
  std::vector<std::string> Domains(const std::string& identity) const {
    return StrList(GetPartner(identity), "additionalDomains");
  }
};

TEST_F(WildcardTest, NewPartnerStoresTheWildcardAsGivenInCanonicalForm) {
  NewPartner("fabrikam.com",
             {"--additional-domains", "*.Fabrikam.COM,*.bücher.example"});
  EXPECT_THAT(Domains("fabrikam.com"),
              ElementsAre("*.fabrikam.com", "*.xn--bcher-kva.example"));
  EXPECT_THAT(Identities("fab*"), ElementsAre("fabrikam.com"));

  // get-partner takes identities; a covered subdomain names its owner.
  CliResult sub = Cli({"get-partner", "conference.fabrikam.com"});
  EXPECT_EQ(sub.exit_code, 3) << sub;
  EXPECT_THAT(sub.err, HasSubstr("it is covered by additional domain "
                                 "*.fabrikam.com of partner fabrikam.com"));
}

TEST_F(WildcardTest, MalformedWildcardsAreRefusedNamingTheRule) {
  NewPartner("fabrikam.com");
  for (const char* bad : {"*", "*.com", "a.*.fabrikam.com", "*foo.fabrikam.com",
                          "**.fabrikam.com"}) {
    CliResult result =
        Cli({"set-partner", "fabrikam.com", "--add-additional-domains", bad});
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err,
                HasSubstr(std::string("additionalDomains=") + bad + ": "))
        << result;
    EXPECT_THAT(result.err, HasSubstr("wildcard")) << result;
  }
  CliResult identity = Cli({"new-partner", "*.contoso.com"});
  EXPECT_EQ(identity.exit_code, 1) << identity;
  EXPECT_EQ(Num(GetPartner("fabrikam.com"), "revision"), 1);
  EXPECT_THAT(Identities(), ElementsAre("fabrikam.com"));
}

TEST_F(WildcardTest, OneOwnerPerWildcardExactSubdomainsAndNestedAllowed) {
  NewPartner("fabrikam.com", {"--additional-domains", "*.fabrikam.com"});

  CliResult clash = Cli({"new-partner", "contoso.com", "--additional-domains",
                         "contoso.net,*.fabrikam.com"});
  EXPECT_EQ(clash.exit_code, 1) << clash;
  EXPECT_THAT(clash.err,
              HasSubstr("additionalDomains=*.fabrikam.com: already belongs "
                        "to partner fabrikam.com"));
  EXPECT_THAT(Identities(), ElementsAre("fabrikam.com"));

  // An exact subdomain and a more specific wildcard may belong to another
  // partner: they win over *.fabrikam.com for what they name.
  NewPartner("contoso.com",
             {"--additional-domains", "chat.fabrikam.com,*.eu.fabrikam.com"});
  EXPECT_THAT(Domains("contoso.com"),
              ElementsAre("*.eu.fabrikam.com", "chat.fabrikam.com"));

  CliResult moved = Cli({"set-partner", "contoso.com",
                         "--add-additional-domains", "*.fabrikam.com"});
  EXPECT_EQ(moved.exit_code, 1) << moved;
  EXPECT_EQ(Num(GetPartner("contoso.com"), "revision"), 1);

  CliResult removed = Cli({"set-partner", "fabrikam.com",
                           "--remove-additional-domains", "*.FABRIKAM.com"});
  EXPECT_EQ(removed.exit_code, 0) << removed;
  EXPECT_TRUE(Domains("fabrikam.com").empty());
}

TEST_F(WildcardTest, WildcardCoveringALocalDomainIsRefused) {
  NewPartner("fabrikam.com");
  CliResult result = Cli({"set-partner", "fabrikam.com",
                          "--add-additional-domains", "*.example.test"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err,
              HasSubstr("additionalDomains=*.example.test: covers "
                        "chat.example.test, a local domain of this agent"));
  EXPECT_TRUE(Domains("fabrikam.com").empty());

  CliResult what_if = Cli({"new-partner", "contoso.com", "--additional-domains",
                           "*.example.test", "--what-if"});
  EXPECT_EQ(what_if.exit_code, 1) << what_if;
  EXPECT_THAT(Identities(), ElementsAre("fabrikam.com"));
}

TEST_F(WildcardTest, ImportChecksWildcardsPerRecordAndAtomically) {
  NewPartner("fabrikam.com", {"--additional-domains", "*.fabrikam.com"});
  std::string path =
      dir_.WriteFile("partners.csv",
                     "identity,additionalDomains\n"
                     "contoso.com,*.contoso.com;*.eu.fabrikam.com\n"
                     "northwind.com,*.fabrikam.com\n"
                     "tailspin.com,a.*.tailspin.com\n"
                     "adatum.com,*.example.test\n");

  CliResult preview =
      Cli({"import-partners", path, "--what-if", "-o", "ndjson"});
  EXPECT_EQ(preview.exit_code, 4) << preview;
  EXPECT_THAT(Identities(), ElementsAre("fabrikam.com"));

  CliResult atomic = Cli({"import-partners", path, "--atomic"});
  EXPECT_NE(atomic.exit_code, 0) << atomic;
  EXPECT_THAT(atomic.err, HasSubstr("nothing was written (--atomic)"));
  EXPECT_THAT(Identities(), ElementsAre("fabrikam.com"));

  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results;
  ASSERT_TRUE(ParseNdjson(result.out, &results)) << result;
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(Str(results[0], "status"), "created");
  EXPECT_THAT(Str(results[1], "error"),
              HasSubstr("*.fabrikam.com: already belongs to partner "
                        "fabrikam.com"));
  EXPECT_THAT(Str(results[2], "error"), HasSubstr("a wildcard is allowed"));
  EXPECT_THAT(Str(results[3], "error"), HasSubstr("covers chat.example.test"));
  EXPECT_THAT(Identities(), ElementsAre("contoso.com", "fabrikam.com"));
  EXPECT_THAT(Domains("contoso.com"),
              ElementsAre("*.contoso.com", "*.eu.fabrikam.com"));
}

TEST_F(WildcardTest, PipelineInputAddsWildcardsPerTarget) {
  NewPartner("fabrikam.com", {"--additional-domains", "*.fabrikam.com"});
  NewPartner("contoso.com");
  NewPartner("northwind.com");
  CliResult result = Cli({"set-partner", "-", "--add-additional-domains",
                          "*.fabrikam.com", "-o", "ndjson"},
                         "contoso.com\n");
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_THAT(result.out, HasSubstr("already belongs to partner fabrikam.com"));
  EXPECT_TRUE(Domains("contoso.com").empty());

  result = Cli(
      {"set-partner", "-", "--add-additional-domains", "*.shared.example.net"},
      "contoso.com\nnorthwind.com\n");
  // One wildcard, one owner: the first target takes it, the second is refused.
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_THAT(Domains("contoso.com"), ElementsAre("*.shared.example.net"));
  EXPECT_TRUE(Domains("northwind.com").empty());
}

}  // namespace
}  // namespace xmppfed::testing
