#include "agent/edge/negotiation/dialback_elements.h"

#include <gtest/gtest.h>

namespace xmppfed::edge {
namespace {

TEST(DialbackElementsTest, ElementsEscapeTheirValues) {
  EXPECT_EQ(DialbackResultXml("a.test", "b.test", "", "k1"),
            "<db:result from='a.test' to='b.test'>k1</db:result>");
  EXPECT_EQ(DialbackResultXml("a.test", "b.test", "valid", ""),
            "<db:result from='a.test' to='b.test' type='valid'/>");
  EXPECT_EQ(DialbackVerifyXml("a.test", "b'x", "i<d", "invalid", ""),
            "<db:verify from='a.test' to='b&apos;x' id='i&lt;d' "
            "type='invalid'/>");
}

TEST(DialbackElementsTest, AnErrorResultNamesItsCondition) {
  EXPECT_EQ(
      DialbackResultErrorXml("a.test", "b.test", "wait", "resource-constraint"),
      "<db:result from='a.test' to='b.test' type='error'><error "
      "type='wait'><resource-constraint "
      "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
      "</db:result>");
}

}  // namespace
}  // namespace xmppfed::edge
