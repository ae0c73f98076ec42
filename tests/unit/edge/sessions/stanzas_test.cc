#include "agent/edge/sessions/stanzas.h"

#include <gtest/gtest.h>

#include <string>

#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge {
namespace {

class StanzasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    xmpp_initialize();
    ctx_ = xmpp_ctx_new(nullptr, nullptr);
  }
  void TearDown() override { xmpp_ctx_free(ctx_); }

  xmpp_stanza_t* Parse(const std::string& xml) {
    return xmpp_stanza_new_from_string(ctx_, xml.c_str());
  }

  xmpp_ctx_t* ctx_ = nullptr;
};

TEST_F(StanzasTest, DomainOfTakesTheDomainPartLowerCased) {
  EXPECT_EQ(DomainOf("alice@Example.COM/phone"), "example.com");
  EXPECT_EQ(DomainOf("example.com"), "example.com");
  EXPECT_EQ(DomainOf("example.com/res@x"), "example.com");
  EXPECT_EQ(DomainOf("example.com."), "example.com");
  EXPECT_EQ(DomainOf(""), "");
  EXPECT_EQ(DomainOf(nullptr), "");
}

TEST_F(StanzasTest, BounceSwapsAddressesAndNamesTheCondition) {
  xmpp_stanza_t* message = Parse(
      "<message from='a@example.test/r' to='b@partner.test' id='m1' "
      "type='chat'><body>hi</body></message>");
  ASSERT_NE(message, nullptr);
  xmpp_stanza_t* bounce = MakeBounce(ctx_, message, "remote-server-not-found");
  ASSERT_NE(bounce, nullptr);
  EXPECT_STREQ(xmpp_stanza_get_to(bounce), "a@example.test/r");
  EXPECT_STREQ(xmpp_stanza_get_from(bounce), "b@partner.test");
  EXPECT_STREQ(xmpp_stanza_get_type(bounce), "error");
  EXPECT_STREQ(xmpp_stanza_get_id(bounce), "m1");
  xmpp_stanza_t* error = xmpp_stanza_get_child_by_name(bounce, "error");
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(xmpp_stanza_get_type(error), "cancel");
  EXPECT_NE(xml::Child(error, "remote-server-not-found", kNsStanzaErrors),
            nullptr);
  xmpp_stanza_release(bounce);
  xmpp_stanza_release(message);
}

TEST_F(StanzasTest, TimeoutBouncesAreOfTypeWait) {
  xmpp_stanza_t* message = Parse("<message from='a@x.test' to='b@y.test'/>");
  xmpp_stanza_t* bounce = MakeBounce(ctx_, message, "remote-server-timeout");
  ASSERT_NE(bounce, nullptr);
  EXPECT_STREQ(
      xmpp_stanza_get_type(xmpp_stanza_get_child_by_name(bounce, "error")),
      "wait");
  xmpp_stanza_release(bounce);
  xmpp_stanza_release(message);
}

TEST_F(StanzasTest, AnErrorIsNeverBounced) {
  xmpp_stanza_t* error =
      Parse("<message from='a@x.test' to='b@y.test' type='error'/>");
  EXPECT_EQ(MakeBounce(ctx_, error, "service-unavailable"), nullptr);
  xmpp_stanza_release(error);
}

}  // namespace
}  // namespace xmppfed::edge
