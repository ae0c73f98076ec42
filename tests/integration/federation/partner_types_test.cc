// Partner types between two agents (SPEC §4): what partner.test lets through
// from example.test, and what example.test lets out to partner.test, for each
// type of the partner.
#include <gtest/gtest.h>

#include "tests/integration/federation/federation_fixture.h"

namespace xmppfed::testing {
namespace {

class PartnerTypesTest : public FederationTest {
 protected:
  // `type`: the type each agent gives the other.
  void Start(const std::string& type) {
    StartAgent(example_, partner_.certificates.ca_cert);
    StartAgent(partner_, example_.certificates.ca_cert);
    std::vector<std::string> policy = {"--sasl-negotiation", "NotSupported",
                                       "--partner-type", type};
    AddPartner(example_, partner_, policy);
    AddPartner(partner_, example_, policy);
    ConnectGateway(example_);
    ConnectGateway(partner_);
  }

  // A message from alice@example.test to bob@partner.test with id `id`;
  // returns what partner.test's gateway got ("" if nothing).
  std::string MessageToBob(const std::string& id) {
    example_.gateway->Send(
        "<message from='alice@example.test/desk' to='bob@partner.test' "
        "type='chat' id='" +
        id + "'><body>" + id + "</body></message>");
    return partner_.gateway
        ->WaitFor(
            [&](const std::string& xml) {
              return xml.find("id=\"" + id + "\"") != std::string::npos;
            },
            std::chrono::seconds(3))
        .value_or("");
  }

  std::optional<std::string> BounceAtExample(const std::string& id) {
    return example_.gateway->WaitFor([&](const std::string& xml) {
      return xml.find("id=\"" + id + "\"") != std::string::npos &&
             xml.find("type=\"error\"") != std::string::npos;
    });
  }

  // SIGTERM, or SIGKILL when `kill`.
  void RestartPartnerAgent(bool kill = false) {
    partner_.gateway.reset();
    if (kill) {
      partner_.agent->Kill();
    } else {
      ExitStatus stopped = partner_.agent->Terminate();
      ASSERT_TRUE(stopped.exited && stopped.code == 0) << stopped;
    }
    StartAgent(partner_, example_.certificates.ca_cert);
    // Its S2S port changed; tell example.test where it is now.
    CliResult moved =
        example_.Cli({"set-partner", "partner.test", "--proxy-fqdn",
                      "127.0.0.1:" + std::to_string(partner_.s2s_port)});
    ASSERT_EQ(moved.exit_code, 0) << moved;
    ConnectGateway(partner_);
  }
};

constexpr char kPresenceWithStatus[] =
    "<presence from='alice@example.test/desk' to='bob@partner.test' "
    "id='p1'><show>away</show><status>At the dentist</status></presence>";

std::function<bool(const std::string&)> PresenceWithId(const char* id) {
  return [id](const std::string& xml) {
    return xml.find("<presence") != std::string::npos &&
           xml.find(std::string("id=\"") + id + "\"") != std::string::npos;
  };
}

TEST_F(PartnerTypesTest, FederatedPartnerSeesTheStatusText) {
  Start("Federated");
  example_.gateway->Send(kPresenceWithStatus);
  std::optional<std::string> presence =
      partner_.gateway->WaitFor(PresenceWithId("p1"));
  ASSERT_TRUE(presence.has_value()) << example_.agent->Log();
  EXPECT_NE(presence->find("At the dentist"), std::string::npos) << *presence;
}

TEST_F(PartnerTypesTest, PublicVerifiedPartnerGetsPresenceWithoutStatus) {
  Start("PublicVerified");
  example_.gateway->Send(kPresenceWithStatus);
  std::optional<std::string> presence =
      partner_.gateway->WaitFor(PresenceWithId("p1"));
  ASSERT_TRUE(presence.has_value()) << example_.agent->Log();
  EXPECT_EQ(presence->find("dentist"), std::string::npos) << *presence;
  EXPECT_EQ(presence->find("<status"), std::string::npos) << *presence;
  EXPECT_NE(presence->find("<show>away</show>"), std::string::npos)
      << *presence;
  // Messages pass without any invitation.
  EXPECT_NE(MessageToBob("m-verified"), "") << partner_.agent->Log();
}

TEST_F(PartnerTypesTest, PublicUnverifiedContactReachesOnlyUsersWhoInvitedIt) {
  Start("PublicUnverified");
  // bob@partner.test never invited alice: her message is refused as if bob
  // did not exist, and her subscription request is dropped.
  EXPECT_EQ(MessageToBob("m-uninvited"), "");
  std::optional<std::string> bounce = BounceAtExample("m-uninvited");
  ASSERT_TRUE(bounce.has_value()) << partner_.agent->Log();
  EXPECT_NE(bounce->find("service-unavailable"), std::string::npos) << *bounce;
  EXPECT_NE(partner_.agent->Log().find("s2s.blocked"), std::string::npos);
  example_.gateway->Send(
      "<presence from='alice@example.test' to='bob@partner.test' "
      "type='subscribe' id='s-uninvited'/>");
  EXPECT_FALSE(
      partner_.gateway
          ->WaitFor(PresenceWithId("s-uninvited"), std::chrono::seconds(2))
          .has_value());

  // bob invites alice (a subscription request from partner.test's side)...
  partner_.gateway->Send(
      "<presence from='bob@partner.test/phone' to='alice@example.test' "
      "type='subscribe' id='invite'/>");
  ASSERT_TRUE(example_.gateway->WaitFor(PresenceWithId("invite")).has_value())
      << partner_.agent->Log();
  // ...and from then on her messages and requests reach him,
  EXPECT_NE(MessageToBob("m-invited"), "") << partner_.agent->Log();
  example_.gateway->Send(
      "<presence from='alice@example.test' to='bob@partner.test' "
      "type='subscribe' id='s-invited'/>");
  EXPECT_TRUE(
      partner_.gateway->WaitFor(PresenceWithId("s-invited")).has_value());
  // but not another user's.
  example_.gateway->Send(
      "<message from='mallory@example.test' to='bob@partner.test' "
      "id='m-mallory'><body>hi</body></message>");
  EXPECT_TRUE(BounceAtExample("m-mallory").has_value());

  // The invitation is durable: it survives a restart of partner.test.
  RestartPartnerAgent();
  EXPECT_NE(MessageToBob("m-after-restart"), "") << partner_.agent->Log();
}

// Invitations are written by a thread of their own in batches: once it
// logged the batch, a kill -9 loses nothing.
TEST_F(PartnerTypesTest, AStoredInvitationSurvivesKillMinusNine) {
  Start("PublicUnverified");
  partner_.gateway->Send(
      "<presence from='bob@partner.test/phone' to='alice@example.test' "
      "type='subscribe' id='invite'/>");
  ASSERT_TRUE(WaitForLog(partner_, "invitations.stored count=1"))
      << partner_.agent->Log();
  RestartPartnerAgent(/*kill=*/true);
  EXPECT_NE(MessageToBob("m-after-kill"), "") << partner_.agent->Log();
}

}  // namespace
}  // namespace xmppfed::testing
