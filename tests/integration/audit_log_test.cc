// The audit log seen from the shell: entries asserted field by field after
// changes, a refusal and a denial by real users; the filters of
// get-audit-log in every output form; security-relevant changes logged with
// their caller; a secret never in get-audit-log, the log file or ps.
#include <gmock/gmock.h>
#include <unistd.h>

#include "tests/integration/roles_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string HostName() {
  char name[256] = {};
  ::gethostname(name, sizeof(name) - 1);
  return name;
}

// "field: old -> new" for each change of an entry, "null" for none.
std::vector<std::string> Changes(const JsonValue& entry) {
  std::vector<std::string> out;
  const JsonValue* changes = Member(entry, "changes");
  if (changes == nullptr) return out;
  for (const JsonValue& change : Elements(*changes)) {
    auto text = [&](const char* key) {
      const JsonValue* value = Member(change, key);
      return value != nullptr && value->has_null_value() ? "null"
                                                         : Str(change, key);
    };
    out.push_back(Str(change, "field") + ": " + text("old") + " -> " +
                  text("new"));
  }
  return out;
}

const JsonValue& Caller(const JsonValue& entry) {
  static const JsonValue* const empty = new JsonValue();
  const JsonValue* caller = Member(entry, "caller");
  return caller == nullptr ? *empty : *caller;
}

class AuditLogTest : public RolesTest {
 protected:
  std::vector<JsonValue> Log(std::vector<std::string> filters = {}) {
    std::vector<std::string> args = {"get-audit-log"};
    args.insert(args.end(), filters.begin(), filters.end());
    JsonValue log = CliJson(args);
    EXPECT_TRUE(IsArray(log)) << ToJson(log);
    return Elements(log);
  }
};

TEST_F(AuditLogTest, EveryEntryFieldByField) {
  const Account& admin = Admin();
  const Account& viewer = Viewer();
  ASSERT_EQ(
      CliAs(admin, {"new-partner", "contoso.com", "--description", "Contoso"})
          .exit_code,
      0);
  ASSERT_EQ(CliAs(admin, {"set-partner", "contoso.com", "--tls-negotiation",
                          "NotSupported", "--sasl-negotiation", "NotSupported"})
                .exit_code,
            0);
  ASSERT_EQ(CliAs(viewer, {"set-partner", "contoso.com", "--description", "x"})
                .exit_code,
            77);
  ASSERT_EQ(CliAs(admin, {"new-partner", "contoso.com"}).exit_code, 1);

  std::vector<JsonValue> log = Log();
  ASSERT_EQ(log.size(), 4u) << ToJson(CliJson({"get-audit-log"}));
  for (const JsonValue& entry : log) {
    EXPECT_THAT(Keys(entry),
                ElementsAre("caller", "changes", "error", "identities", "node",
                            "result", "time", "verb"));
    EXPECT_EQ(Str(entry, "node"), HostName());
    EXPECT_THAT(Str(entry, "time"),
                ::testing::MatchesRegex(
                    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z"));
    EXPECT_GT(Num(Caller(entry), "pid"), 0);
  }
  // Newest first, times included.
  for (size_t i = 1; i < log.size(); ++i) {
    EXPECT_GE(Str(log[i - 1], "time"), Str(log[i], "time"));
  }

  const JsonValue& refused = log[0];
  EXPECT_EQ(Str(refused, "verb"), "new-partner");
  EXPECT_EQ(Str(Caller(refused), "user"), admin.name);
  EXPECT_EQ(Num(Caller(refused), "uid"), admin.uid);
  EXPECT_EQ(Str(Caller(refused), "role"), "Administrator");
  EXPECT_THAT(StrList(refused, "identities"), ElementsAre("contoso.com"));
  EXPECT_THAT(Changes(refused), ElementsAre());
  EXPECT_EQ(Str(refused, "result"), "refused");
  EXPECT_EQ(Str(refused, "error"),
            "identity=contoso.com: is already a partner");

  const JsonValue& denied = log[1];
  EXPECT_EQ(Str(denied, "verb"), "set-partner");
  EXPECT_EQ(Str(Caller(denied), "user"), viewer.name);
  EXPECT_EQ(Num(Caller(denied), "uid"), viewer.uid);
  EXPECT_EQ(Str(Caller(denied), "role"), "Viewer");
  EXPECT_THAT(StrList(denied, "identities"), ElementsAre());
  EXPECT_EQ(Str(denied, "result"), "denied");
  EXPECT_THAT(Str(denied, "error"),
              HasSubstr("set-partner needs the role Administrator"));

  const JsonValue& changed = log[2];
  EXPECT_EQ(Str(changed, "verb"), "set-partner");
  EXPECT_EQ(Str(Caller(changed), "user"), admin.name);
  EXPECT_THAT(StrList(changed, "identities"), ElementsAre("contoso.com"));
  EXPECT_THAT(Changes(changed),
              ElementsAre("tlsNegotiation: Required -> NotSupported",
                          "saslNegotiation: Required -> NotSupported"));
  EXPECT_EQ(Str(changed, "result"), "ok");
  EXPECT_EQ(Str(changed, "error"), "");

  const JsonValue& created = log[3];
  EXPECT_EQ(Str(created, "verb"), "new-partner");
  EXPECT_THAT(
      Changes(created),
      ElementsAre("description: null -> Contoso", "additionalDomains: null -> ",
                  "partnerType: null -> PublicUnverified",
                  "tlsNegotiation: null -> Required",
                  "saslNegotiation: null -> Required",
                  "supportDialbackNegotiation: null -> true",
                  "proxyFqdn: null -> ", "enableKeepAlive: null -> true",
                  "connectionLimit: null -> 0"));

  // The weakened TLS is also a warning in the log, with its caller.
  EXPECT_THAT(agent_->Log(),
              HasSubstr("warning security.tls.weakened identity=contoso.com "
                        "tlsNegotiation=NotSupported verb=set-partner caller=" +
                        admin.name + " uid=" + std::to_string(admin.uid)));
}

TEST_F(AuditLogTest, FiltersInEveryOutputForm) {
  const Account& admin = Admin();
  NewPartner("a.example");
  ASSERT_EQ(CliAs(admin, {"new-partner", "b.example"}).exit_code, 0);
  ASSERT_EQ(CliAs(admin, {"remove-partner", "a.example", "--force"}).exit_code,
            0);
  CliResult imported =
      CliAs(admin, {"import-partners", "-", "--format", "ndjson"},
            "{\"identity\":\"c.example\"}\n{\"identity\":\"bad example\"}\n");
  ASSERT_EQ(imported.exit_code, 4) << imported;
  ASSERT_EQ(CliAs(admin, {"new-partner", "b.example"}).exit_code, 1);

  auto verbs = [&](std::vector<std::string> filters) {
    std::vector<std::string> out;
    for (const JsonValue& entry : Log(std::move(filters))) {
      out.push_back(Str(entry, "verb"));
    }
    return out;
  };
  EXPECT_THAT(verbs({"--caller", admin.name}),
              ElementsAre("new-partner", "import-partners", "remove-partner",
                          "new-partner"));
  EXPECT_THAT(verbs({"--caller", "0"}), ElementsAre("new-partner"));
  EXPECT_THAT(verbs({"--identity", "A.Example"}),
              ElementsAre("remove-partner", "new-partner"));
  EXPECT_THAT(verbs({"--verb", "remove-partner"}),
              ElementsAre("remove-partner"));
  EXPECT_THAT(verbs({"--result", "ok", "--since", "1h"}),
              ElementsAre("import-partners", "remove-partner", "new-partner",
                          "new-partner"));
  EXPECT_THAT(verbs({"--until", "2020-01-01"}), ElementsAre());

  // The import: one entry with its counts and the identities it wrote.
  JsonValue import = Log({"--verb", "import-partners"}).at(0);
  EXPECT_THAT(StrList(import, "identities"), ElementsAre("c.example"));
  EXPECT_THAT(Changes(import),
              ElementsAre("created: null -> 1", "updated: null -> 0",
                          "unchanged: null -> 0", "refused: null -> 1"));
  EXPECT_EQ(Str(import, "error"), "1 record refused");

  CliResult ndjson =
      Cli({"get-audit-log", "--verb", "remove-partner", "-o", "ndjson"});
  ASSERT_EQ(ndjson.exit_code, 0) << ndjson;
  std::vector<JsonValue> lines;
  ASSERT_TRUE(ParseNdjson(ndjson.out, &lines));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Str(lines[0], "verb"), "remove-partner");

  CliResult csv =
      Cli({"get-audit-log", "--verb", "remove-partner", "-o", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv;
  EXPECT_THAT(csv.out, ::testing::StartsWith(
                           "time,node,user,uid,pid,role,verb,identities,"
                           "changes,result,error\n"));
  EXPECT_THAT(csv.out, HasSubstr("," + admin.name + "," +
                                 std::to_string(admin.uid) + ","));
  EXPECT_THAT(csv.out, HasSubstr(";partnerType: PublicUnverified -> -;"));

  CliResult table = Cli({"get-audit-log", "--result", "refused"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_THAT(table.out, HasSubstr("new-partner"));
  EXPECT_THAT(table.out, HasSubstr("is already a partner"));
  EXPECT_THAT(table.out, Not(HasSubstr("remove-partner")));

  CliResult bad = Cli({"get-audit-log", "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2) << bad;
  EXPECT_THAT(bad.err, HasSubstr("--since=yesterday: not a time"));

  // A removal and its caller are a warning in the log too.
  EXPECT_THAT(agent_->Log(), HasSubstr("warning security.partner.removed "
                                       "count=1 identities=a.example "
                                       "verb=remove-partner caller=" +
                                       admin.name));
}

// No users needed: root is enough to show where a secret could leak.
class AuditSecretTest : public AgentTest {};

TEST_F(AuditSecretTest, APassphraseIsNeverInTheAuditLogTheLogOrPs) {
  const std::string secret = "s3cret-dialback-passphrase-4711";
  std::string file = dir_.WriteFile("passphrase", secret + "\n");
  CliResult set = Cli({"set-gateway-config", "--dialback-passphrase-file", file,
                       "--enable-logging-all-message-bodies", "true"});
  ASSERT_EQ(set.exit_code, 0) << set;
  // Refused (too short): recorded, and its value nowhere either.
  const std::string short_secret = "tooShort4711";
  CliResult refused =
      Cli({"set-gateway-config", "--dialback-passphrase-file", "-"},
          short_secret + "\n");
  ASSERT_EQ(refused.exit_code, 1) << refused;

  for (const char* format : {"json", "ndjson", "csv", "table"}) {
    CliResult log = Cli({"get-audit-log", "-o", format});
    ASSERT_EQ(log.exit_code, 0) << log;
    EXPECT_THAT(log.out, Not(HasSubstr(secret))) << format;
    EXPECT_THAT(log.out, Not(HasSubstr(short_secret))) << format;
    EXPECT_THAT(log.out, HasSubstr("dialbackPassphrase")) << format;
  }
  JsonValue entry = Elements(CliJson({"get-audit-log", "--result", "ok"}))[0];
  EXPECT_THAT(Changes(entry),
              ElementsAre("enableLoggingAllMessageBodies: false -> true",
                          "dialbackPassphrase: (changed) -> (changed)"));

  std::string agent_log = agent_->Log();
  EXPECT_THAT(agent_log, Not(HasSubstr(secret)));
  EXPECT_THAT(agent_log, Not(HasSubstr(short_secret)));
  EXPECT_THAT(agent_log, HasSubstr("warning security.dialback_passphrase."
                                   "changed dialbackPassphrase=(changed)"));
  EXPECT_THAT(agent_log, HasSubstr("warning security.message_bodies.logged"));
  ProcessResult ps = RunProcess("/bin/ps", {"-eo", "args"});
  ASSERT_TRUE(ps.status.exited) << ps.spawn_error;
  EXPECT_THAT(ps.out, HasSubstr(agent_->socket_path())) << "the agent runs";
  EXPECT_THAT(ps.out, Not(HasSubstr(secret)));
}

}  // namespace
}  // namespace xmppfed::testing
