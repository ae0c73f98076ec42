// get-session and remove-session through the real CLI and agent, with the
// federation edge off (--s2s-listen off): what an operator sees before any
// stream exists, and the exit codes of SPEC §5. Streams themselves are
// tested with the edge (tests/integration/federation); the rules of the API
// over live sessions in session_source_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kEdgeOff[] =
    "xmppfed: remove-session: the federation edge is off (--s2s-listen "
    "off)\n";

using SessionApiTest = AgentWithDomainTest;

TEST_F(SessionApiTest, GetSessionPrintsAnEmptyJsonArray) {
  CliResult result = Cli({"get-session", "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "[]\n") << result;
  EXPECT_EQ(result.err, "") << result;
}

TEST_F(SessionApiTest, GetSessionInTheOtherFormats) {
  CliResult csv = Cli({"get-session", "-o", "csv"});
  EXPECT_EQ(csv.exit_code, 0) << csv;
  EXPECT_EQ(csv.out,
            "id,direction,localDomain,remoteDomain,partner,auth,tlsVersion,"
            "tlsCipher,peerAddress,establishedAt,stanzasIn,stanzasOut,"
            "bytesIn,bytesOut,bidirectional,directTls\n")
      << csv;
  CliResult ndjson = Cli({"get-session", "-o", "ndjson"});
  EXPECT_EQ(ndjson.exit_code, 0) << ndjson;
  EXPECT_EQ(ndjson.out, "") << ndjson;
  CliResult table = Cli({"get-session"});
  EXPECT_EQ(table.exit_code, 0) << table;
  EXPECT_EQ(table.err, "") << table;
}

TEST_F(SessionApiTest, GetSessionOfAnyPartnerListsNothing) {
  NewPartner("fabrikam.com");
  for (const char* partner :
       {"fabrikam.com", "FABRIKAM.com.", "unknown.example"}) {
    CliResult result = Cli({"get-session", "--partner", partner, "-o", "json"});
    EXPECT_EQ(result.exit_code, 0) << result;
    EXPECT_EQ(result.out, "[]\n") << result;
  }
}

TEST_F(SessionApiTest, GetSessionRefusesAPartnerThatIsNoDomain) {
  CliResult result = Cli({"get-session", "--partner", "192.0.2.7"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err,
              HasSubstr("xmppfed: get-session: partner=192.0.2.7: "))
      << result;
  EXPECT_EQ(result.out, "") << result;
}

TEST_F(SessionApiTest, RemoveSessionByIdSaysTheEdgeIsOff) {
  // Asking first (no terminal), with --force, and with --what-if: the agent
  // refuses each before anything else happens.
  for (std::vector<std::string> args :
       {std::vector<std::string>{"remove-session", "1"},
        std::vector<std::string>{"remove-session", "1", "2", "--force"},
        std::vector<std::string>{"remove-session", "1", "--what-if"}}) {
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_EQ(result.err, kEdgeOff) << result;
    EXPECT_EQ(result.out, "") << result;
  }
}

TEST_F(SessionApiTest, RemoveSessionOfAnUnknownPartnerIsNotFound) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"remove-session", "--partner",
                                 "unknown.example"},
        std::vector<std::string>{"remove-session", "--partner",
                                 "Unknown.Example", "--force"}}) {
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 3) << result;
    EXPECT_EQ(result.err,
              "xmppfed: remove-session: partner=unknown.example: no partner "
              "has this identity\n")
        << result;
  }
}

TEST_F(SessionApiTest, RemoveSessionNamesTheOwnerOfAnAdditionalDomain) {
  NewPartner("contoso.com", {"--additional-domains", "contoso.net"});
  CliResult result = Cli({"remove-session", "--partner", "contoso.net"});
  EXPECT_EQ(result.exit_code, 3) << result;
  EXPECT_THAT(result.err,
              HasSubstr("partner=contoso.net: no partner has this identity; "
                        "it is an additional domain of partner contoso.com"))
      << result;
}

TEST_F(SessionApiTest, RemoveSessionOfAPartnerNeedsTheEdge) {
  NewPartner("fabrikam.com");
  CliResult result =
      Cli({"remove-session", "--partner", "Fabrikam.com", "--force"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_EQ(result.err, kEdgeOff) << result;
  // A local domain is not a partner.
  CliResult local = Cli({"remove-session", "--partner", "example.test"});
  EXPECT_EQ(local.exit_code, 3) << local;
}

TEST_F(SessionApiTest, UsageErrorsExitTwo) {
  CliResult bad_id = Cli({"remove-session", "7", "x7"});
  EXPECT_EQ(bad_id.exit_code, 2) << bad_id;
  EXPECT_THAT(bad_id.err, HasSubstr("'x7' is not a session id")) << bad_id;
  CliResult both = Cli({"remove-session", "7", "--partner", "fabrikam.com"});
  EXPECT_EQ(both.exit_code, 2) << both;
  CliResult neither = Cli({"remove-session", "--force"});
  EXPECT_EQ(neither.exit_code, 2) << neither;
}

}  // namespace
}  // namespace xmppfed::testing
