#include "agent/edge/xml/stanza_builder.h"

#include <cstdint>
#include <cstring>

#include "agent/edge/xml/expat_support.h"
#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge::xml {
namespace {

// The record of a stanza in progress: a sequence of operations, each a tag
// byte and its operands. Strings are NUL-terminated: XML names, namespaces
// and attribute values never contain NUL (expat refuses it), and a name is
// never empty, so an empty string ends a list.
//
//   kElement     name  [attribute-name value]... ""   in the inherited ns
//   kElementNs   name  ns  [attribute-name value]... ""   with its own xmlns
//   kBareElement name                       no attributes, inherited ns
//   kText        4-byte length (host order), then that many bytes
//   kClose
//
// Attribute names are as they are written ("xml:lang", "p:attr"), with the
// declaration of a prefix recorded as an attribute before the first use.
// An empty element such as <a/> costs 4 bytes, what it costs on the wire.
constexpr char kElement = 'E';
constexpr char kElementNs = 'N';
constexpr char kBareElement = 'B';
constexpr char kText = 'T';
constexpr char kClose = 'C';

void AppendString(std::string* record, std::string_view text) {
  record->append(text);
  record->push_back('\0');
}

// Records expat's attributes as written. A prefixed attribute keeps its
// prefix and brings the declaration of that prefix along, so the element
// can be serialised on its own; xml:lang and friends need no declaration.
void AppendAttributes(std::string* record, const char** expat_attributes) {
  for (const char** pair = expat_attributes; pair[0] != nullptr; pair += 2) {
    ExpandedName name = SplitExpatName(pair[0]);
    if (name.prefix.empty()) {
      AppendString(record, name.local);
    } else {
      if (name.ns != kXmlNamespace) {
        record->append("xmlns:");
        AppendString(record, name.prefix);
        AppendString(record, name.ns);
      }
      record->append(name.prefix);
      record->push_back(':');
      AppendString(record, name.local);
    }
    AppendString(record, pair[1]);
  }
  record->push_back('\0');
}

// Reads the NUL-terminated string at `*at` and moves past it.
const char* TakeString(const std::string& record, size_t* at) {
  const char* text = record.data() + *at;
  *at += std::strlen(text) + 1;
  return text;
}

}  // namespace

std::string_view StanzaBuilder::NamespaceOf(const OpenElement& element) const {
  if (element.ns_at == kDefaultNs) return stream_default_ns_;
  return std::string_view(record_).substr(element.ns_at, element.ns_size);
}

void StanzaBuilder::Open(const char* expat_name, const char** expat_attributes,
                         std::string_view stream_default_ns) {
  ExpandedName name = SplitExpatName(expat_name);
  if (open_.empty()) stream_default_ns_ = stream_default_ns;
  OpenElement inherited =
      open_.empty() ? OpenElement{kDefaultNs, 0}
                    : OpenElement{open_.back().ns_at, open_.back().ns_size};
  // Includes xmlns='' for an element in no namespace inside one that is.
  bool needs_xmlns = name.ns != NamespaceOf(inherited);
  bool has_attributes = expat_attributes[0] != nullptr;
  if (!open_.empty()) ++open_.back().child_elements;
  if (needs_xmlns) {
    record_.push_back(kElementNs);
    AppendString(&record_, name.local);
    open_.push_back({record_.size(), name.ns.size()});
    AppendString(&record_, name.ns);
    AppendAttributes(&record_, expat_attributes);
  } else {
    open_.push_back(inherited);
    record_.push_back(has_attributes ? kElement : kBareElement);
    AppendString(&record_, name.local);
    if (has_attributes) AppendAttributes(&record_, expat_attributes);
  }
}

void StanzaBuilder::AppendText(std::string_view text) {
  if (open_.empty() || text.empty()) return;
  uint32_t size = static_cast<uint32_t>(text.size());
  record_.push_back(kText);
  record_.append(reinterpret_cast<const char*>(&size), sizeof size);
  record_.append(text);
}

bool StanzaBuilder::Close(xmpp_stanza_t** finished) {
  *finished = nullptr;
  if (open_.empty()) return true;
  record_.push_back(kClose);
  open_.pop_back();
  if (!open_.empty()) return true;
  xmpp_stanza_t* tree = BuildTree();
  record_.clear();
  if (tree == nullptr) return false;
  *finished = tree;
  return true;
}

size_t StanzaBuilder::held_bytes() const {
  if (open_.empty()) return 0;
  return record_.capacity() + open_.capacity() * sizeof(OpenElement);
}

void StanzaBuilder::Clear() {
  open_.clear();
  record_.clear();
}

void StanzaBuilder::Release() {
  Clear();
  // A few entries and a short record are kept: giving them back after every
  // read would cost more than they weigh.
  if (open_.capacity() > 8) std::vector<OpenElement>().swap(open_);
  if (record_.capacity() > 4096) std::string().swap(record_);
  if (building_.capacity() > 8) std::vector<ChildAppender>().swap(building_);
  if (text_.capacity() > 1024) std::string().swap(text_);
}

xmpp_stanza_t* StanzaBuilder::BuildTree() {
  // The elements being filled, innermost last.
  building_.clear();
  text_.clear();
  xmpp_stanza_t* root = nullptr;
  auto fail = [&root]() -> xmpp_stanza_t* {
    if (root != nullptr) xmpp_stanza_release(root);
    return nullptr;
  };
  // Consecutive text operations are one text child: a single run is taken
  // from the record as it is, several are joined in text_.
  std::string_view pending;
  auto flush_text = [&]() -> bool {
    if (pending.empty()) return true;
    xmpp_stanza_t* node = xmpp_stanza_new(ctx_);
    if (node == nullptr) return false;
    building_.back().Append(node);
    int result =
        xmpp_stanza_set_text_with_size(node, pending.data(), pending.size());
    pending = {};
    text_.clear();
    return result == XMPP_EOK;
  };
  size_t at = 0;
  while (at < record_.size()) {
    char op = record_[at++];
    if (op == kText) {
      uint32_t size = 0;
      std::memcpy(&size, record_.data() + at, sizeof size);
      at += sizeof size;
      std::string_view run(record_.data() + at, size);
      at += size;
      if (pending.empty()) {
        pending = run;
      } else {
        if (text_.empty()) text_.assign(pending);
        text_.append(run);
        pending = text_;
      }
      continue;
    }
    if (!flush_text()) return fail();
    if (op == kClose) {
      building_.pop_back();
      if (building_.empty()) break;
      continue;
    }
    xmpp_stanza_t* element = xmpp_stanza_new(ctx_);
    if (element == nullptr) return fail();
    // Linked into the tree at once, so fail() frees it whatever fails next.
    if (building_.empty()) {
      root = element;
    } else {
      building_.back().Append(element);
    }
    building_.emplace_back(element);
    if (xmpp_stanza_set_name(element, TakeString(record_, &at)) != XMPP_EOK) {
      return fail();
    }
    if (op == kBareElement) continue;
    if (op == kElementNs &&
        xmpp_stanza_set_ns(element, TakeString(record_, &at)) != XMPP_EOK) {
      return fail();
    }
    while (record_[at] != '\0') {
      const char* name = TakeString(record_, &at);
      const char* value = TakeString(record_, &at);
      if (xmpp_stanza_set_attribute(element, name, value) != XMPP_EOK) {
        return fail();
      }
    }
    ++at;  // the list's end
  }
  return root;
}

}  // namespace xmppfed::edge::xml
