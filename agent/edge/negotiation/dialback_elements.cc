#include "agent/edge/negotiation/dialback_elements.h"

#include "absl/strings/str_cat.h"
#include "agent/edge/xml/namespaces.h"
#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge {
namespace {

std::string Escaped(std::string_view text) { return xml::EscapeXml(text); }

std::string Element(std::string_view name, std::string_view attributes,
                    std::string_view type, std::string_view key) {
  std::string xml =
      absl::StrCat("<db:", std::string(name), std::string(attributes));
  if (!type.empty()) absl::StrAppend(&xml, " type='", Escaped(type), "'");
  if (key.empty()) return xml + "/>";
  return absl::StrCat(xml, ">", Escaped(key), "</db:", std::string(name), ">");
}

}  // namespace

std::string DialbackResultXml(std::string_view from, std::string_view to,
                              std::string_view type, std::string_view key) {
  return Element(
      "result",
      absl::StrCat(" from='", Escaped(from), "' to='", Escaped(to), "'"), type,
      key);
}

std::string DialbackVerifyXml(std::string_view from, std::string_view to,
                              std::string_view id, std::string_view type,
                              std::string_view key) {
  return Element("verify",
                 absl::StrCat(" from='", Escaped(from), "' to='", Escaped(to),
                              "' id='", Escaped(id), "'"),
                 type, key);
}

std::string DialbackResultErrorXml(std::string_view from, std::string_view to,
                                   std::string_view error_type,
                                   std::string_view condition) {
  return absl::StrCat("<db:result from='", Escaped(from), "' to='", Escaped(to),
                      "' type='error'><error type='", Escaped(error_type),
                      "'><", std::string(condition), " xmlns='",
                      xml::kStanzaErrorsNamespace, "'/></error></db:result>");
}

}  // namespace xmppfed::edge
