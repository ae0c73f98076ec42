// The stream parser on well-formed streams: headers, stanzas, text,
// namespaces, chunking, keep-alives and the end of the stream.
#include "agent/edge/xml/stream_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/edge/xml/stream_writer.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::string Header() { return std::string(kServerHeader); }

std::string Text(xmpp_stanza_t* stanza) {
  char* text = xmpp_stanza_get_text(stanza);
  std::string result = text == nullptr ? "" : text;
  xmpp_free(xmpp_stanza_get_context(stanza), text);
  return result;
}

const char* Ns(xmpp_stanza_t* stanza) { return xmpp_stanza_get_ns(stanza); }

using StreamParserTest = XmlTest;

TEST_F(StreamParserTest, HeaderGivesEveryFieldAndTheDialbackPrefix) {
  auto handler = ParseAll(ctx_, kServerHeader);
  ASSERT_THAT(handler->events, ElementsAre("open"));
  const StreamHeader& header = handler->headers[0];
  EXPECT_EQ(header.from, "remote.example");
  EXPECT_EQ(header.to, "local.example");
  EXPECT_EQ(header.id, "abc123");
  EXPECT_EQ(header.version, "1.0");
  EXPECT_EQ(header.lang, "en");
  EXPECT_EQ(header.default_ns, "jabber:server");
  EXPECT_THAT(header.prefixes,
              ElementsAre(Pair("db", "jabber:server:dialback")));
}

TEST_F(StreamParserTest, ComponentHeaderWithoutDeclarationOrPrefixes) {
  auto handler =
      ParseAll(ctx_,
               "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
               "xmlns='jabber:component:accept' to='gw.local.example'>");
  ASSERT_THAT(handler->events, ElementsAre("open"));
  EXPECT_EQ(handler->headers[0].default_ns, "jabber:component:accept");
  EXPECT_EQ(handler->headers[0].to, "gw.local.example");
  EXPECT_TRUE(handler->headers[0].from.empty());
  EXPECT_TRUE(handler->headers[0].version.empty());
  EXPECT_TRUE(handler->headers[0].prefixes.empty());
}

TEST_F(StreamParserTest, MessageWithNestedChildrenTextAndForeignNamespace) {
  auto handler = ParseAll(
      ctx_, Header() +
                "<message from='a@remote.example/r' to='b@local.example' "
                "type='chat' id='m1'><body>Hello</body><thread>t1</thread>"
                "<x xmlns='jabber:x:oob'><url>http://r.example/f</url></x>"
                "</message>");
  ASSERT_THAT(handler->events,
              ElementsAre("open",
                          "stanza <message from='a@remote.example/r' id='m1' "
                          "to='b@local.example' type='chat'><body>Hello</body>"
                          "<thread>t1</thread><x xmlns='jabber:x:oob'>"
                          "<url>http://r.example/f</url></x></message>"));
  xmpp_stanza_t* message = handler->stanzas[0];
  EXPECT_STREQ(xmpp_stanza_get_name(message), "message");
  EXPECT_EQ(Ns(message), nullptr);  // inherits the stream's jabber:server
  EXPECT_EQ(Text(xmpp_stanza_get_child_by_name(message, "body")), "Hello");
  xmpp_stanza_t* x = xmpp_stanza_get_child_by_name(message, "x");
  EXPECT_STREQ(Ns(x), "jabber:x:oob");
  EXPECT_EQ(Ns(xmpp_stanza_get_child_by_name(x, "url")), nullptr);
}

TEST_F(StreamParserTest, PresenceAndIqStanzas) {
  auto handler =
      ParseAll(ctx_, Header() +
                         "<presence from='a@remote.example/r'><show>away</show>"
                         "<priority>5</priority></presence>"
                         "<iq type='get' id='v1' to='local.example'>"
                         "<query xmlns='jabber:iq:version'/></iq>"
                         "<iq type='result' id='v2'/>");
  EXPECT_THAT(
      handler->events,
      ElementsAre("open",
                  "stanza <presence from='a@remote.example/r'><show>away"
                  "</show><priority>5</priority></presence>",
                  "stanza <iq id='v1' to='local.example' type='get'>"
                  "<query xmlns='jabber:iq:version'/></iq>",
                  "stanza <iq id='v2' type='result'/>"));
}

TEST_F(StreamParserTest, DialbackElementsGetLocalNameAndDialbackNamespace) {
  auto handler = ParseAll(
      ctx_, Header() +
                "<db:result from='remote.example' to='local.example'>"
                "b4835385f37fe2895af6c196b59097b16862406db80559900d96bf6fa7d"
                "</db:result><db:verify from='local.example' "
                "to='remote.example' id='abc' type='valid'/>");
  ASSERT_EQ(handler->stanzas.size(), 2u);
  xmpp_stanza_t* result = handler->stanzas[0];
  EXPECT_STREQ(xmpp_stanza_get_name(result), "result");
  EXPECT_STREQ(Ns(result), "jabber:server:dialback");
  EXPECT_EQ(Text(result),
            "b4835385f37fe2895af6c196b59097b16862406db80559900d96bf6fa7d");
  EXPECT_STREQ(xmpp_stanza_get_name(handler->stanzas[1]), "verify");
  EXPECT_STREQ(Ns(handler->stanzas[1]), "jabber:server:dialback");
  EXPECT_STREQ(xmpp_stanza_get_type(handler->stanzas[1]), "valid");
}

TEST_F(StreamParserTest, UnprefixedChildOfDialbackElementIsInJabberServer) {
  auto handler = ParseAll(
      ctx_, Header() +
                "<db:result type='error'><error type='cancel'>"
                "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                "</error></db:result>");
  ASSERT_EQ(handler->stanzas.size(), 1u);
  xmpp_stanza_t* error =
      xmpp_stanza_get_child_by_name(handler->stanzas[0], "error");
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(Ns(error), "jabber:server");
  EXPECT_EQ(handler->events[1],
            "stanza <result xmlns='jabber:server:dialback' type='error'>"
            "<error xmlns='jabber:server' type='cancel'><item-not-found "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></result>");
}

TEST_F(StreamParserTest, StreamFeaturesAndStarttls) {
  auto handler = ParseAll(
      ctx_, Header() +
                "<stream:features><starttls "
                "xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
                "</starttls><dialback xmlns='urn:xmpp:features:dialback'/>"
                "</stream:features>");
  ASSERT_EQ(handler->stanzas.size(), 1u);
  xmpp_stanza_t* features = handler->stanzas[0];
  EXPECT_STREQ(xmpp_stanza_get_name(features), "features");
  EXPECT_STREQ(Ns(features), "http://etherx.jabber.org/streams");
  xmpp_stanza_t* starttls = xmpp_stanza_get_child_by_name_and_ns(
      features, "starttls", "urn:ietf:params:xml:ns:xmpp-tls");
  ASSERT_NE(starttls, nullptr);
  EXPECT_NE(xmpp_stanza_get_child_by_name(starttls, "required"), nullptr);
}

TEST_F(StreamParserTest, ExplicitNamespacesOnTopLevelElements) {
  auto handler = ParseAll(ctx_, Header() +
                                    "<message xmlns='jabber:server' id='1'/>"
                                    "<message xmlns='jabber:client' id='2'/>");
  ASSERT_EQ(handler->stanzas.size(), 2u);
  // Same as the stream's default: nothing to record.
  EXPECT_EQ(Ns(handler->stanzas[0]), nullptr);
  EXPECT_STREQ(Ns(handler->stanzas[1]), "jabber:client");
}

TEST_F(StreamParserTest, PrefixedAttributesKeepPrefixAndDeclaration) {
  auto handler =
      ParseAll(ctx_, Header() +
                         "<message xml:lang='de' xmlns:e='urn:example:ext' "
                         "e:hint='yes'><body>Hallo</body></message>");
  ASSERT_EQ(handler->stanzas.size(), 1u);
  xmpp_stanza_t* message = handler->stanzas[0];
  EXPECT_STREQ(xmpp_stanza_get_attribute(message, "xml:lang"), "de");
  EXPECT_STREQ(xmpp_stanza_get_attribute(message, "e:hint"), "yes");
  EXPECT_STREQ(xmpp_stanza_get_attribute(message, "xmlns:e"),
               "urn:example:ext");
  EXPECT_EQ(xmpp_stanza_get_attribute(message, "xmlns:xml"), nullptr);
}

TEST_F(StreamParserTest, EntitiesAndCharacterReferencesAreDecoded) {
  auto handler = ParseAll(
      ctx_,
      Header() +
          "<message id='a&amp;b&lt;&apos;&quot;'><body>1 &lt; 2 &amp;&amp;"
          " 3 &gt; 2 &#65;&#x263A;</body></message>");
  ASSERT_EQ(handler->stanzas.size(), 1u);
  xmpp_stanza_t* message = handler->stanzas[0];
  EXPECT_STREQ(xmpp_stanza_get_id(message), "a&b<'\"");
  EXPECT_EQ(Text(xmpp_stanza_get_child_by_name(message, "body")),
            "1 < 2 && 3 > 2 A\xE2\x98\xBA");
}

TEST_F(StreamParserTest, TextIsMergedPerRunBetweenChildren) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  std::string input = Header() +
                      "<message><body>one &amp; two<br/>three"
                      "<![CDATA[<four>]]></body></message>";
  for (char byte : input) parser.Feed(std::string_view(&byte, 1));
  ASSERT_EQ(handler.stanzas.size(), 1u);
  xmpp_stanza_t* body =
      xmpp_stanza_get_child_by_name(handler.stanzas[0], "body");
  xmpp_stanza_t* first = xmpp_stanza_get_children(body);
  ASSERT_TRUE(xmpp_stanza_is_text(first));
  EXPECT_STREQ(xmpp_stanza_get_text_ptr(first), "one & two");
  xmpp_stanza_t* br = xmpp_stanza_get_next(first);
  EXPECT_STREQ(xmpp_stanza_get_name(br), "br");
  xmpp_stanza_t* last = xmpp_stanza_get_next(br);
  ASSERT_TRUE(xmpp_stanza_is_text(last));
  EXPECT_STREQ(xmpp_stanza_get_text_ptr(last), "three<four>");
  EXPECT_EQ(xmpp_stanza_get_next(last), nullptr);
}

// A complete dialback-era server stream, as a peer sends it.
std::string RealisticStream() {
  return Header() +
         "\n<stream:features><dialback xmlns='urn:xmpp:features:dialback'/>"
         "</stream:features>\n"
         "<db:result from='remote.example' to='local.example'>0123abcd"
         "</db:result> \n\t"
         "<message from='juliet@remote.example/balcony' "
         "to='romeo@local.example' type='chat' xml:lang='en'>"
         "<body>Wherefore art thou, Romeo? &lt;3 &#x1F339;</body>"
         "<active xmlns='http://jabber.org/protocol/chatstates'/></message>"
         " <iq type='get' id='p1' from='remote.example' "
         "to='local.example'><ping xmlns='urn:xmpp:ping'/></iq>\n"
         "</stream:stream>";
}

TEST_F(StreamParserTest, BytesFedOneAtATimeGiveTheSameEvents) {
  std::string input = RealisticStream();
  auto all_at_once = ParseAll(ctx_, input);
  ASSERT_EQ(all_at_once->events.size(), 6u);
  EXPECT_FALSE(all_at_once->error.has_value());

  RecordingHandler one_by_one;
  StreamParser parser(ctx_, {}, &one_by_one);
  for (char byte : input) {
    EXPECT_EQ(parser.Feed(std::string_view(&byte, 1)), 1u);
  }
  EXPECT_EQ(one_by_one.events, all_at_once->events);
}

TEST_F(StreamParserTest, EverySplitIntoTwoFeedsGivesTheSameEvents) {
  std::string input = RealisticStream();
  auto expected = ParseAll(ctx_, input);
  for (size_t split = 1; split < input.size(); ++split) {
    RecordingHandler handler;
    StreamParser parser(ctx_, {}, &handler);
    parser.Feed(std::string_view(input).substr(0, split));
    parser.Feed(std::string_view(input).substr(split));
    ASSERT_EQ(handler.events, expected->events) << "split at " << split;
  }
}

TEST_F(StreamParserTest, EachStanzaIsReportedAsSoonAsItsLastByteArrives) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(Header());
  // Large enough for expat's reparse deferral to hold it back if enabled.
  std::string stanza =
      "<message><body>" + std::string(3000, 'x') + "</body></message>";
  for (size_t i = 0; i + 1 < stanza.size(); ++i)
    parser.Feed(stanza.substr(i, 1));
  EXPECT_EQ(handler.stanzas.size(), 0u);
  parser.Feed(">");
  EXPECT_EQ(handler.stanzas.size(), 1u);
}

TEST_F(StreamParserTest, WhitespaceKeepAlivesAreIgnored) {
  auto handler = ParseAll(ctx_, Header() + " \n\t\r\n <presence/>  \n ");
  EXPECT_THAT(handler->events, ElementsAre("open", "stanza <presence/>"));
  EXPECT_FALSE(handler->error.has_value());
}

TEST_F(StreamParserTest, StreamCloseIsReportedAndLaterBytesAreNotParsed) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  std::string input = Header() + "<presence/></stream:stream>";
  EXPECT_EQ(parser.Feed(input + "garbage<"), input.size());
  EXPECT_THAT(handler.events,
              ElementsAre("open", "stanza <presence/>", "close"));
  EXPECT_EQ(parser.Feed("<message/>"), 0u);
  EXPECT_FALSE(parser.failed());
  EXPECT_EQ(handler.events.size(), 3u);
}

TEST_F(StreamParserTest, EmptyStreamElementOpensAndCloses) {
  auto handler = ParseAll(ctx_,
                          "<stream:stream xmlns='jabber:server' "
                          "xmlns:stream='http://etherx.jabber.org/streams'/>");
  EXPECT_THAT(handler->events, ElementsAre("open", "close"));
}

TEST_F(StreamParserTest, Utf8ByteOrderMarkAndUtf8DeclarationAreAccepted) {
  auto handler =
      ParseAll(ctx_,
               "\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>"
               "<stream:stream xmlns='jabber:server' "
               "xmlns:stream='http://etherx.jabber.org/streams'><presence/>");
  EXPECT_THAT(handler->events, ElementsAre("open", "stanza <presence/>"));
}

}  // namespace
}  // namespace xmppfed::edge::xml
