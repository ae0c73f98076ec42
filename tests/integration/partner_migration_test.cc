// Migration from Skype for Business: import-partners reads what
// `Get-CsXmppAllowedPartner | Export-Csv` writes (tests/integration/data):
// the #TYPE line, PascalCase columns, every field quoted, CRLF, a byte order
// mark, ';' as the delimiter (-UseCulture), and the .NET type name that a
// plain export writes for the AdditionalDomains list.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

#ifndef XMPPFED_TEST_DATA_DIR
#error "XMPPFED_TEST_DATA_DIR must name tests/integration/data"
#endif

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kDataDir = XMPPFED_TEST_DATA_DIR;

class MigrationTest : public AgentWithDomainTest {
 protected:
  std::vector<JsonValue> Results(const CliResult& result) const {
    std::vector<JsonValue> results;
    EXPECT_TRUE(ParseNdjson(result.out, &results)) << result;
    return results;
  }
};

TEST_F(MigrationTest, APlainExportSaysHowToExportTheDomainList) {
  CliResult result = Cli(
      {"import-partners", kDataDir + "/sfb-export-raw.csv", "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 2u) << result;
  // Line 1 is #TYPE, line 2 the header.
  EXPECT_EQ(Num(results[0], "line"), 3);
  EXPECT_EQ(Str(results[0], "identity"), "fabrikam.com");
  EXPECT_EQ(Num(results[1], "line"), 4);
  for (const JsonValue& refused : results) {
    EXPECT_EQ(Str(refused, "status"), "refused");
    EXPECT_THAT(Str(refused, "error"),
                HasSubstr("additionalDomains=System.Collections.Generic.List`1"
                          "[System.String]: it is the name of a .NET type"));
    EXPECT_THAT(Str(refused, "error"),
                HasSubstr("@{Name='AdditionalDomains';Expression={$_."
                          "AdditionalDomains -join ';'}}"));
  }
  EXPECT_TRUE(Identities().empty());
}

TEST_F(MigrationTest, AnExportWithSemicolonsImportsEveryValidPartner) {
  CliResult result =
      Cli({"import-partners", kDataDir + "/sfb-export-semicolons.csv",
           "--delimiter", ";", "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 5u) << result;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Num(results[i], "line"), i + 2);
    EXPECT_EQ(Str(results[i], "status"), "created") << ToJson(results[i]);
  }
  // SASL without TLS is refused, as it is by Set-CsXmppAllowedPartner.
  EXPECT_EQ(Num(results[4], "line"), 6);
  EXPECT_EQ(Str(results[4], "identity"), "wingtiptoys.com");
  EXPECT_THAT(Str(results[4], "error"), HasSubstr("SASL requires TLS"));
  EXPECT_THAT(result.err, HasSubstr("4 created, 0 updated, 0 unchanged, 1 "
                                    "refused"));

  EXPECT_EQ(Identities(),
            (std::vector<std::string>{"contoso.com", "fabrikam.com",
                                      "litwareinc.com", "tailspintoys.com"}));
  JsonValue fabrikam = GetPartner("fabrikam.com");
  EXPECT_EQ(Str(fabrikam, "description"), "Fabrikam, Inc. (Jabber)");
  EXPECT_THAT(StrList(fabrikam, "additionalDomains"),
              ElementsAre("fabrikam.net", "fabrikam.org"));
  EXPECT_EQ(Str(fabrikam, "partnerType"), "Federated");
  EXPECT_EQ(Str(fabrikam, "saslNegotiation"), "Optional");
  EXPECT_TRUE(Bool(fabrikam, "supportDialbackNegotiation"));
  JsonValue contoso = GetPartner("contoso.com");
  EXPECT_EQ(Str(contoso, "proxyFqdn"), "xmpp.contoso.com");
  EXPECT_TRUE(StrList(contoso, "additionalDomains").empty());
  JsonValue tailspin = GetPartner("tailspintoys.com");
  EXPECT_EQ(Str(tailspin, "description"), "Tailspin Toys \u2013 M\u00fcnchen");
  EXPECT_EQ(Str(tailspin, "tlsNegotiation"), "Optional");
  EXPECT_FALSE(Bool(tailspin, "enableKeepAlive"));
  EXPECT_EQ(Num(tailspin, "connectionLimit"), 10);
  JsonValue litware = GetPartner("litwareinc.com");
  EXPECT_EQ(Str(litware, "description"), "Litware \"Chat\"");
  EXPECT_FALSE(Bool(litware, "supportDialbackNegotiation"));
}

TEST_F(MigrationTest, TheWrongDelimiterIsNamedBeforeAnythingIsSent) {
  CliResult result =
      Cli({"import-partners", kDataDir + "/sfb-export-semicolons.csv"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("line 1: header: column 12: text after "
                                    "a closing quote"));
  EXPECT_THAT(result.err, HasSubstr("pass --delimiter ;"));
  EXPECT_TRUE(Identities().empty());
}

}  // namespace
}  // namespace xmppfed::testing
