// get-partner through the real CLI and agent: not found, globs, the four
// output formats, and global options before or after the verb.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSubsetOf;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::StartsWith;

// RFC 4180: fields separated by ',', quoted with '"' when needed, '""' for
// a quote inside quotes. Returns rows of fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool row_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      row_started = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      row_started = true;
    } else if (c == '\r') {
      // part of a CRLF line end
    } else if (c == '\n') {
      if (row_started || !field.empty()) {
        row.push_back(field);
        rows.push_back(row);
      }
      row.clear();
      field.clear();
      row_started = false;
    } else {
      field.push_back(c);
      row_started = true;
    }
  }
  if (row_started || !field.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

class PartnerQueryTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    if (HasFatalFailure()) return;
    // Created out of order; listed by identity.
    for (const char* identity :
         {"fourthcoffee.com", "zab.org", "cab.example", "abc.example",
          "fabrikam.com", "bab.example"}) {
      NewPartner(identity, {"--sasl-negotiation", "Optional"});
    }
    NewPartner("contoso.com",
               {"--sasl-negotiation", "Optional", "--description",
                "Contoso, \"the\" partner", "--additional-domains",
                "fab.contoso.com,im.contoso.com"});
  }
};

TEST_F(PartnerQueryTest, UnknownIdentityExits3NamingIt) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"get-partner", "unknown.test"},
        std::vector<std::string>{"get-partner", "unknown.test", "-o",
                                 "json"}}) {
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 3) << result;
    EXPECT_THAT(result.err, HasSubstr("unknown.test")) << result;
  }
}

TEST_F(PartnerQueryTest, AllPartnersInIdentityOrder) {
  EXPECT_THAT(
      Identities(),
      ElementsAre("abc.example", "bab.example", "cab.example", "contoso.com",
                  "fabrikam.com", "fourthcoffee.com", "zab.org"));
}

TEST_F(PartnerQueryTest, GlobFiltersMatchIdentitiesOnly) {
  EXPECT_THAT(Identities("f*"),
              ElementsAre("fabrikam.com", "fourthcoffee.com"));
  EXPECT_THAT(Identities("?ab*"), ElementsAre("bab.example", "cab.example",
                                              "fabrikam.com", "zab.org"));
  EXPECT_THAT(Identities("[a-c]*"), ElementsAre("abc.example", "bab.example",
                                                "cab.example", "contoso.com"));
  EXPECT_THAT(Identities("*.example"),
              ElementsAre("abc.example", "bab.example", "cab.example"));
  EXPECT_THAT(Identities("F*.COM"),
              ElementsAre("fabrikam.com", "fourthcoffee.com"));
  EXPECT_THAT(Identities("nothing*"), ElementsAre());
  // No glob character: only that exact identity.
  EXPECT_THAT(Identities("zab.org"), ElementsAre("zab.org"));
}

TEST_F(PartnerQueryTest, JsonIsAlwaysAnArray) {
  CliResult result = Cli({"get-partner", "zab.org", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue value;
  ASSERT_TRUE(ParseJson(result.out, &value));
  ASSERT_TRUE(IsArray(value)) << result;
  ASSERT_EQ(Elements(value).size(), 1u);
  EXPECT_EQ(Str(Elements(value)[0], "identity"), "zab.org");

  result = Cli({"get-partner", "--filter", "none*", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  ASSERT_TRUE(ParseJson(result.out, &value));
  EXPECT_TRUE(IsArray(value)) << result;
  EXPECT_TRUE(Elements(value).empty()) << result;
}

TEST_F(PartnerQueryTest, NdjsonIsOneObjectPerLine) {
  CliResult result = Cli({"get-partner", "-o", "ndjson"});
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 7u) << result;
  std::vector<JsonValue> objects;
  ASSERT_TRUE(ParseNdjson(result.out, &objects));
  ASSERT_EQ(objects.size(), 7u);
  for (const JsonValue& object : objects) EXPECT_TRUE(IsObject(object));
  EXPECT_EQ(Str(objects[0], "identity"), "abc.example");
  EXPECT_EQ(Str(objects[3], "identity"), "contoso.com");
  EXPECT_EQ(Str(objects[3], "description"), "Contoso, \"the\" partner");

  // One identity: one line.
  result = Cli({"get-partner", "zab.org", "-o", "ndjson"});
  ASSERT_EQ(result.exit_code, 0) << result;
  ASSERT_TRUE(ParseNdjson(result.out, &objects));
  ASSERT_EQ(objects.size(), 1u) << result;
  EXPECT_EQ(Str(objects[0], "identity"), "zab.org");
}

TEST_F(PartnerQueryTest, CsvHasAHeaderOfJsonKeysAndSemicolonLists) {
  CliResult result = Cli({"get-partner", "-o", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<std::vector<std::string>> rows = ParseCsv(result.out);
  ASSERT_EQ(rows.size(), 8u) << result;
  const std::vector<std::string> header = rows[0];
  EXPECT_THAT(header,
              IsSupersetOf({"identity", "description", "additionalDomains",
                            "partnerType", "tlsNegotiation", "saslNegotiation",
                            "supportDialbackNegotiation", "proxyFqdn",
                            "enableKeepAlive", "connectionLimit", "revision"}))
      << result;
  EXPECT_THAT(
      header,
      IsSubsetOf({"identity", "description", "additionalDomains", "partnerType",
                  "tlsNegotiation", "saslNegotiation",
                  "supportDialbackNegotiation", "proxyFqdn", "enableKeepAlive",
                  "connectionLimit", "revision", "createdAt", "modifiedAt"}))
      << result;
  auto column = [&](const std::string& key) {
    return std::find(header.begin(), header.end(), key) - header.begin();
  };
  const std::vector<std::string>* contoso = nullptr;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), header.size()) << result;
    if (row[column("identity")] == "contoso.com") contoso = &row;
  }
  ASSERT_NE(contoso, nullptr) << result;
  EXPECT_EQ((*contoso)[column("additionalDomains")],
            "fab.contoso.com;im.contoso.com");
  EXPECT_EQ((*contoso)[column("description")], "Contoso, \"the\" partner");
  EXPECT_EQ((*contoso)[column("partnerType")], "PublicUnverified");
  EXPECT_EQ((*contoso)[column("supportDialbackNegotiation")], "true");
  EXPECT_EQ((*contoso)[column("connectionLimit")], "0");
  EXPECT_EQ(rows[1][column("identity")], "abc.example");

  // An empty list still has its header.
  result = Cli({"get-partner", "--filter", "none*", "-o", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result;
  rows = ParseCsv(result.out);
  ASSERT_EQ(rows.size(), 1u) << result;
  EXPECT_EQ(rows[0], header);
}

TEST_F(PartnerQueryTest, TableHasAHeaderLineAndOneLinePerPartner) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"get-partner"},
        std::vector<std::string>{"get-partner", "-o", "table"}}) {
    CliResult result = Cli(args);
    ASSERT_EQ(result.exit_code, 0) << result;
    std::vector<std::string> lines = Lines(result.out);
    ASSERT_GE(lines.size(), 8u) << result;
    EXPECT_THAT(Lower(lines[0]), HasSubstr("identity")) << result;
    EXPECT_THAT(lines[0], Not(StartsWith("["))) << result;
    std::string body = result.out.substr(lines[0].size());
    for (const char* identity : {"abc.example", "contoso.com", "zab.org"}) {
      EXPECT_THAT(body, HasSubstr(identity)) << result;
    }
    // In identity order.
    EXPECT_LT(body.find("abc.example"), body.find("zab.org")) << result;
  }
}

TEST_F(PartnerQueryTest, WideShowsEveryColumnUncut) {
  NewPartner("long.example",
             {"--description", std::string(120, 'd'), "--proxy-fqdn",
              "relay.long.example:5270", "--connection-limit", "9"});
  CliResult wide = Cli({"get-partner", "long.example", "-o", "wide"});
  ASSERT_EQ(wide.exit_code, 0) << wide;
  EXPECT_THAT(wide.out, HasSubstr("ProxyFqdn"));
  EXPECT_THAT(wide.out, HasSubstr("ConnectionLimit"));
  EXPECT_THAT(wide.out, HasSubstr("relay.long.example:5270"));
  CliResult list = Cli({"get-partner", "--filter", "long.*", "-o", "wide"});
  ASSERT_EQ(list.exit_code, 0) << list;
  EXPECT_THAT(list.out, HasSubstr(std::string(120, 'd')));
  EXPECT_THAT(list.out, HasSubstr("KeepAlive"));
}

// On a terminal the table fits its width (the last column is cut) and an
// empty listing says so on stderr; through a pipe neither happens.
TEST_F(PartnerQueryTest, OnATerminalTheTableFitsAndEmptyListingsSaySo) {
  NewPartner("long.example", {"--description", std::string(120, 'd')});
  CliResult narrow = RunCliOnTerminal({"get-partner", "--filter", "long.*"},
                                      agent_->socket_path(), 100);
  if (narrow.exit_code == -1 && narrow.err.find("script") != std::string::npos)
    GTEST_SKIP() << narrow.err;
  ASSERT_EQ(narrow.exit_code, 0) << narrow;
  for (const std::string& line : Lines(narrow.out)) {
    EXPECT_LE(line.size(), 101u) << narrow.out;  // "\r" ends each line
  }
  EXPECT_THAT(narrow.out, HasSubstr("ddd..."));
  EXPECT_THAT(narrow.out, Not(HasSubstr(std::string(37, 'd'))));
  // Through a pipe only the column's own limit (40) applies.
  EXPECT_THAT(Cli({"get-partner", "--filter", "long.*"}).out,
              HasSubstr(std::string(37, 'd') + "..."));

  CliResult empty = RunCliOnTerminal({"get-partner", "--filter", "none.*"},
                                     agent_->socket_path());
  EXPECT_EQ(empty.exit_code, 0) << empty;
  EXPECT_THAT(empty.out,
              HasSubstr("xmppfed: get-partner: no partner matches 'none.*'"));
  CliResult piped = Cli({"get-partner", "--filter", "none.*"});
  EXPECT_EQ(piped.out, "") << piped;
  EXPECT_EQ(piped.err, "") << piped;
  CliResult quiet = RunCliOnTerminal(
      {"get-partner", "--filter", "none.*", "--quiet"}, agent_->socket_path());
  EXPECT_THAT(quiet.out, Not(HasSubstr("no partner")));
  CliResult sessions = RunCliOnTerminal({"get-session"}, agent_->socket_path());
  EXPECT_THAT(sessions.out, HasSubstr("xmppfed: get-session: no live streams"));
}

TEST_F(PartnerQueryTest, GlobalOptionsBeforeOrAfterTheVerb) {
  std::vector<CliResult> results = {
      RunCliRaw({"--socket", agent_->socket_path(), "-o", "json", "get-partner",
                 "--filter", "f*"}),
      RunCliRaw({"get-partner", "--filter", "f*", "--socket",
                 agent_->socket_path(), "-o", "json"}),
      RunCliRaw({"--output", "json", "get-partner", "--socket",
                 agent_->socket_path(), "--filter", "f*"}),
      RunCliRaw({"get-partner", "--output=json", "--filter", "f*",
                 "--socket=" + agent_->socket_path()}),
  };
  for (const CliResult& result : results) {
    EXPECT_EQ(result.exit_code, 0) << result;
    EXPECT_EQ(result.out, results[0].out) << result;
    JsonValue value;
    ASSERT_TRUE(ParseJson(result.out, &value)) << result;
    ASSERT_EQ(Elements(value).size(), 2u) << result;
  }
}

TEST_F(PartnerQueryTest, IdentityAndFilterTogetherIsAUsageError) {
  CliResult result = Cli({"get-partner", "zab.org", "--filter", "z*"});
  EXPECT_EQ(result.exit_code, 2) << result;
}

TEST_F(PartnerQueryTest, InvalidFilterIsRefusedNamingIt) {
  CliResult result = Cli({"get-partner", "--filter", "[a-c"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("filter")) << result;
}

}  // namespace
}  // namespace xmppfed::testing
