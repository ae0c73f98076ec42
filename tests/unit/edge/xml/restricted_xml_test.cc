// What the parser refuses: restricted XML (RFC 6120 §11.1), other
// encodings, malformed XML, wrong stream namespaces, text at stream level.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/edge/xml/stream_parser.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Header() { return std::string(kServerHeader); }

constexpr std::string_view kBareHeader =
    "<stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams'>";

using RestrictedXmlTest = XmlTest;

TEST_F(RestrictedXmlTest, DoctypeBeforeTheHeaderIsRestrictedXml) {
  auto handler =
      ParseAll(ctx_, "<?xml version='1.0'?><!DOCTYPE stream:stream>" +
                         std::string(kBareHeader));
  EXPECT_THAT(handler->events, ElementsAre("error restricted-xml"));
  EXPECT_THAT(handler->error_detail, HasSubstr("DOCTYPE"));
}

TEST_F(RestrictedXmlTest, BillionLaughsIsRefusedAtItsDoctypeUnexpanded) {
  std::string laughs =
      "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n"
      " <!ENTITY lol 'lol'>\n";
  for (int i = 1; i <= 9; ++i) {
    std::string previous = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
    laughs += " <!ENTITY lol" + std::to_string(i) + " '";
    for (int k = 0; k < 10; ++k) laughs += "&" + previous + ";";
    laughs += "'>\n";
  }
  laughs += "]>\n" + std::string(kBareHeader) +
            "<message><body>&lol9;</body></message>";
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  // Byte by byte too, so the DOCTYPE is seen before any declaration is
  // complete.
  for (char byte : laughs) parser.Feed(std::string_view(&byte, 1));
  EXPECT_THAT(handler.events, ElementsAre("error restricted-xml"));
  EXPECT_TRUE(handler.stanzas.empty());
  EXPECT_TRUE(handler.headers.empty());
}

TEST_F(RestrictedXmlTest, CommentBetweenStanzasIsRestrictedXml) {
  auto handler =
      ParseAll(ctx_, Header() + "<presence/><!-- hello --><presence/>");
  EXPECT_THAT(handler->events, ElementsAre("open", "stanza <presence/>",
                                           "error restricted-xml"));
  EXPECT_THAT(handler->error_detail, HasSubstr("comment"));
}

TEST_F(RestrictedXmlTest, CommentInsideAStanzaIsRestrictedXml) {
  auto handler =
      ParseAll(ctx_, Header() + "<message><body>hi<!-- x --></body></message>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error restricted-xml"));
}

TEST_F(RestrictedXmlTest, CommentBeforeTheHeaderIsRestrictedXml) {
  auto handler = ParseAll(ctx_, "<!-- hi -->" + std::string(kBareHeader));
  EXPECT_THAT(handler->events, ElementsAre("error restricted-xml"));
}

TEST_F(RestrictedXmlTest, ProcessingInstructionIsRestrictedXml) {
  auto handler =
      ParseAll(ctx_, Header() + "<message><?php echo 1; ?></message>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error restricted-xml"));
  EXPECT_THAT(handler->error_detail, HasSubstr("processing instruction"));
}

TEST_F(RestrictedXmlTest, UndeclaredEntityReferenceIsRestrictedXml) {
  auto handler =
      ParseAll(ctx_, Header() + "<message><body>&nbsp;</body></message>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error restricted-xml"));
}

TEST_F(RestrictedXmlTest, Latin1DeclarationIsUnsupportedEncoding) {
  auto handler = ParseAll(ctx_, "<?xml version='1.0' encoding='ISO-8859-1'?>" +
                                    std::string(kBareHeader));
  EXPECT_THAT(handler->events, ElementsAre("error unsupported-encoding"));
  EXPECT_THAT(handler->error_detail, HasSubstr("ISO-8859-1"));
}

TEST_F(RestrictedXmlTest, Utf16DeclarationIsUnsupportedEncoding) {
  auto handler = ParseAll(ctx_, "<?xml version='1.0' encoding='UTF-16'?>" +
                                    std::string(kBareHeader));
  EXPECT_THAT(handler->events, ElementsAre("error unsupported-encoding"));
}

TEST_F(RestrictedXmlTest, MalformedXmlGivesExpatMessageLineAndColumn) {
  auto handler =
      ParseAll(ctx_, std::string(kBareHeader) + "\n<message>\n  <body>x</bod>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error not-well-formed"));
  EXPECT_EQ(handler->error_detail, "mismatched tag at line 3, column 12");
}

TEST_F(RestrictedXmlTest, InvalidUtf8IsNotWellFormed) {
  auto handler = ParseAll(
      ctx_, std::string(kBareHeader) + "<message><body>\xC3\x28</body>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error not-well-formed"));
  EXPECT_THAT(handler->error_detail, HasSubstr("line 1"));
}

TEST_F(RestrictedXmlTest, WrongRootElementIsInvalidNamespace) {
  auto handler = ParseAll(ctx_, "<html xmlns='jabber:server'>");
  EXPECT_THAT(handler->events, ElementsAre("error invalid-namespace"));
}

// Found by the fuzzer: such an element could not be written back, since
// the XML namespace may not be declared as a default namespace.
TEST_F(RestrictedXmlTest, ElementInTheXmlNamespaceIsInvalidNamespace) {
  auto handler =
      ParseAll(ctx_, std::string(kBareHeader) + "<message><xml:y/></message>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error invalid-namespace"));
  EXPECT_THAT(handler->error_detail, HasSubstr("<y> in the XML namespace"));
}

TEST_F(RestrictedXmlTest, StreamInWrongNamespaceIsInvalidNamespace) {
  auto handler =
      ParseAll(ctx_,
               "<stream:stream xmlns='jabber:server' "
               "xmlns:stream='http://etherx.jabber.org/streams/wrong'>");
  EXPECT_THAT(handler->events, ElementsAre("error invalid-namespace"));
  EXPECT_THAT(handler->error_detail, HasSubstr("streams/wrong"));
}

TEST_F(RestrictedXmlTest, ClientDefaultNamespaceIsInvalidNamespace) {
  auto handler = ParseAll(ctx_,
                          "<stream:stream xmlns='jabber:client' "
                          "xmlns:stream='http://etherx.jabber.org/streams'>");
  EXPECT_THAT(handler->events, ElementsAre("error invalid-namespace"));
  EXPECT_THAT(handler->error_detail, HasSubstr("jabber:client"));
}

TEST_F(RestrictedXmlTest, MissingDefaultNamespaceIsInvalidNamespace) {
  auto handler = ParseAll(
      ctx_, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");
  EXPECT_THAT(handler->events, ElementsAre("error invalid-namespace"));
}

TEST_F(RestrictedXmlTest, UndeclaredPrefixIsBadNamespacePrefix) {
  auto handler = ParseAll(ctx_, std::string(kBareHeader) + "<db:result/>");
  EXPECT_THAT(handler->events,
              ElementsAre("open", "error bad-namespace-prefix"));
}

TEST_F(RestrictedXmlTest, TextAtStreamLevelIsBadFormat) {
  auto handler = ParseAll(ctx_, Header() + "  hello <presence/>");
  EXPECT_THAT(handler->events, ElementsAre("open", "error bad-format"));
}

TEST_F(RestrictedXmlTest, NothingIsParsedAfterAnError) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  std::string bad = Header() + "<!-- x -->";
  EXPECT_EQ(parser.Feed(bad), bad.size());
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(parser.Feed("<presence/>"), 0u);
  EXPECT_THAT(handler.events, ElementsAre("open", "error restricted-xml"));
}

}  // namespace
}  // namespace xmppfed::edge::xml
