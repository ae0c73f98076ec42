// get-session and remove-session in the CLI without an agent: the session
// record (SPEC §5 keys, order, spellings), its list layout in every format,
// the words remove-session uses for a session, and the command lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <vector>

#include "cli/front/parse_invocation.h"
#include "cli/output/json.h"
#include "cli/rpc/records.h"
#include "cli/rpc/what_if.h"
#include "tests/unit/cli/parse_helpers.h"

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Session Sample() {
  v1::Session session;
  session.set_id(17);
  session.set_direction("Inbound");
  session.set_local_domain("example.test");
  session.set_remote_domain("chat.fabrikam.com");
  session.set_partner("fabrikam.com");
  session.set_auth("DialbackTls");
  session.set_tls_version("TLSv1.3");
  session.set_tls_cipher("TLS_AES_256_GCM_SHA384");
  session.set_peer_address("[2001:db8::7]:40312");
  session.mutable_established_at()->set_seconds(1795568523);
  session.mutable_established_at()->set_nanos(456000000);
  session.set_stanzas_in(3);
  session.set_stanzas_out(4);
  session.set_bytes_in(18446744073709551615ull);
  session.set_bytes_out(0);
  session.set_bidirectional(true);
  session.set_direct_tls(true);
  return session;
}

std::vector<std::string> Keys(const Record& record) {
  std::vector<std::string> keys;
  for (const Field& field : record.fields) keys.push_back(field.key);
  return keys;
}

TEST(SessionRecordTest, KeysInSpecOrder) {
  EXPECT_THAT(
      Keys(SessionRecord(v1::Session())),
      ElementsAre("id", "direction", "localDomain", "remoteDomain", "partner",
                  "auth", "tlsVersion", "tlsCipher", "peerAddress",
                  "establishedAt", "stanzasIn", "stanzasOut", "bytesIn",
                  "bytesOut", "bidirectional", "directTls"));
}

TEST(SessionRecordTest, AsJsonWithNumbersAsNumbers) {
  EXPECT_EQ(CompactJson(SessionRecord(Sample())),
            R"({"id":17,"direction":"Inbound","localDomain":"example.test",)"
            R"("remoteDomain":"chat.fabrikam.com","partner":"fabrikam.com",)"
            R"("auth":"DialbackTls","tlsVersion":"TLSv1.3",)"
            R"("tlsCipher":"TLS_AES_256_GCM_SHA384",)"
            R"("peerAddress":"[2001:db8::7]:40312",)"
            R"("establishedAt":"2026-11-25T01:02:03.456Z",)"
            R"("stanzasIn":3,"stanzasOut":4,)"
            R"("bytesIn":18446744073709551615,"bytesOut":0,)"
            R"("bidirectional":true,"directTls":true})");
}

TEST(SessionRecordTest, StillNegotiatingHasNoEstablishedAt) {
  v1::Session session;
  session.set_id(2);
  session.set_direction("Outbound");
  EXPECT_THAT(CompactJson(SessionRecord(session)),
              HasSubstr(R"("auth":"","tlsVersion":"","tlsCipher":"",)"
                        R"("peerAddress":"","establishedAt":"",)"));
}

std::string List(OutputFormat format, const std::vector<v1::Session>& rows) {
  std::ostringstream out;
  std::unique_ptr<RecordWriter> writer =
      MakeListWriter(format, out, SessionListLayout());
  for (const v1::Session& session : rows) writer->Write(SessionRecord(session));
  writer->Finish();
  return out.str();
}

TEST(SessionListTest, EmptyListInEveryFormat) {
  EXPECT_EQ(List(OutputFormat::kJson, {}), "[]\n");
  EXPECT_EQ(List(OutputFormat::kNdjson, {}), "");
  // CSV: the header alone, every key of SPEC §5 in order.
  EXPECT_EQ(List(OutputFormat::kCsv, {}),
            "id,direction,localDomain,remoteDomain,partner,auth,tlsVersion,"
            "tlsCipher,peerAddress,establishedAt,stanzasIn,stanzasOut,"
            "bytesIn,bytesOut,bidirectional,directTls\n");
}

TEST(SessionListTest, OneSessionIsStillAJsonArray) {
  std::string json = List(OutputFormat::kJson, {Sample()});
  EXPECT_EQ(json.front(), '[');
  EXPECT_THAT(json, HasSubstr("\"id\": 17"));
  EXPECT_EQ(List(OutputFormat::kNdjson, {Sample()}),
            CompactJson(SessionRecord(Sample())) + "\n");
  EXPECT_THAT(List(OutputFormat::kCsv, {Sample()}),
              HasSubstr("\n17,Inbound,example.test,chat.fabrikam.com,"
                        "fabrikam.com,DialbackTls,TLSv1.3,"
                        "TLS_AES_256_GCM_SHA384,[2001:db8::7]:40312,"
                        "2026-11-25T01:02:03.456Z,3,4,18446744073709551615,"
                        "0,true,true\n"));
}

TEST(SessionListTest, TableShowsTheReadableColumns) {
  ListLayout layout = SessionListLayout();
  std::vector<std::string> headers;
  for (const TableColumn& column : layout.table_columns) {
    headers.push_back(column.header);
  }
  EXPECT_THAT(headers,
              ElementsAre("Id", "Direction", "Bidi", "LocalDomain",
                          "RemoteDomain", "Partner", "Auth", "TlsVersion",
                          "EstablishedAt", "StanzasIn", "StanzasOut"));
  EXPECT_EQ(layout.keys, Keys(SessionRecord(v1::Session())));
  std::string table = List(OutputFormat::kTable, {Sample()});
  EXPECT_THAT(table, HasSubstr("Id Direction Bidi LocalDomain"));
  EXPECT_THAT(table, HasSubstr("17 Inbound   true example.test"));
  EXPECT_THAT(table, ::testing::Not(HasSubstr("TLS_AES_256_GCM_SHA384")));
}

TEST(SessionTextTest, NamesIdDirectionAndRemoteDomain) {
  EXPECT_EQ(DescribeSession(Sample()), "17 (Inbound chat.fabrikam.com)");
  v1::Session negotiating;
  negotiating.set_id(3);
  negotiating.set_direction("Outbound");
  EXPECT_EQ(DescribeSession(negotiating), "3 (Outbound)");
}

using testing::Ok;
using testing::Parse;
using testing::UsageError;

TEST(SessionParseTest, GetSessionWithAndWithoutPartner) {
  Invocation all = Ok({"get-session", "-o", "json"});
  EXPECT_EQ(all.verb, "get-session");
  EXPECT_EQ(all.session.partner, "");
  EXPECT_THAT(all.session.ids, IsEmpty());
  EXPECT_EQ(Ok({"get-session", "--partner", "fabrikam.com"}).session.partner,
            "fabrikam.com");
  EXPECT_EQ(Ok({"get-session", "--partner=Fabrikam.COM"}).session.partner,
            "Fabrikam.COM");  // normalised by the agent
  EXPECT_THAT(UsageError({"get-session", "17"}), HasSubstr("17"));
}

TEST(SessionParseTest, RemoveSessionTakesIds) {
  Invocation inv =
      Ok({"remove-session", "17", "3", "18446744073709551615", "--force"});
  EXPECT_EQ(inv.verb, "remove-session");
  EXPECT_THAT(inv.session.ids, ElementsAre(17u, 3u, 18446744073709551615u));
  EXPECT_EQ(inv.session.partner, "");
  EXPECT_TRUE(inv.global.force);
}

TEST(SessionParseTest, RemoveSessionTakesAPartner) {
  Invocation inv =
      Ok({"remove-session", "--partner", "fabrikam.com", "--what-if"});
  EXPECT_THAT(inv.session.ids, IsEmpty());
  EXPECT_EQ(inv.session.partner, "fabrikam.com");
  EXPECT_TRUE(inv.global.what_if);
}

TEST(SessionParseTest, RemoveSessionNeedsIdsOrAPartnerNotBoth) {
  EXPECT_THAT(UsageError({"remove-session"}),
              HasSubstr("remove-session: give the ID of each session to "
                        "close, or --partner IDENTITY (one of the two)"));
  EXPECT_THAT(UsageError({"remove-session", "17", "--partner", "fabrikam.com"}),
              HasSubstr("(one of the two)"));
}

TEST(SessionParseTest, ABadIdIsAUsageErrorNamingIt) {
  for (const char* bad :
       {"0", "abc", "12x", "1.5", "+3", " 4", "18446744073709551616"}) {
    std::string err = UsageError({"remove-session", "17", bad});
    EXPECT_THAT(err, HasSubstr("remove-session")) << bad;
    EXPECT_THAT(err,
                HasSubstr(std::string("'") + bad + "' is not a session id"))
        << err;
  }
  // A negative number reads as an option; still a usage error naming it.
  EXPECT_THAT(UsageError({"remove-session", "-4"}), HasSubstr("-4"));
}

}  // namespace
}  // namespace xmppfed::cli
