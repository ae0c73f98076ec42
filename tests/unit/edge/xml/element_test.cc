// Reading the elements the stream parser builds: name and namespace, text,
// and children that inherit their parent's namespace.
#include "agent/edge/xml/element.h"

#include <gtest/gtest.h>

#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

constexpr char kDialback[] = "jabber:server:dialback";
constexpr char kTls[] = "urn:ietf:params:xml:ns:xmpp-tls";

using ElementTest = XmlTest;

TEST_F(ElementTest, TextOfJoinsDirectTextChildren) {
  xmpp_stanza_t* result = xmpp_stanza_new_from_string(
      ctx_, "<result xmlns='jabber:server:dialback'>abc&amp;def</result>");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(TextOf(result), "abc&def");
  EXPECT_TRUE(Is(result, "result", kDialback));
  EXPECT_FALSE(Is(result, "result", "jabber:server"));
  xmpp_stanza_release(result);
}

TEST_F(ElementTest, AChildWithoutXmlnsIsInItsParentsNamespace) {
  // As the stream parser builds Prosody's
  // <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>:
  // xmlns only where the namespace changes.
  xmpp_stanza_t* starttls = xmpp_stanza_new(ctx_);
  xmpp_stanza_set_name(starttls, "starttls");
  xmpp_stanza_set_ns(starttls, kTls);
  xmpp_stanza_t* required = xmpp_stanza_new(ctx_);
  xmpp_stanza_set_name(required, "required");
  xmpp_stanza_add_child_ex(starttls, required, 0);
  xmpp_stanza_t* other = xmpp_stanza_new(ctx_);
  xmpp_stanza_set_name(other, "other");
  xmpp_stanza_set_ns(other, kDialback);
  xmpp_stanza_add_child_ex(starttls, other, 0);

  EXPECT_EQ(Child(starttls, "required", kTls), required);
  EXPECT_EQ(Child(starttls, "required", kDialback), nullptr);
  EXPECT_EQ(Child(starttls, "other", kDialback), other);
  EXPECT_EQ(Child(starttls, "other", kTls), nullptr);
  xmpp_stanza_release(starttls);
}

}  // namespace
}  // namespace xmppfed::edge::xml
