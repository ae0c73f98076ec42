#include "agent/config/setup_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

AgentOptions Serving(std::vector<std::string> domains) {
  AgentOptions options;
  options.local_domains = std::move(domains);
  options.s2s_listen = *ParseListenAddress("s2s-listen", "[::]:5269");
  options.component_listen = *ParseListenAddress("component-listen", "off");
  return options;
}

TEST(SetupChecksTest, AWorkableSetupHasNoWarning) {
  AgentOptions options = Serving({"example.test"});
  options.tls_credentials.push_back({"a.crt", "a.key"});
  EXPECT_THAT(SetupWarnings(options, {2, {"a.test", "b.test"}}), IsEmpty());
}

TEST(SetupChecksTest, NoLocalDomainIsAWarning) {
  EXPECT_THAT(SetupWarnings(Serving({}), {}),
              ElementsAre(HasSubstr("no local domain (--domain)")));
}

TEST(SetupChecksTest, PartnersRequiringTlsWithoutACertificateAreNamed) {
  std::vector<std::string> warnings = SetupWarnings(
      Serving({"example.test"}), {5, {"a.test", "b.test", "c.test"}});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("--s2s-listen [::]:5269"));
  EXPECT_THAT(warnings[0], HasSubstr("--tls-cert"));
  EXPECT_THAT(warnings[0], HasSubstr("5 partners require TLS (tlsNegotiation "
                                     "Required: a.test, b.test, c.test, ...)"));
  EXPECT_THAT(SetupWarnings(Serving({"example.test"}), {1, {"a.test"}}),
              ElementsAre(HasSubstr("1 partner requires TLS (tlsNegotiation "
                                    "Required: a.test)")));
}

TEST(SetupChecksTest, NoCertificateIsFineWhenNoPartnerRequiresTls) {
  EXPECT_THAT(SetupWarnings(Serving({"example.test"}), {}), IsEmpty());
}

TEST(SetupChecksTest, NoCertificateIsFineWithTheS2sListenerOff) {
  AgentOptions options = Serving({"example.test"});
  options.s2s_listen = *ParseListenAddress("s2s-listen", "off");
  EXPECT_THAT(SetupWarnings(options, {3, {"a.test"}}), IsEmpty());
}

}  // namespace
}  // namespace xmppfed::config
