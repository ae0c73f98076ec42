// import-partners' records -> ImportRecord requests: keys, types and
// spellings, from CSV, NDJSON and JSON input.
#include "cli/rpc/import_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<v1::ImportRecord> Import(std::optional<InputFormat> format,
                                     const std::string& text,
                                     std::string* fatal = nullptr) {
  std::istringstream in(text);
  auto reader = MakeRecordReader(format, in, ImportKeys());
  std::vector<v1::ImportRecord> out;
  InputRecord record;
  while (reader->Next(&record)) out.push_back(ToImportRecord(record));
  if (fatal != nullptr) *fatal = reader->fatal_error();
  return out;
}

v1::ImportRecord One(std::optional<InputFormat> format,
                     const std::string& text) {
  std::vector<v1::ImportRecord> records = Import(format, text);
  EXPECT_EQ(records.size(), 1u) << text;
  return records.empty() ? v1::ImportRecord() : records.front();
}

v1::ImportRecord Json(const std::string& object) {
  return One(InputFormat::kNdjson, object);
}

TEST(ImportRecordsTest, KeysAreTheSpecsInOrder) {
  std::vector<std::string_view> keys(ImportKeys().begin(), ImportKeys().end());
  ASSERT_EQ(keys.size(), 14u);
  EXPECT_EQ(keys.front(), "identity");
  EXPECT_EQ(keys[2], "additionalDomains");
  EXPECT_EQ(keys[12], "modifiedAt");
  EXPECT_EQ(keys.back(), "status");
}

// get-partner -o json | import-partners: the read-only keys, the status
// object among them, are read past whatever they hold.
TEST(ImportRecordsTest, TheReadOnlyStatusObjectIsIgnored) {
  v1::ImportRecord record = Json(
      R"({"identity":"a.com","description":"d","revision":7,)"
      R"("createdAt":"2026-01-01T00:00:00.000Z","modifiedAt":"",)"
      R"("status":{"lastInboundAt":"","lastOutboundAt":)"
      R"("2026-01-02T00:00:00.000Z","lastFailureAt":"","lastFailureStep":"",)"
      R"("lastFailure":"","consecutiveFailures":0,"liveStreams":2}})");
  EXPECT_EQ(record.input_error(), "");
  EXPECT_EQ(record.identity(), "a.com");
  EXPECT_EQ(record.fields().description(), "d");
  v1::PartnerFields only_description;
  only_description.set_description("d");
  EXPECT_EQ(record.fields().SerializeAsString(),
            only_description.SerializeAsString());
  EXPECT_EQ(Json(R"({"identity":"b.com","status":null})").input_error(), "");
  EXPECT_EQ(Json(R"({"identity":"b.com","status":"x"})").input_error(), "");
}

TEST(ImportRecordsTest, CsvWithQuotedFieldsAndSemicolonDomains) {
  std::string fatal;
  auto records = Import(
      std::nullopt,
      "identity,description,additionalDomains,partnerType,tlsNegotiation,"
      "enableKeepAlive,connectionLimit\n"
      "a.com,\"Fabrikam, \"\"Inc.\"\"\",\" x.a.com ; y.a.com\",federated,"
      "REQUIRED,TRUE,10\n"
      "b.com,,,,,,\n",
      &fatal);
  ASSERT_EQ(fatal, "");
  ASSERT_EQ(records.size(), 2u);
  const v1::ImportRecord& a = records[0];
  EXPECT_EQ(a.input_error(), "");
  EXPECT_EQ(a.line(), 2u);  // the file's line, the header being line 1
  EXPECT_EQ(a.identity(), "a.com");
  EXPECT_EQ(a.fields().description(), "Fabrikam, \"Inc.\"");
  EXPECT_THAT(a.fields().additional_domains().domains(),
              ElementsAre("x.a.com", "y.a.com"));
  EXPECT_EQ(a.fields().partner_type(), v1::PARTNER_TYPE_FEDERATED);
  EXPECT_EQ(a.fields().tls_negotiation(), v1::NEGOTIATION_REQUIRED);
  EXPECT_FALSE(a.fields().has_sasl_negotiation());
  EXPECT_TRUE(a.fields().enable_keep_alive());
  EXPECT_EQ(a.fields().connection_limit(), 10u);

  // Empty cells: text fields become "", the others are not given.
  const v1::ImportRecord& b = records[1];
  EXPECT_EQ(b.input_error(), "");
  EXPECT_EQ(b.line(), 3u);
  EXPECT_TRUE(b.fields().has_description());
  EXPECT_EQ(b.fields().description(), "");
  EXPECT_TRUE(b.fields().has_additional_domains());
  EXPECT_EQ(b.fields().additional_domains().domains_size(), 0);
  EXPECT_FALSE(b.fields().has_partner_type());
  EXPECT_FALSE(b.fields().has_tls_negotiation());
  EXPECT_FALSE(b.fields().has_enable_keep_alive());
  EXPECT_FALSE(b.fields().has_connection_limit());
}

TEST(ImportRecordsTest, CsvUnknownColumnIsNamed) {
  std::string fatal;
  auto records =
      Import(InputFormat::kCsv, "identity,colour\na.com,red\n", &fatal);
  EXPECT_TRUE(records.empty());
  EXPECT_THAT(fatal, HasSubstr("unknown column 'colour'"));
  EXPECT_THAT(fatal, HasSubstr("connectionLimit"));  // lists the columns
}

TEST(ImportRecordsTest, JsonValuesOfEveryType) {
  v1::ImportRecord r = Json(
      R"({"identity": "a.com", "additionalDomains": ["x.a.com", "y.a.com"],)"
      R"( "saslNegotiation": "notsupported", "supportDialbackNegotiation":)"
      R"( false, "proxyFqdn": "proxy.a.com", "connectionLimit": 4294967295,)"
      R"( "description": null, "partnerType": null, "revision": 7,)"
      R"( "createdAt": "2024-01-01T00:00:00Z", "modifiedAt": {}})");
  EXPECT_EQ(r.input_error(), "");
  EXPECT_EQ(r.identity(), "a.com");
  EXPECT_THAT(r.fields().additional_domains().domains(),
              ElementsAre("x.a.com", "y.a.com"));
  EXPECT_EQ(r.fields().sasl_negotiation(), v1::NEGOTIATION_NOT_SUPPORTED);
  EXPECT_TRUE(r.fields().has_support_dialback_negotiation());
  EXPECT_FALSE(r.fields().support_dialback_negotiation());
  EXPECT_EQ(r.fields().proxy_fqdn(), "proxy.a.com");
  EXPECT_EQ(r.fields().connection_limit(), 4294967295u);
  EXPECT_FALSE(r.fields().has_description());  // null: not given
  EXPECT_FALSE(r.fields().has_partner_type());
}

TEST(ImportRecordsTest, WrongTypesNameFieldValueAndRule) {
  EXPECT_EQ(Json(R"({"identity": 5})").input_error(),
            "identity=5: must be a string");
  EXPECT_EQ(Json(R"({"identity": "a", "description": true})").input_error(),
            "description=true: must be a string");
  EXPECT_EQ(
      Json(R"({"identity": "a", "additionalDomains": ["x", 1]})").input_error(),
      "additionalDomains=1: must be an array of strings");
  EXPECT_THAT(
      Json(R"({"identity": "a", "additionalDomains": {}})").input_error(),
      HasSubstr("additionalDomains=(object): must be an array of strings, or "
                "one string"));
  EXPECT_EQ(
      Json(R"({"identity": "a", "partnerType": "Friendly"})").input_error(),
      "partnerType=Friendly: must be Federated, PublicVerified or "
      "PublicUnverified (any case)");
  EXPECT_EQ(
      Json(R"({"identity": "a", "enableKeepAlive": "yes"})").input_error(),
      "enableKeepAlive=yes: must be true or false");
  for (const char* limit : {"-1", "1.5", "4294967296", "\"\"", "\"+3\""}) {
    EXPECT_THAT(Json(std::string(R"({"identity": "a", "connectionLimit": )") +
                     limit + "}")
                    .input_error(),
                HasSubstr("must be a whole number from 0 to 100000"))
        << limit;
  }
}

TEST(ImportRecordsTest, UnknownKeyAndMissingIdentity) {
  v1::ImportRecord unknown = Json(R"({"identity": "a.com", "colour": "red"})");
  EXPECT_EQ(unknown.identity(), "a.com");
  EXPECT_EQ(unknown.input_error(),
            "unknown key 'colour'; the keys are those of get-partner -o json");
  EXPECT_EQ(Json(R"({"description": "x"})").input_error(),
            "identity=\"\": is required");
  EXPECT_EQ(Json(R"({"identity": null})").input_error(),
            "identity=\"\": is required");
}

TEST(ImportRecordsTest, ReaderErrorsPassThroughWithTheIdentity) {
  auto records = Import(InputFormat::kCsv,
                        "identity,description\na.com,say \"hi\"\nb.com\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].identity(), "a.com");
  EXPECT_THAT(records[0].input_error(), HasSubstr("column 11: a quote"));
  EXPECT_EQ(records[1].identity(), "b.com");
  EXPECT_EQ(records[1].input_error(), "1 fields; the header has 2");

  v1::ImportRecord broken = One(InputFormat::kNdjson, "{\"identity\": ");
  EXPECT_EQ(broken.line(), 1u);
  EXPECT_THAT(broken.input_error(), HasSubstr("invalid JSON at column 14"));
}

TEST(ImportRecordsTest, AnEmptyDomainInAListIsRefused) {
  for (const char* list : {"a.test;;b.test", "a.test;", ";a.test", " ; "}) {
    v1::ImportRecord record =
        Json(std::string(R"({"identity": "x.test", "additionalDomains": ")") +
             list + "\"}");
    EXPECT_THAT(record.input_error(),
                HasSubstr(": an empty domain between ';'"))
        << list;
    EXPECT_FALSE(record.fields().has_additional_domains()) << list;
  }
  // "" is the empty list.
  v1::ImportRecord empty =
      Json(R"({"identity": "x.test", "additionalDomains": ""})");
  EXPECT_EQ(empty.input_error(), "");
  EXPECT_TRUE(empty.fields().has_additional_domains());
  EXPECT_EQ(empty.fields().additional_domains().domains_size(), 0);
}

TEST(ImportRecordsTest, ADotNetTypeNameSaysHowToExportTheList) {
  for (const char* cell :
       {"System.Collections.Generic.List`1[System.String]",
        "Microsoft.Rtc.Management.WritableConfig.Policy.Xmpp.DomainList",
        "Deserialized.System.Object[]"}) {
    auto records =
        Import(InputFormat::kCsv, std::string("Identity,AdditionalDomains\n"
                                              "fabrikam.com,\"") +
                                      cell + "\"\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].identity(), "fabrikam.com");
    EXPECT_THAT(records[0].input_error(),
                HasSubstr(std::string("additionalDomains=") + cell +
                          ": it is the name of a .NET type, which "
                          "PowerShell's Export-Csv writes for a list"));
    EXPECT_THAT(records[0].input_error(),
                HasSubstr("$_.AdditionalDomains -join ';'"));
  }
  // Domains that merely look dotted are domains.
  auto records = Import(InputFormat::kCsv,
                        "identity,additionalDomains\n"
                        "fabrikam.com,system.fabrikam.com;microsoft.example\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].input_error(), "");
}

TEST(ImportRecordsTest, InvalidUtf8IsOneRefusedRecordWithItsPosition) {
  auto records = Import(InputFormat::kCsv,
                        "identity,description\n"
                        "u1.test,fine\n"
                        "u2.test,bad\xff"
                        "byte\n"
                        "u3\xfe.test,x\n"
                        "u4.test,\"two\nlines \xc3\"\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].input_error(), "");
  EXPECT_EQ(records[1].line(), 3u);
  EXPECT_EQ(records[1].identity(), "u2.test");
  EXPECT_EQ(records[1].input_error(),
            "line 3, column 12: not valid UTF-8 (byte 0xFF); save the file as "
            "UTF-8");
  // The identity itself: shown escaped, so the message can carry it.
  EXPECT_EQ(records[2].identity(), "u3\\xFE.test");
  EXPECT_THAT(records[2].input_error(),
              HasSubstr("line 4, column 3: not valid UTF-8 (byte 0xFE)"));
  // Inside a quoted field over two lines.
  EXPECT_THAT(records[3].input_error(),
              HasSubstr("line 6, column 7: not valid UTF-8 (byte 0xC3)"));
  for (const v1::ImportRecord& record : records) {
    std::string wire;
    EXPECT_TRUE(record.SerializeToString(&wire)) << record.DebugString();
  }

  std::vector<v1::ImportRecord> lines =
      Import(InputFormat::kNdjson,
             "{\"identity\": \"a.test\"}\n{\"identity\": \"b.test\", "
             "\"description\": \"x\xe2\x82\"}\n");
  ASSERT_EQ(lines.size(), 2u);
  const v1::ImportRecord& ndjson = lines[1];
  EXPECT_EQ(ndjson.line(), 2u);
  EXPECT_EQ(ndjson.identity(), "b.test");
  EXPECT_EQ(ndjson.input_error(),
            "line 2, column 41: not valid UTF-8 (byte 0xE2); save the file as "
            "UTF-8");
}

TEST(ImportRecordsTest, JsonArrayRecordsKeepTheirLines) {
  auto records =
      Import(std::nullopt,
             "[\n{\"identity\": \"a.com\"},\n\n"
             "{\"identity\": \"b.com\", \"enableKeepAlive\": true}]");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line(), 2u);
  EXPECT_EQ(records[1].line(), 4u);
  EXPECT_TRUE(records[1].fields().enable_keep_alive());
}

}  // namespace
}  // namespace xmppfed::cli
