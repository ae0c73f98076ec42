// Only the options given become present fields of the request.
#include "cli/rpc/request_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;

TEST(RequestFieldsTest, NothingGivenNothingPresent) {
  v1::PartnerFields fields = ToPartnerFields({});
  EXPECT_FALSE(fields.has_description());
  EXPECT_FALSE(fields.has_additional_domains());
  EXPECT_FALSE(fields.has_partner_type());
  EXPECT_FALSE(fields.has_tls_negotiation());
  EXPECT_FALSE(fields.has_support_dialback_negotiation());
  EXPECT_FALSE(fields.has_connection_limit());
  EXPECT_EQ(fields.ByteSizeLong(), 0u);
}

TEST(RequestFieldsTest, GivenOptionsArePresentEvenWhenEmptyOrZero) {
  PartnerFieldOptions options;
  options.description = "";
  options.additional_domains = std::vector<std::string>{};
  options.add_additional_domains = {"b.com"};
  options.remove_additional_domains = {"c.com"};
  options.partner_type = "Federated";
  options.tls_negotiation = "Optional";
  options.sasl_negotiation = "NotSupported";
  options.support_dialback_negotiation = false;
  options.enable_keep_alive = false;
  options.connection_limit = 0;
  v1::PartnerFields fields = ToPartnerFields(options);
  EXPECT_TRUE(fields.has_description());
  EXPECT_TRUE(fields.has_additional_domains());
  EXPECT_EQ(fields.additional_domains().domains_size(), 0);
  EXPECT_THAT(fields.add_additional_domains(), ElementsAre("b.com"));
  EXPECT_THAT(fields.remove_additional_domains(), ElementsAre("c.com"));
  EXPECT_EQ(fields.partner_type(), v1::PARTNER_TYPE_FEDERATED);
  EXPECT_EQ(fields.tls_negotiation(), v1::NEGOTIATION_OPTIONAL);
  EXPECT_EQ(fields.sasl_negotiation(), v1::NEGOTIATION_NOT_SUPPORTED);
  EXPECT_TRUE(fields.has_support_dialback_negotiation());
  EXPECT_FALSE(fields.support_dialback_negotiation());
  EXPECT_TRUE(fields.has_enable_keep_alive());
  EXPECT_TRUE(fields.has_connection_limit());
  EXPECT_FALSE(fields.has_proxy_fqdn());
}

TEST(RequestFieldsTest, GatewayFields) {
  GatewayFieldOptions options;
  options.keep_alive_interval = 30;
  options.enable_logging_all_message_bodies = false;
  options.enable_bidirectional_streams = false;
  options.dialback_passphrase_file = "/never/read/here";
  v1::GatewayConfigFields fields = ToGatewayFields(options);
  EXPECT_EQ(fields.keep_alive_interval(), 30u);
  EXPECT_TRUE(fields.has_enable_logging_all_message_bodies());
  EXPECT_TRUE(fields.has_enable_bidirectional_streams());
  EXPECT_FALSE(fields.enable_bidirectional_streams());
  EXPECT_FALSE(fields.has_connection_limit());
  EXPECT_FALSE(fields.has_dialback_passphrase());
}

TEST(RequestFieldsTest, PassphraseIsTheFirstLineOfTheFile) {
  char path[] = "/tmp/xmppfed-passphrase-XXXXXX";
  ::close(::mkstemp(path));
  std::ofstream(path) << "s3cret phrase\r\nsecond line\n";
  std::string error;
  EXPECT_EQ(ReadPassphraseFile(path, error), "s3cret phrase");
  std::remove(path);
  EXPECT_EQ(ReadPassphraseFile(path, error), std::nullopt);
  EXPECT_EQ(error, "No such file or directory");
}

}  // namespace
}  // namespace xmppfed::cli
