#include "agent/edge/xml/expat_support.h"

#include <algorithm>
#include <random>

#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge::xml {

unsigned long NewHashSalt() {
  // Seeded once per thread from the kernel's generator; salts never leave
  // the process, so its outputs cannot be used to predict the next ones.
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return static_cast<unsigned long>(generator());
}

ExpandedName SplitExpatName(std::string_view expat_name) {
  ExpandedName name;
  size_t first = expat_name.find(kExpatNameSeparator);
  if (first == std::string_view::npos) {
    name.local = expat_name;
    return name;
  }
  name.has_namespace = true;
  name.ns = expat_name.substr(0, first);
  std::string_view rest = expat_name.substr(first + 1);
  size_t second = rest.find(kExpatNameSeparator);
  if (second == std::string_view::npos) {
    name.local = rest;
  } else {
    name.local = rest.substr(0, second);
    name.prefix = rest.substr(second + 1);
  }
  return name;
}

StreamError StreamErrorForExpatCode(XML_Error code) {
  switch (code) {
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING:
      return StreamError::kUnsupportedEncoding;
    case XML_ERROR_UNBOUND_PREFIX:
    case XML_ERROR_RESERVED_PREFIX_XML:
    case XML_ERROR_RESERVED_PREFIX_XMLNS:
    case XML_ERROR_RESERVED_NAMESPACE_URI:
      return StreamError::kBadNamespacePrefix;
    case XML_ERROR_UNDEFINED_ENTITY:
      return StreamError::kRestrictedXml;
    default:
      return StreamError::kNotWellFormed;
  }
}

bool IsXmlWhitespace(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
}

bool IsUtf8EncodingName(std::string_view encoding) {
  constexpr std::string_view kUtf8 = "utf-8";
  return encoding.size() == kUtf8.size() &&
         std::equal(encoding.begin(), encoding.end(), kUtf8.begin(),
                    [](char c, char lower) {
                      return (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) ==
                             lower;
                    });
}

void ReadStreamHeaderAttributes(const char** expat_attributes,
                                StreamHeader* header) {
  for (const char** pair = expat_attributes; pair[0] != nullptr; pair += 2) {
    ExpandedName attribute = SplitExpatName(pair[0]);
    if (!attribute.has_namespace) {
      if (attribute.local == "to") header->to = pair[1];
      if (attribute.local == "from") header->from = pair[1];
      if (attribute.local == "id") header->id = pair[1];
      if (attribute.local == "version") header->version = pair[1];
    } else if (attribute.ns == kXmlNamespace && attribute.local == "lang") {
      header->lang = pair[1];
    }
  }
}

}  // namespace xmppfed::edge::xml
