#include "agent/config/config_change.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

AgentOptions With(std::map<std::string, std::vector<std::string>> given) {
  AgentOptions options;
  options.given = std::move(given);
  return options;
}

TEST(ConfigChangeTest, NothingChangedIsNothingToDo) {
  AgentOptions options =
      With({{"domain", {"a.test"}}, {"log-level", {"info"}}});
  ConfigChange change = CompareConfig(options, options);
  EXPECT_THAT(change.live, IsEmpty());
  EXPECT_THAT(change.need_restart, IsEmpty());
}

TEST(ConfigChangeTest, LogKeysApplyAtOnceOthersAtTheNextStart) {
  ConfigChange change = CompareConfig(With({{"domain", {"a.test"}},
                                            {"log-level", {"info"}},
                                            {"s2s-listen", {"off"}}}),
                                      With({{"domain", {"a.test", "b.test"}},
                                            {"log-level", {"debug"}},
                                            {"log-format", {"json"}},
                                            {"s2s-listen", {"off"}}}));
  EXPECT_THAT(change.live, ElementsAre("log-format", "log-level"));
  EXPECT_THAT(change.need_restart, ElementsAre("domain"));
}

TEST(ConfigChangeTest, AKeyRemovedFromTheFileIsAChange) {
  ConfigChange change = CompareConfig(
      With({{"log-file", {"/var/log/x.log"}}, {"tls-cert", {"a.crt"}}}),
      With({}));
  EXPECT_THAT(change.live, ElementsAre("log-file"));
  EXPECT_THAT(change.need_restart, ElementsAre("tls-cert"));
}

TEST(ConfigChangeTest, OnlyTheLogKeysApplyLive) {
  for (const char* key : {"log-level", "log-format", "log-file"}) {
    EXPECT_TRUE(AppliesLive(key)) << key;
  }
  for (const char* key : {"socket", "store", "domain", "tls-cert", "ca-file",
                          "s2s-listen", "component-secret", "future-key"}) {
    EXPECT_FALSE(AppliesLive(key)) << key;
  }
}

}  // namespace
}  // namespace xmppfed::config
