#include "agent/edge/core/descriptor_budget.h"

#include <gtest/gtest.h>

#include "agent/policy/gateway_rules.h"

namespace xmppfed::edge {
namespace {

TEST(DescriptorBudgetTest, TheUnitsLimitCoversTheDefaults) {
  v1::GatewayConfig defaults = policy::DefaultGatewayConfig();
  EXPECT_EQ(DescriptorBudgetShortfall(defaults, 256, 65536), "");
}

TEST(DescriptorBudgetTest, AShellsLimitIsShortAndTheWarningNamesTheNumbers) {
  v1::GatewayConfig defaults = policy::DefaultGatewayConfig();
  std::string shortfall = DescriptorBudgetShortfall(defaults, 256, 1024);
  EXPECT_NE(shortfall.find("connectionLimit 1000"), std::string::npos)
      << shortfall;
  EXPECT_NE(shortfall.find("componentConnectionLimit 100"), std::string::npos)
      << shortfall;
  EXPECT_NE(shortfall.find("need 1484 file descriptors, but the limit is 1024"),
            std::string::npos)
      << shortfall;
  EXPECT_NE(shortfall.find("LimitNOFILE"), std::string::npos) << shortfall;
}

TEST(DescriptorBudgetTest, NoLimitNoShortfall) {
  v1::GatewayConfig defaults = policy::DefaultGatewayConfig();
  EXPECT_EQ(DescriptorBudgetShortfall(defaults, 256, 0), "");
}

TEST(DescriptorBudgetTest, ExactlyEnoughIsEnough) {
  v1::GatewayConfig gateway;
  gateway.set_connection_limit(100);
  gateway.set_component_connection_limit(10);
  // 100 + 10 + 6 + 16 (reserve of 200) + 64 = 196.
  EXPECT_EQ(DescriptorBudgetShortfall(gateway, 6, 196), "");
  EXPECT_NE(DescriptorBudgetShortfall(gateway, 7, 196), "");
}

}  // namespace
}  // namespace xmppfed::edge
