// import-partners end to end: the real CLI streaming files and stdin to the
// real agent, and the round trip through get-partner's CSV, NDJSON and JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

class ImportTest : public AgentWithDomainTest {
 protected:
  // The results of an `-o ndjson` import run.
  std::vector<JsonValue> Results(const CliResult& result) const {
    std::vector<JsonValue> results;
    EXPECT_TRUE(ParseNdjson(result.out, &results)) << result;
    return results;
  }

  // Every partner as get-partner -o json shows it, without the store's
  // bookkeeping (revision, timestamps), in identity order.
  std::string Configuration() const {
    std::string text;
    for (JsonValue partner : Elements(CliJson({"get-partner"}))) {
      auto* fields = partner.mutable_struct_value()->mutable_fields();
      fields->erase("revision");
      fields->erase("createdAt");
      fields->erase("modifiedAt");
      text += ToJson(partner) + "\n";
    }
    return text;
  }

  // Partners that differ in every field, with text that needs quoting.
  void CreateVariedPartners() const {
    NewPartner(
        "fabrikam.com",
        {"--description", "Fabrikam, Inc. \"EU\" — Zürich",
         "--additional-domains", "fabrikam.net,fabrikam.org", "--partner-type",
         "Federated", "--sasl-negotiation", "Optional", "--proxy-fqdn",
         "edge.fabrikam.com:5270", "--connection-limit", "7"});
    NewPartner(
        "contoso.com",
        {"--tls-negotiation", "Optional", "--sasl-negotiation", "NotSupported",
         "--partner-type", "PublicVerified", "--enable-keep-alive", "false"});
    NewPartner("xn--bcher-kva.example",
               {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
                "NotSupported", "--description", "Bücher"});
  }

  void RoundTrip(const std::string& format, const std::string& file) {
    CreateVariedPartners();
    std::string before = Configuration();
    CliResult exported = Cli({"get-partner", "-o", format});
    ASSERT_EQ(exported.exit_code, 0) << exported;
    std::string path = dir_.WriteFile(file, exported.out);
    CliResult removed = Cli({"remove-partner", "--filter", "*", "--force"});
    ASSERT_EQ(removed.exit_code, 0) << removed;
    ASSERT_TRUE(Identities().empty());
    CliResult imported = Cli({"import-partners", path, "-o", "ndjson"});
    ASSERT_EQ(imported.exit_code, 0) << imported;
    EXPECT_EQ(Results(imported).size(), 3u) << imported;
    EXPECT_EQ(Configuration(), before);
  }
};

TEST_F(ImportTest, CsvCreatesPartnersAndReportsEachRecord) {
  std::string path = dir_.WriteFile(
      "partners.csv",
      "identity,description,additionalDomains,partnerType,tlsNegotiation,"
      "saslNegotiation,supportDialbackNegotiation\n"
      "Fabrikam.com,\"Fabrikam, Inc.\",fab.net;fab.org,federated,Required,"
      "Optional,true\n"
      "contoso.com,,,PublicVerified,optional,NotSupported,TRUE\n");
  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  ASSERT_EQ(result.exit_code, 0) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 2u);
  // The file's lines, as an editor counts them: the header is line 1.
  EXPECT_EQ(Num(results[0], "line"), 2);
  EXPECT_EQ(Str(results[0], "identity"), "fabrikam.com");
  EXPECT_EQ(Str(results[0], "status"), "created");
  EXPECT_FALSE(Has(results[0], "error"));
  EXPECT_EQ(Num(results[1], "line"), 3);
  EXPECT_NE(result.err.find("2 created, 0 updated, 0 unchanged, 0 refused"),
            std::string::npos)
      << result;

  JsonValue fabrikam = GetPartner("fabrikam.com");
  EXPECT_EQ(Str(fabrikam, "description"), "Fabrikam, Inc.");
  EXPECT_EQ(StrList(fabrikam, "additionalDomains"),
            (std::vector<std::string>{"fab.net", "fab.org"}));
  EXPECT_EQ(Str(fabrikam, "partnerType"), "Federated");
  EXPECT_EQ(Str(fabrikam, "saslNegotiation"), "Optional");
  JsonValue contoso = GetPartner("contoso.com");
  EXPECT_EQ(Str(contoso, "tlsNegotiation"), "Optional");
  EXPECT_EQ(Str(contoso, "proxyFqdn"), "");
}

TEST_F(ImportTest, RefusedRecordsExit4AndTheValidOnesAreWritten) {
  std::string path = dir_.WriteFile(
      "partners.ndjson",
      "{\"identity\": \"a.com\"}\n"
      "{\"identity\": \"bad..com\"}\n"
      "{\"identity\": \"example.test\"}\n"
      "{\"identity\": \"b.com\", \"tlsNegotiation\": \"NotSupported\"}\n"
      "{\"identity\": \"c.com\"}\n");
  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(Str(results[1], "status"), "refused");
  EXPECT_NE(Str(results[1], "error").find("identity=bad..com"),
            std::string::npos);
  EXPECT_NE(Str(results[2], "error").find("local domain"), std::string::npos);
  EXPECT_NE(Str(results[3], "error").find("SASL requires TLS"),
            std::string::npos)
      << Str(results[3], "error");
  EXPECT_EQ(Identities(), (std::vector<std::string>{"a.com", "c.com"}));
  EXPECT_NE(result.err.find("2 created, 0 updated, 0 unchanged, 3 refused"),
            std::string::npos)
      << result;
}

TEST_F(ImportTest, ExistingPartnersNeedUpdate) {
  NewPartner("a.com", {"--description", "old"});
  std::string path =
      dir_.WriteFile("p.ndjson",
                     "{\"identity\": \"a.com\", \"description\": \"new\"}\n"
                     "{\"identity\": \"b.com\", \"description\": \"b\"}\n");
  CliResult refused = Cli({"import-partners", path, "-o", "ndjson"});
  EXPECT_EQ(refused.exit_code, 4) << refused;
  EXPECT_NE(Str(Results(refused)[0], "error").find("--update"),
            std::string::npos);
  EXPECT_EQ(Str(GetPartner("a.com"), "description"), "old");

  CliResult updated =
      Cli({"import-partners", path, "--update", "-o", "ndjson"});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  std::vector<JsonValue> results = Results(updated);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(Str(results[0], "status"), "updated");
  EXPECT_EQ(Str(results[1], "status"), "unchanged");
  EXPECT_EQ(Str(GetPartner("a.com"), "description"), "new");
}

TEST_F(ImportTest, WhatIfValidatesEverythingAndWritesNothing) {
  std::string path = dir_.WriteFile(
      "p.json",
      "[{\"identity\": \"a.com\", \"additionalDomains\": [\"s.net\"]},\n"
      " {\"identity\": \"b.com\", \"additionalDomains\": [\"s.net\"]}]\n");
  CliResult result =
      Cli({"import-partners", path, "--what-if", "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(Str(results[0], "status"), "created");
  EXPECT_EQ(Str(results[1], "status"), "refused");
  EXPECT_NE(Str(results[1], "error").find("already belongs to partner a.com"),
            std::string::npos);
  EXPECT_NE(result.err.find("What if:"), std::string::npos) << result;
  EXPECT_NE(result.err.find("nothing was written"), std::string::npos);
  EXPECT_TRUE(Identities().empty());
}

TEST_F(ImportTest, WhatIfShowsEveryFieldThatWouldChangePerRecord) {
  NewPartner("a.com", {"--description", "old text"});
  std::string path = dir_.WriteFile("p.csv",
                                    "identity,description,enableKeepAlive\n"
                                    "a.com,new text,false\n"
                                    "b.com,,\n");
  CliResult json =
      Cli({"import-partners", path, "--update", "--what-if", "-o", "json"});
  EXPECT_EQ(json.exit_code, 0) << json;
  JsonValue results;
  ASSERT_TRUE(ParseJson(json.out, &results)) << json;
  std::vector<JsonValue> list = Elements(results);
  ASSERT_EQ(list.size(), 2u) << json;
  std::vector<JsonValue> changes = Elements(*Member(list[0], "changes"));
  ASSERT_EQ(changes.size(), 2u) << json.out;
  EXPECT_EQ(Str(changes[0], "field"), "description");
  EXPECT_EQ(Str(changes[0], "old"), "old text");
  EXPECT_EQ(Str(changes[0], "new"), "new text");
  EXPECT_EQ(Str(changes[1], "field"), "enableKeepAlive");
  EXPECT_EQ(GetBool(changes[1], "old"), true);
  EXPECT_EQ(GetBool(changes[1], "new"), false);
  // A partner to be created: every field, with the value it would get.
  std::vector<JsonValue> created = Elements(*Member(list[1], "changes"));
  EXPECT_EQ(created.size(), 9u) << json.out;
  EXPECT_FALSE(Has(created[0], "old"));

  CliResult table = Cli({"import-partners", path, "--update", "--what-if"});
  EXPECT_THAT(table.out,
              ::testing::HasSubstr("description \"old text\" -> \"new text\"; "
                                   "enableKeepAlive true -> false"));
  EXPECT_EQ(Str(GetPartner("a.com"), "description"), "old text");
  EXPECT_TRUE(PartnerMissing("b.com"));
}

TEST_F(ImportTest, WarningsNameTheRecordsTheyAreAbout) {
  std::string path = dir_.WriteFile("p.csv",
                                    "identity,saslNegotiation\n"
                                    "a.com,\n"
                                    "b.com,Required\n"
                                    "c.com,Required\n");
  CliResult result = Cli({"import-partners", path});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.err,
              ::testing::HasSubstr("xmppfed: warning: import-partners: b.com "
                                   "(line 3), c.com (line 4): Dialback will "
                                   "not operate"));
  EXPECT_THAT(result.err, ::testing::Not(::testing::HasSubstr("a.com (line")));
}

TEST_F(ImportTest, AtomicWritesNothingWhenARecordIsRefused) {
  std::string path =
      dir_.WriteFile("p.csv", "identity\na.com\nb.com\nbad..com\n");
  CliResult result = Cli({"import-partners", path, "--atomic"});
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_NE(result.err.find("nothing was written (--atomic)"),
            std::string::npos)
      << result;
  EXPECT_TRUE(Identities().empty());

  std::string good = dir_.WriteFile("good.csv", "identity\na.com\nb.com\n");
  CliResult ok = Cli({"import-partners", good, "--atomic"});
  EXPECT_EQ(ok.exit_code, 0) << ok;
  EXPECT_EQ(Identities(), (std::vector<std::string>{"a.com", "b.com"}));
}

TEST_F(ImportTest, CsvRoundTripGivesBackTheSamePartners) {
  RoundTrip("csv", "export.csv");
}

TEST_F(ImportTest, NdjsonRoundTripGivesBackTheSamePartners) {
  RoundTrip("ndjson", "export.ndjson");
}

TEST_F(ImportTest, JsonRoundTripGivesBackTheSamePartners) {
  RoundTrip("json", "export.json");
}

TEST_F(ImportTest, StdinFormatIsSniffedOrGiven) {
  CliResult ndjson =
      Cli({"import-partners", "-"}, std::string("{\"identity\": \"a.com\"}\n"));
  EXPECT_EQ(ndjson.exit_code, 0) << ndjson;
  CliResult json =
      Cli({"import-partners"}, std::string("  [{\"identity\": \"b.com\"}]"));
  EXPECT_EQ(json.exit_code, 0) << json;
  CliResult csv = Cli({"import-partners"}, std::string("identity\nc.com\n"));
  EXPECT_EQ(csv.exit_code, 0) << csv;
  // Told it is CSV, a JSON line is a broken CSV header.
  CliResult forced = Cli({"import-partners", "--format", "csv"},
                         std::string("{\"identity\": \"d.com\"}\n"));
  EXPECT_EQ(forced.exit_code, 1) << forced;
  EXPECT_NE(forced.err.find("line 1: header: column 2: a quote inside an "
                            "unquoted field"),
            std::string::npos)
      << forced;
  EXPECT_EQ(forced.err.find("were imported"), std::string::npos) << forced;
  EXPECT_EQ(Identities(),
            (std::vector<std::string>{"a.com", "b.com", "c.com"}));
}

TEST_F(ImportTest, MalformedRecordsNameTheirColumn) {
  std::string path = dir_.WriteFile(
      "p.ndjson",
      "{\"identity\": \"a.com\"}\n"
      "\n"
      "{\"identity\": \"b.com\" \"description\": \"x\"}\n"
      "{\"identity\": \"c.com\", \"connectionLimit\": \"many\"}\n"
      "{\"identity\": \"d.com\", \"colour\": \"blue\"}\n");
  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(Num(results[1], "line"), 3) << "physical line, blank line counted";
  EXPECT_NE(Str(results[1], "error").find("invalid JSON at column 22"),
            std::string::npos)
      << Str(results[1], "error");
  EXPECT_NE(Str(results[2], "error").find("connectionLimit=many"),
            std::string::npos);
  EXPECT_NE(Str(results[3], "error").find("unknown key 'colour'"),
            std::string::npos);
  EXPECT_EQ(Identities(), std::vector<std::string>{"a.com"});
}

TEST_F(ImportTest, UnterminatedQuoteIsFatalAndNamesWhereItOpened) {
  std::string path = dir_.WriteFile(
      "p.csv", "identity,description\na.com,ok\nb.com,\"never closed\n");
  CliResult result = Cli({"import-partners", path});
  // Not 1: that would say nothing changed.
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_NE(result.err.find("line 3, column 7: a quoted field is never closed"),
            std::string::npos)
      << result;
  // Without --atomic the records before it were imported, and said so.
  EXPECT_EQ(Identities(), std::vector<std::string>{"a.com"});
  EXPECT_NE(result.err.find("the records before it were imported (1 created"),
            std::string::npos)
      << result;
}

TEST_F(ImportTest, UnterminatedQuoteBeforeAnyWriteExits1) {
  std::string path = dir_.WriteFile(
      "p.csv", "identity,description\nbad..com,x\nb.com,\"never closed\n");
  CliResult result = Cli({"import-partners", path});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_NE(result.err.find("nothing was written"), std::string::npos)
      << result;
  EXPECT_TRUE(Identities().empty());
}

TEST_F(ImportTest, FatalErrorWithAtomicWritesNothing) {
  std::string path = dir_.WriteFile(
      "p.json", "[{\"identity\": \"a.com\"},\n {\"identity\": \"b.com\"},\n");
  CliResult result = Cli({"import-partners", path, "--atomic"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_NE(result.err.find("line 3"), std::string::npos) << result;
  EXPECT_NE(result.err.find("nothing was written"), std::string::npos);
  EXPECT_TRUE(Identities().empty());
}

TEST_F(ImportTest, UnknownCsvColumnChangesNothing) {
  std::string path = dir_.WriteFile("p.csv", "identity,colour\na.com,blue\n");
  CliResult result = Cli({"import-partners", path});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_NE(result.err.find("line 1: unknown column 'colour'"),
            std::string::npos)
      << result;
  EXPECT_TRUE(Identities().empty());
}

TEST_F(ImportTest, MissingFileIsAUsageError) {
  CliResult result =
      Cli({"import-partners", dir_.path() + "/no-such-file.csv"});
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_NE(result.err.find("no-such-file.csv"), std::string::npos);
}

TEST_F(ImportTest, ThousandsOfPartnersImportAndListInOrder) {
  std::string ndjson;
  std::vector<std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    char identity[32];
    std::snprintf(identity, sizeof identity, "p%05d.example.com", i);
    expected.push_back(identity);
    ndjson += std::string("{\"identity\": \"") + identity +
              "\", \"description\": \"partner number " + std::to_string(i) +
              "\"}\n";
  }
  std::string path = dir_.WriteFile("many.ndjson", ndjson);
  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Results(result).size(), 3000u);
  // Several pages of the listing, in identity order, none lost or repeated.
  EXPECT_EQ(Identities(), expected);
  CliResult filtered = Cli({"get-partner", "--filter", "p0299*", "-o", "csv"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered;
  EXPECT_EQ(std::count(filtered.out.begin(), filtered.out.end(), '\n'), 11);
}

TEST_F(ImportTest, AcknowledgedImportSurvivesKill9) {
  std::string csv = "identity\n";
  for (int i = 0; i < 1200; ++i) csv += "k" + std::to_string(i) + ".com\n";
  std::string path = dir_.WriteFile("k.csv", csv);
  CliResult result = Cli({"import-partners", path, "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExitStatus killed = agent_->Kill();
  ASSERT_EQ(killed.signal, SIGKILL) << killed.ToString();
  ASSERT_TRUE(agent_->Start());
  EXPECT_EQ(Identities().size(), 1200u);
}

TEST_F(ImportTest, NoProgressBarWhenStderrIsNotATerminal) {
  std::string path = dir_.WriteFile("p.csv", "identity\na.com\n");
  CliResult result = Cli({"import-partners", path});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.err.find('\r'), std::string::npos) << result;
  EXPECT_EQ(result.err.find("\x1b["), std::string::npos) << result;
}

// util-linux `script` gives the CLI a pseudo-terminal as stderr (stdout
// goes to a file), as an operator's shell would.
TEST_F(ImportTest, ProgressBarOnATerminalIsDrawnAndErased) {
  if (::access("/usr/bin/script", X_OK) != 0) {
    GTEST_SKIP() << "util-linux script is not installed";
  }
  std::string csv = "identity\n";
  for (int i = 0; i < 5000; ++i) csv += "t" + std::to_string(i) + ".com\n";
  std::string path = dir_.WriteFile("t.csv", csv);
  std::string command = "'" + CliBinary() + "' --socket '" +
                        agent_->socket_path() + "' import-partners '" + path +
                        "' -o ndjson > '" + dir_.path() + "/results'";
  ProcessResult run =
      RunProcess("/usr/bin/script", {"-q", "-e", "-c", command, "/dev/null"});
  ASSERT_TRUE(run.status.exited && run.status.code == 0) << run.status << "\n"
                                                         << run.out << run.err;
  EXPECT_NE(run.out.find("\r["), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("100%  5000 records"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\r\x1b[K"), std::string::npos)
      << "the bar is erased before the summary: " << run.out;
  EXPECT_NE(run.out.find("5000 created"), std::string::npos) << run.out;
  EXPECT_EQ(Identities().size(), 5000u);
}

TEST_F(ImportTest, TableOutputListsEveryRecord) {
  std::string path = dir_.WriteFile("p.csv", "identity\na.com\nbad..com\n");
  CliResult result = Cli({"import-partners", path});
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_NE(result.out.find("Line Identity"), std::string::npos) << result;
  EXPECT_NE(result.out.find("a.com    created"), std::string::npos) << result;
  EXPECT_NE(result.out.find("bad..com refused identity=bad..com"),
            std::string::npos)
      << result;
}

}  // namespace
}  // namespace xmppfed::testing
