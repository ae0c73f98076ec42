// DefaultGatewayConfig and ApplyGatewayFields against SPEC §3.
#include "agent/policy/gateway_rules.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/errors/field_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

v1::ErrorDetail DetailOf(const absl::Status& status) {
  return errors::GetErrorDetail(status).value_or(v1::ErrorDetail());
}

absl::StatusOr<std::vector<std::string>> Apply(
    const v1::GatewayConfigFields& fields, v1::GatewayConfig* config,
    std::optional<std::string>* passphrase = nullptr) {
  std::optional<std::string> ignored;
  return ApplyGatewayFields(fields, config, passphrase ? passphrase : &ignored);
}

TEST(DefaultGatewayConfigTest, HasTheSpecDefaults) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  EXPECT_EQ(c.connection_limit(), 1000u);
  EXPECT_EQ(c.partner_connection_limit(), 20u);
  EXPECT_EQ(c.keep_alive_interval(), 300u);
  EXPECT_EQ(c.stream_establishment_timeout(), 60u);
  EXPECT_EQ(c.stream_inactivity_timeout(), 600u);
  EXPECT_EQ(c.max_stanza_size(), 262144u);
  EXPECT_EQ(c.stream_output_high_watermark(), 1048576u);
  EXPECT_EQ(c.stream_output_low_watermark(), 262144u);
  EXPECT_EQ(c.component_connection_limit(), 100u);
  EXPECT_FALSE(c.enable_logging_all_message_bodies());
  EXPECT_EQ(c.unauthenticated_stream_limit(), 100u);
  EXPECT_EQ(c.unauthenticated_streams_per_address(), 10u);
  EXPECT_EQ(c.unauthenticated_stream_timeout(), 30u);
  EXPECT_TRUE(c.enable_bidirectional_streams());
  EXPECT_EQ(c.revision(), 0u);
}

TEST(WithGatewayDefaultsTest, SettingsStoredBeforeTheyExistedGetTheirDefault) {
  v1::GatewayConfig stored = DefaultGatewayConfig();
  stored.set_connection_limit(50);
  stored.clear_stream_output_high_watermark();
  stored.clear_stream_output_low_watermark();
  stored.clear_component_connection_limit();
  stored.clear_unauthenticated_stream_limit();
  stored.clear_unauthenticated_streams_per_address();
  stored.clear_unauthenticated_stream_timeout();
  v1::GatewayConfig read = WithGatewayDefaults(stored);
  EXPECT_EQ(read.unauthenticated_stream_timeout(), 30u);
  EXPECT_EQ(read.unauthenticated_stream_limit(), 100u);
  EXPECT_EQ(read.unauthenticated_streams_per_address(), 10u);
  EXPECT_EQ(read.connection_limit(), 50u);
  EXPECT_EQ(read.stream_output_high_watermark(), 1048576u);
  EXPECT_EQ(read.stream_output_low_watermark(), 262144u);
  EXPECT_EQ(read.component_connection_limit(), 100u);
}

TEST(WithGatewayDefaultsTest,
     BidirectionalStreamsStoredBeforeTheyExistedAreOn) {
  v1::GatewayConfig stored = DefaultGatewayConfig();
  stored.clear_enable_bidirectional_streams();
  // What an older agent wrote: the field is absent from the bytes.
  v1::GatewayConfig parsed;
  ASSERT_TRUE(parsed.ParseFromString(stored.SerializeAsString()));
  EXPECT_TRUE(WithGatewayDefaults(parsed).enable_bidirectional_streams());
}

TEST(WithGatewayDefaultsTest, BidirectionalStreamsTurnedOffStayOff) {
  v1::GatewayConfig stored = DefaultGatewayConfig();
  stored.set_enable_bidirectional_streams(false);
  v1::GatewayConfig parsed;
  ASSERT_TRUE(parsed.ParseFromString(stored.SerializeAsString()));
  EXPECT_FALSE(WithGatewayDefaults(parsed).enable_bidirectional_streams());
}

TEST(ApplyGatewayFieldsTest, BidirectionalStreamsCanBeTurnedOffAndOn) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_enable_bidirectional_streams(false);
  ASSERT_TRUE(Apply(fields, &c, nullptr).ok());
  EXPECT_FALSE(c.enable_bidirectional_streams());
  fields.set_enable_bidirectional_streams(true);
  ASSERT_TRUE(Apply(fields, &c, nullptr).ok());
  EXPECT_TRUE(c.enable_bidirectional_streams());
}

TEST(WithGatewayDefaultsTest, AStoredUnauthenticatedStreamTimeoutIsKept) {
  v1::GatewayConfig stored = DefaultGatewayConfig();
  stored.set_unauthenticated_stream_timeout(2);
  EXPECT_EQ(WithGatewayDefaults(stored).unauthenticated_stream_timeout(), 2u);
}

TEST(WithGatewayDefaultsTest, ALowWatermarkOfZeroIsKept) {
  v1::GatewayConfig stored = DefaultGatewayConfig();
  stored.set_stream_output_low_watermark(0);
  EXPECT_EQ(WithGatewayDefaults(stored).stream_output_low_watermark(), 0u);
}

TEST(ApplyGatewayFieldsTest, NoFieldsChangesNothingAndWarnsNothing) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  std::optional<std::string> passphrase;
  absl::StatusOr<std::vector<std::string>> got =
      Apply(v1::GatewayConfigFields(), &c, &passphrase);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(*got, IsEmpty());
  EXPECT_EQ(c.SerializeAsString(), DefaultGatewayConfig().SerializeAsString());
  EXPECT_FALSE(passphrase.has_value());
}

// One numeric field with its range: the bounds are accepted, one past each
// bound is refused under the field's JSON name.
struct RangeCase {
  std::string name;
  std::string field;
  std::function<void(v1::GatewayConfigFields*, uint32_t)> set;
  std::function<uint32_t(const v1::GatewayConfig&)> get;
  uint32_t min;
  uint32_t max;
};

class GatewayRangeTest : public ::testing::TestWithParam<RangeCase> {};

TEST_P(GatewayRangeTest, BoundsAcceptedAndOnePastRefused) {
  const RangeCase& rc = GetParam();
  for (uint32_t good : {rc.min, rc.max}) {
    v1::GatewayConfig c = DefaultGatewayConfig();
    // Room for either limit and either watermark to reach its own bounds.
    c.set_connection_limit(1000000);
    c.set_partner_connection_limit(1);
    c.set_stream_output_high_watermark(1073741824);
    c.set_stream_output_low_watermark(0);
    v1::GatewayConfigFields fields;
    rc.set(&fields, good);
    absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
    ASSERT_TRUE(got.ok()) << good << ": " << got.status();
    EXPECT_EQ(rc.get(c), good);
  }
  for (uint32_t bad : {rc.min - 1, rc.max + 1}) {
    v1::GatewayConfig c = DefaultGatewayConfig();
    c.set_connection_limit(1000000);
    c.set_partner_connection_limit(1);
    v1::GatewayConfigFields fields;
    rc.set(&fields, bad);
    absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
    ASSERT_FALSE(got.ok()) << bad << " accepted";
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(DetailOf(got.status()).field(), rc.field);
    EXPECT_EQ(DetailOf(got.status()).value(), std::to_string(bad));
    EXPECT_THAT(std::string(got.status().message()),
                ::testing::StartsWith(rc.field + "=" + std::to_string(bad) +
                                      ": must be from "));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, GatewayRangeTest,
    ::testing::Values(
        RangeCase{"ConnectionLimit", "connectionLimit",
                  [](auto* f, uint32_t v) { f->set_connection_limit(v); },
                  [](const auto& c) { return c.connection_limit(); }, 1,
                  1000000},
        RangeCase{
            "PartnerConnectionLimit", "partnerConnectionLimit",
            [](auto* f, uint32_t v) { f->set_partner_connection_limit(v); },
            [](const auto& c) { return c.partner_connection_limit(); }, 1,
            1000000},
        RangeCase{"KeepAliveInterval", "keepAliveInterval",
                  [](auto* f, uint32_t v) { f->set_keep_alive_interval(v); },
                  [](const auto& c) { return c.keep_alive_interval(); }, 10,
                  86400},
        RangeCase{
            "StreamEstablishmentTimeout", "streamEstablishmentTimeout",
            [](auto* f, uint32_t v) { f->set_stream_establishment_timeout(v); },
            [](const auto& c) { return c.stream_establishment_timeout(); }, 5,
            3600},
        RangeCase{
            "StreamInactivityTimeout", "streamInactivityTimeout",
            [](auto* f, uint32_t v) { f->set_stream_inactivity_timeout(v); },
            [](const auto& c) { return c.stream_inactivity_timeout(); }, 10,
            86400},
        RangeCase{"MaxStanzaSize", "maxStanzaSize",
                  [](auto* f, uint32_t v) { f->set_max_stanza_size(v); },
                  [](const auto& c) { return c.max_stanza_size(); }, 10000,
                  16777216},
        RangeCase{
            "StreamOutputHighWatermark", "streamOutputHighWatermark",
            [](auto* f, uint32_t v) { f->set_stream_output_high_watermark(v); },
            [](const auto& c) { return c.stream_output_high_watermark(); },
            16384, 1073741824},
        RangeCase{
            "ComponentConnectionLimit", "componentConnectionLimit",
            [](auto* f, uint32_t v) { f->set_component_connection_limit(v); },
            [](const auto& c) { return c.component_connection_limit(); }, 1,
            10000},
        RangeCase{
            "UnauthenticatedStreamLimit", "unauthenticatedStreamLimit",
            [](auto* f, uint32_t v) { f->set_unauthenticated_stream_limit(v); },
            [](const auto& c) { return c.unauthenticated_stream_limit(); }, 1,
            1000000},
        RangeCase{"UnauthenticatedStreamsPerAddress",
                  "unauthenticatedStreamsPerAddress",
                  [](auto* f, uint32_t v) {
                    f->set_unauthenticated_streams_per_address(v);
                  },
                  [](const auto& c) {
                    return c.unauthenticated_streams_per_address();
                  },
                  1, 1000000},
        RangeCase{
            "UnauthenticatedStreamTimeout", "unauthenticatedStreamTimeout",
            [](auto* f, uint32_t v) {
              f->set_unauthenticated_stream_timeout(v);
            },
            [](const auto& c) { return c.unauthenticated_stream_timeout(); }, 1,
            300}),
    [](const auto& info) { return info.param.name; });

TEST(ApplyGatewayFieldsTest, LowWatermarkBoundsAndItsRuleAgainstTheHighOne) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_stream_output_low_watermark(0);
  ASSERT_TRUE(Apply(fields, &c).ok());
  EXPECT_EQ(c.stream_output_low_watermark(), 0u);

  c = DefaultGatewayConfig();
  fields.set_stream_output_low_watermark(1048576);  // equal to the high mark
  absl::StatusOr<std::vector<std::string>> equal = Apply(fields, &c);
  ASSERT_FALSE(equal.ok());
  EXPECT_EQ(DetailOf(equal.status()).field(), "streamOutputLowWatermark");
  EXPECT_EQ(DetailOf(equal.status()).value(), "1048576");
  EXPECT_EQ(std::string(equal.status().message()),
            "streamOutputLowWatermark=1048576: streamOutputLowWatermark "
            "(1048576) must be below streamOutputHighWatermark (1048576)");

  c = DefaultGatewayConfig();
  fields.set_stream_output_low_watermark(1073741824);
  absl::StatusOr<std::vector<std::string>> past = Apply(fields, &c);
  ASSERT_FALSE(past.ok());
  EXPECT_THAT(std::string(past.status().message()),
              ::testing::HasSubstr("must be from 0 to 1073741823 bytes"));
}

TEST(ApplyGatewayFieldsTest, LoweringTheHighWatermarkBelowTheLowOneBlamesIt) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_stream_output_high_watermark(65536);
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).field(), "streamOutputHighWatermark");
  // Both together are judged on the result.
  c = DefaultGatewayConfig();
  fields.set_stream_output_low_watermark(16384);
  ASSERT_TRUE(Apply(fields, &c).ok());
  EXPECT_EQ(c.stream_output_high_watermark(), 65536u);
  EXPECT_EQ(c.stream_output_low_watermark(), 16384u);
}

TEST(ApplyGatewayFieldsTest, PartnerLimitAboveConnectionLimitBlamesPartner) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_partner_connection_limit(1001);
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "partnerConnectionLimit=1001: partnerConnectionLimit (1001) must "
            "not exceed connectionLimit (1000)");
  EXPECT_EQ(DetailOf(got.status()).field(), "partnerConnectionLimit");
}

TEST(ApplyGatewayFieldsTest, LoweringConnectionLimitBelowPartnerLimitBlamesIt) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_connection_limit(10);  // partnerConnectionLimit stays 20.
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).field(), "connectionLimit");
  EXPECT_EQ(DetailOf(got.status()).value(), "10");
}

TEST(ApplyGatewayFieldsTest, BothLimitsTogetherAreCheckedOnTheResult) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_connection_limit(10);
  fields.set_partner_connection_limit(10);
  ASSERT_TRUE(Apply(fields, &c).ok());
  EXPECT_EQ(c.connection_limit(), 10u);
  EXPECT_EQ(c.partner_connection_limit(), 10u);
}

TEST(ApplyGatewayFieldsTest, KeepAliveNotShorterThanInactivityWarns) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_keep_alive_interval(600);  // == streamInactivityTimeout.
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(
      *got,
      ElementsAre(HasSubstr("idle streams will time out before a keep-alive")));
  EXPECT_EQ(c.keep_alive_interval(), 600u);
}

TEST(ApplyGatewayFieldsTest, KeepAliveShorterThanInactivityDoesNotWarn) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_keep_alive_interval(599);
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
  ASSERT_TRUE(got.ok());
  EXPECT_THAT(*got, IsEmpty());
}

TEST(ApplyGatewayFieldsTest, TurningOnBodyLoggingWarns) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_enable_logging_all_message_bodies(true);
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(c.enable_logging_all_message_bodies());
  EXPECT_THAT(*got, ElementsAre(HasSubstr("every message body")));
  fields.set_enable_logging_all_message_bodies(false);
  got = Apply(fields, &c);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(c.enable_logging_all_message_bodies());
  EXPECT_THAT(*got, IsEmpty());
}

TEST(ApplyGatewayFieldsTest, ValidPassphraseIsHandedBack) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_dialback_passphrase("correct horse battery staple");
  std::optional<std::string> passphrase;
  ASSERT_TRUE(Apply(fields, &c, &passphrase).ok());
  EXPECT_EQ(passphrase, "correct horse battery staple");
  // The config message has nowhere to hold it.
  EXPECT_THAT(c.SerializeAsString(), Not(HasSubstr("battery")));
}

TEST(ApplyGatewayFieldsTest, PassphraseBoundsAreCountedInCharacters) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += "ß";  // 32 octets, 16 characters.
  v1::GatewayConfigFields fields;
  fields.set_dialback_passphrase(sixteen);
  EXPECT_TRUE(Apply(fields, &c).ok());
  fields.set_dialback_passphrase(std::string(1024, 'k'));
  EXPECT_TRUE(Apply(fields, &c).ok());
}

TEST(ApplyGatewayFieldsTest, PassphraseNeverAppearsInAnyError) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"SecretTooShort!", "at least 16 characters"},
      {std::string(1025, 'S'), "at most 1024 characters"},
      {"SecretWith\nNewline-12345", "control characters are not allowed"},
      {"SecretWith\tTab-123456789", "control characters are not allowed"},
      {"SecretBadUtf8\xff-123456789", "not valid UTF-8"},
  };
  for (const auto& [secret, rule] : bad) {
    v1::GatewayConfig c = DefaultGatewayConfig();
    v1::GatewayConfigFields fields;
    fields.set_dialback_passphrase(secret);
    std::optional<std::string> passphrase;
    absl::StatusOr<std::vector<std::string>> got =
        Apply(fields, &c, &passphrase);
    ASSERT_FALSE(got.ok()) << rule;
    EXPECT_EQ(got.status().message(), "dialbackPassphrase=(hidden): " + rule);
    v1::ErrorDetail detail = DetailOf(got.status());
    EXPECT_EQ(detail.field(), "dialbackPassphrase");
    EXPECT_EQ(detail.value(), "(hidden)");
    EXPECT_THAT(
        got.status().ToString(absl::StatusToStringMode::kWithEverything),
        Not(HasSubstr("Secret")));
    EXPECT_THAT(
        got.status().ToString(absl::StatusToStringMode::kWithEverything),
        Not(HasSubstr("SSSS")));
    EXPECT_FALSE(passphrase.has_value());
  }
}

TEST(ApplyGatewayFieldsTest, OtherFieldErrorsDoNotLeakOrStoreThePassphrase) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_connection_limit(0);
  fields.set_dialback_passphrase("SecretButValid-0123456789");
  std::optional<std::string> passphrase;
  absl::StatusOr<std::vector<std::string>> got = Apply(fields, &c, &passphrase);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).field(), "connectionLimit");
  EXPECT_THAT(got.status().ToString(absl::StatusToStringMode::kWithEverything),
              Not(HasSubstr("Secret")));
  EXPECT_FALSE(passphrase.has_value());
}

TEST(ApplyGatewayFieldsTest, PassphraseWithoutSlotIsAnInternalError) {
  v1::GatewayConfig c = DefaultGatewayConfig();
  v1::GatewayConfigFields fields;
  fields.set_dialback_passphrase("SecretButValid-0123456789");
  absl::StatusOr<std::vector<std::string>> got =
      ApplyGatewayFields(fields, &c, nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(got.status().message()), Not(HasSubstr("Secret")));
}

}  // namespace
}  // namespace xmppfed::policy
