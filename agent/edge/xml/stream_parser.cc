#include "agent/edge/xml/stream_parser.h"

#include <expat.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "agent/edge/xml/expat_support.h"
#include "agent/edge/xml/namespaces.h"
#include "agent/edge/xml/stanza_builder.h"
#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge::xml {

class StreamParser::Impl {
 public:
  Impl(xmpp_ctx_t* ctx, StreamLimits limits, StreamHandler* handler)
      : limits_(limits), handler_(handler), builder_(ctx) {
    CreateExpat();
  }

  ~Impl() {
    builder_.Clear();
    if (expat_ != nullptr) XML_ParserFree(expat_);
  }

  size_t Feed(std::string_view bytes) {
    if (in_feed_ || !Running()) return 0;
    if (dormant_ && !bytes.empty()) Revive();
    if (expat_ == nullptr) {
      Fail(StreamError::kInternalServerError, "cannot allocate an XML parser");
      return bytes.size();
    }
    in_feed_ = true;
    stop_at_ = kNoStop;
    const uint64_t feed_start = fed_total_;
    size_t offset = 0;
    while (offset < bytes.size() && Running()) {
      // Never more than one byte past the current limit beyond the last
      // boundary, so expat cannot buffer an oversized header or stanza.
      uint64_t room = Limit() - PendingBytes();
      if (room < UINT64_MAX) ++room;
      size_t slice = static_cast<size_t>(
          std::min<uint64_t>({room, bytes.size() - offset, kMaxSlice}));
      XML_Status status = XML_Parse(expat_, bytes.data() + offset,
                                    static_cast<int>(slice), XML_FALSE);
      fed_total_ += slice;
      offset += slice;
      if (status == XML_STATUS_ERROR && Running()) ReportExpatError();
      if (Running() && PendingBytes() > Limit()) ReportOversize();
    }
    in_feed_ = false;
    size_t consumed = bytes.size();
    if (stop_at_ != kNoStop) {
      // The stopping event ended within this call's bytes.
      consumed = static_cast<size_t>(std::clamp<uint64_t>(
          stop_at_ - std::min(stop_at_, feed_start), 0, bytes.size()));
    }
    if (reset_requested_) DoReset();
    return consumed;
  }

  void Suspend() {
    if (state_ != State::kAwaitingHeader && state_ != State::kOpen) return;
    state_ = State::kSuspended;
    if (in_feed_) StopAtCurrentEvent();
  }

  void Reset() {
    if (!in_feed_) {
      DoReset();
      return;
    }
    reset_requested_ = true;
    if (Running()) {
      state_ = State::kSuspended;
      StopAtCurrentEvent();
    }
  }

  bool failed() const { return state_ == State::kFailed; }
  size_t partial_stanza_bytes() const { return builder_.held_bytes(); }

  void Compact() {
    if (in_feed_ || state_ != State::kOpen || expat_ == nullptr ||
        PendingBytes() != 0 || open_elements_ != 1) {
      return;
    }
    // Outside a callback expat's position is the end of what it parsed:
    // here, of every byte of the stream so far.
    line_base_ = Line();
    column_base_ = Column();
    XML_ParserFree(expat_);
    expat_ = nullptr;
    dormant_ = true;
    builder_.Release();
  }

 private:
  enum class State { kAwaitingHeader, kOpen, kSuspended, kClosed, kFailed };
  static constexpr uint64_t kNoStop = UINT64_MAX;
  // Bytes handed to expat per call: its buffer grows to about twice this.
  static constexpr uint64_t kMaxSlice = 4096;

  bool Running() const {
    return state_ == State::kAwaitingHeader || state_ == State::kOpen;
  }
  uint64_t Limit() const {
    return state_ == State::kAwaitingHeader ? limits_.max_header_bytes
                                            : limits_.max_stanza_bytes;
  }
  // Bytes fed since the end of the last header, stanza or whitespace: the
  // part of what is being read that expat may hold.
  uint64_t PendingBytes() const { return fed_total_ - boundary_; }
  uint64_t CurrentEventStart() const {
    return static_cast<uint64_t>(XML_GetCurrentByteIndex(expat_) +
                                 expat_index_shift_);
  }
  uint64_t CurrentEventEnd() const {
    return CurrentEventStart() +
           static_cast<uint64_t>(XML_GetCurrentByteCount(expat_));
  }

  void CreateExpat() {
    // Input is always UTF-8, whatever an XML declaration says (XmlDecl
    // refuses other names); namespace names come as triplets so prefixes of
    // attributes survive.
    expat_ = XML_ParserCreateNS("UTF-8", kExpatNameSeparator);
    if (expat_ == nullptr) return;
    XML_SetHashSalt(expat_, NewHashSalt());
    XML_SetReturnNSTriplet(expat_, XML_TRUE);
#ifdef XMPPFED_EXPAT_HAS_REPARSE_DEFERRAL
    // Every complete element must be reported at once; see CMakeLists.txt.
    XML_SetReparseDeferralEnabled(expat_, XML_FALSE);
#endif
    XML_SetUserData(expat_, this);
    XML_SetParamEntityParsing(expat_, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetXmlDeclHandler(expat_, &Impl::XmlDecl);
    XML_SetStartNamespaceDeclHandler(expat_, &Impl::NamespaceDecl);
    XML_SetElementHandler(expat_, &Impl::StartElement, &Impl::EndElement);
    XML_SetCharacterDataHandler(expat_, &Impl::CharacterData);
    // Restricted XML, refused at its first token: no DTD is ever read, so no
    // entity is ever declared, let alone expanded or loaded.
    XML_SetStartDoctypeDeclHandler(
        expat_,
        [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
          Restricted(self, "DOCTYPE declaration");
        });
    XML_SetEntityDeclHandler(
        expat_,
        [](void* self, const XML_Char*, int, const XML_Char*, int,
           const XML_Char*, const XML_Char*, const XML_Char*,
           const XML_Char*) { Restricted(self, "entity declaration"); });
    XML_SetUnparsedEntityDeclHandler(
        expat_, [](void* self, const XML_Char*, const XML_Char*,
                   const XML_Char*, const XML_Char*, const XML_Char*) {
          Restricted(self, "unparsed entity declaration");
        });
    XML_SetNotationDeclHandler(
        expat_,
        [](void* self, const XML_Char*, const XML_Char*, const XML_Char*,
           const XML_Char*) { Restricted(self, "notation declaration"); });
    XML_SetExternalEntityRefHandler(
        expat_, [](XML_Parser expat, const XML_Char*, const XML_Char*,
                   const XML_Char*, const XML_Char*) {
          Restricted(XML_GetUserData(expat), "external entity");
          return static_cast<int>(XML_STATUS_ERROR);  // never loaded
        });
    XML_SetSkippedEntityHandler(expat_, [](void* self, const XML_Char*, int) {
      Restricted(self, "entity reference");
    });
    XML_SetCommentHandler(expat_, [](void* self, const XML_Char*) {
      Restricted(self, "comment");
    });
    XML_SetProcessingInstructionHandler(
        expat_, [](void* self, const XML_Char*, const XML_Char*) {
          Restricted(self, "processing instruction");
        });
  }

  // After Compact: a new expat parser that has read a start tag declaring
  // what the stream's start tag declared, its events unreported, so that it
  // stands where the old one stood. Its byte indexes are shifted to count
  // from the start of the stream again.
  void Revive() {
    dormant_ = false;
    CreateExpat();
    if (expat_ == nullptr) return;
    std::string tag = "<" + streams_prefix_ + ":stream xmlns='" +
                      EscapeXml(header_.default_ns) +
                      "' xmlns:" + streams_prefix_ + "='" + kStreamsNamespace +
                      "'";
    for (const auto& [prefix, ns] : header_.prefixes) {
      tag += " xmlns:" + prefix + "='" + EscapeXml(ns) + "'";
    }
    tag += ">";
    priming_ = true;
    XML_Status status =
        XML_Parse(expat_, tag.data(), static_cast<int>(tag.size()), XML_FALSE);
    priming_ = false;
    if (status != XML_STATUS_OK) {
      Fail(StreamError::kInternalServerError,
           "cannot restore the stream's XML parser");
      return;
    }
    expat_index_shift_ =
        static_cast<int64_t>(fed_total_) - static_cast<int64_t>(tag.size());
    primed_columns_ = XML_GetCurrentColumnNumber(expat_);
  }

  // The stream's 1-based line and 0-based column at expat's position,
  // counting across revivals (the replayed start tag is all on line 1).
  uint64_t Line() const {
    uint64_t line = XML_GetCurrentLineNumber(expat_);
    return line_base_ == 0 ? line : line_base_ + line - 1;
  }
  uint64_t Column() const {
    uint64_t column = XML_GetCurrentColumnNumber(expat_);
    if (line_base_ == 0) return column;
    if (XML_GetCurrentLineNumber(expat_) > 1) return column;
    return column_base_ + column - primed_columns_;
  }

  void DoReset() {
    reset_requested_ = false;
    builder_.Clear();
    if (expat_ != nullptr) XML_ParserFree(expat_);
    dormant_ = false;
    expat_index_shift_ = 0;
    line_base_ = 0;
    column_base_ = 0;
    primed_columns_ = 0;
    streams_prefix_.clear();
    CreateExpat();
    state_ = State::kAwaitingHeader;
    header_ = StreamHeader();
    fed_total_ = 0;
    boundary_ = 0;
    stanza_start_ = 0;
    open_elements_ = 0;
    pending_declarations_ = 0;
  }

  // Makes the running XML_Parse return at the end of the current event.
  void StopAtCurrentEvent() {
    if (stop_at_ == kNoStop) stop_at_ = CurrentEventEnd();
    XML_StopParser(expat_, XML_FALSE);
  }

  void Fail(StreamError error, const std::string& detail) {
    if (state_ == State::kFailed) return;
    state_ = State::kFailed;
    builder_.Clear();
    if (in_feed_) XML_StopParser(expat_, XML_FALSE);
    handler_->OnStreamError(error, detail);
  }

  void ReportExpatError() {
    XML_Error code = XML_GetErrorCode(expat_);
    Fail(StreamErrorForExpatCode(code),
         std::string(XML_ErrorString(code)) + " at line " +
             std::to_string(Line()) + ", column " +
             std::to_string(Column() + 1));
  }

  void ReportOversize() {
    if (state_ == State::kAwaitingHeader) {
      Fail(StreamError::kPolicyViolation,
           "stream header larger than " +
               std::to_string(limits_.max_header_bytes) + " bytes");
    } else {
      Fail(StreamError::kPolicyViolation,
           "stanza larger than " + std::to_string(limits_.max_stanza_bytes) +
               " bytes");
    }
  }

  void OnNamespaceDecl(const char* prefix, const char* uri) {
    ++pending_declarations_;
    if (state_ != State::kAwaitingHeader) return;
    std::string ns = uri == nullptr ? "" : uri;
    if (prefix == nullptr) {
      header_.default_ns = ns;
    } else if (ns != kStreamsNamespace) {
      header_.prefixes.emplace_back(prefix, ns);
    } else {
      streams_prefix_ = prefix;
    }
  }

  void OnStartElement(const char* name, const char** attributes) {
    int count = pending_declarations_;
    pending_declarations_ = 0;
    for (const char** pair = attributes; pair[0] != nullptr; pair += 2) {
      ++count;
    }
    ExpandedName expanded = SplitExpatName(name);
    if (count > limits_.max_attributes) {
      Fail(StreamError::kPolicyViolation,
           std::to_string(count) + " attributes on <" +
               std::string(expanded.local) + ">, more than " +
               std::to_string(limits_.max_attributes));
      return;
    }
    if (open_elements_ > limits_.max_depth) {
      Fail(StreamError::kPolicyViolation,
           "elements nested deeper than " + std::to_string(limits_.max_depth));
      return;
    }
    if (state_ == State::kAwaitingHeader) {
      ++open_elements_;
      OpenStream(expanded, attributes);
      return;
    }
    if (expanded.ns == kXmlNamespace) {
      // <xml:x/>: no XMPP element lives there, and it could not be written
      // back (the XML namespace may not be a default namespace).
      Fail(
          StreamError::kInvalidNamespace,
          "element <" + std::string(expanded.local) + "> in the XML namespace");
      return;
    }
    if (open_elements_ == 1) stanza_start_ = CurrentEventStart();
    if (open_elements_ > 1 &&
        builder_.InnermostChildElements() >= limits_.max_children) {
      Fail(StreamError::kPolicyViolation,
           "more than " + std::to_string(limits_.max_children) +
               " child elements in one element");
      return;
    }
    ++open_elements_;
    builder_.Open(name, attributes, header_.default_ns);
  }

  void OpenStream(const ExpandedName& name, const char** attributes) {
    if (name.ns != kStreamsNamespace || name.local != "stream") {
      Fail(StreamError::kInvalidNamespace,
           "the first element is <" + std::string(name.local) + "> in '" +
               std::string(name.ns) + "', not <stream> in '" +
               kStreamsNamespace + "'");
      return;
    }
    if (header_.default_ns != kServerNamespace &&
        header_.default_ns != kComponentNamespace) {
      Fail(StreamError::kInvalidNamespace,
           "the stream's default namespace is '" + header_.default_ns +
               "', not '" + kServerNamespace + "' or '" + kComponentNamespace +
               "'");
      return;
    }
    uint64_t end = CurrentEventEnd();
    if (end > limits_.max_header_bytes) {
      ReportOversize();
      return;
    }
    ReadStreamHeaderAttributes(attributes, &header_);
    state_ = State::kOpen;
    boundary_ = end;
    handler_->OnStreamOpen(header_);
  }

  void OnEndElement() {
    --open_elements_;
    if (open_elements_ == 0) {
      state_ = State::kClosed;
      StopAtCurrentEvent();
      handler_->OnStreamClose();
      return;
    }
    bool stanza_ends = open_elements_ == 1;
    uint64_t end = CurrentEventEnd();
    if (stanza_ends && end - stanza_start_ > limits_.max_stanza_bytes) {
      builder_.Clear();  // never built
      ReportOversize();
      return;
    }
    xmpp_stanza_t* stanza = nullptr;
    if (!builder_.Close(&stanza)) {
      Fail(StreamError::kInternalServerError, "out of memory for a stanza");
      return;
    }
    if (stanza == nullptr) return;  // a nested element
    boundary_ = end;
    handler_->OnStanza(stanza);
    xmpp_stanza_release(stanza);
  }

  void OnCharacterData(std::string_view text) {
    if (open_elements_ >= 2) {
      builder_.AppendText(text);
    } else if (IsXmlWhitespace(text)) {
      boundary_ = CurrentEventEnd();  // a keep-alive between stanzas
    } else {
      Fail(StreamError::kBadFormat, "text outside a stanza");
    }
  }

  static Impl* Self(void* user_data) { return static_cast<Impl*>(user_data); }

  // Expat may still deliver a few events after XML_StopParser; the
  // trampolines drop everything once the parser is not running.
  static void XmlDecl(void* user_data, const XML_Char* version,
                      const XML_Char* encoding, int standalone) {
    Impl* self = Self(user_data);
    if (!self->Running() || encoding == nullptr ||
        IsUtf8EncodingName(encoding)) {
      return;
    }
    self->Fail(
        StreamError::kUnsupportedEncoding,
        std::string("encoding '") + encoding + "' declared; streams are UTF-8");
  }
  static void NamespaceDecl(void* user_data, const XML_Char* prefix,
                            const XML_Char* uri) {
    if (Self(user_data)->Running() && !Self(user_data)->priming_)
      Self(user_data)->OnNamespaceDecl(prefix, uri);
  }
  static void StartElement(void* user_data, const XML_Char* name,
                           const XML_Char** attributes) {
    if (Self(user_data)->Running() && !Self(user_data)->priming_) {
      Self(user_data)->OnStartElement(name, attributes);
    }
  }
  static void EndElement(void* user_data, const XML_Char* name) {
    if (Self(user_data)->Running()) Self(user_data)->OnEndElement();
  }
  static void CharacterData(void* user_data, const XML_Char* text, int size) {
    if (Self(user_data)->Running()) {
      Self(user_data)->OnCharacterData(
          std::string_view(text, static_cast<size_t>(size)));
    }
  }
  static void Restricted(void* user_data, const char* what) {
    if (Self(user_data)->Running()) {
      Self(user_data)->Fail(StreamError::kRestrictedXml,
                            std::string(what) + " not allowed in XMPP");
    }
  }

  const StreamLimits limits_;
  StreamHandler* const handler_;
  StanzaBuilder builder_;
  XML_Parser expat_ = nullptr;
  State state_ = State::kAwaitingHeader;
  StreamHeader header_;
  bool in_feed_ = false;
  bool reset_requested_ = false;
  // Absolute stream offset where the running Feed stops (Suspend, Reset or
  // </stream:stream> in a callback), or kNoStop.
  uint64_t stop_at_ = kNoStop;
  // Stream offsets (bytes since the stream began): everything handed to
  // expat, the end of the last header / stanza / keep-alive, the '<' of the
  // stanza being read.
  uint64_t fed_total_ = 0;
  uint64_t boundary_ = 0;
  uint64_t stanza_start_ = 0;
  // Elements open, the stream element included.
  int open_elements_ = 0;
  // Compact() freed expat; the next Feed revives it.
  bool dormant_ = false;
  // Revive() is feeding expat the stream's start tag again.
  bool priming_ = false;
  // Stream offset of expat's byte index 0 (negative after Revive: the
  // replayed start tag is not part of the stream's bytes).
  int64_t expat_index_shift_ = 0;
  // Where the stream stood when expat was last freed (line 0: never), and
  // the columns of the start tag replayed to the new one.
  uint64_t line_base_ = 0;
  uint64_t column_base_ = 0;
  uint64_t primed_columns_ = 0;
  // The prefix the peer bound to the streams namespace ("stream", usually).
  std::string streams_prefix_;
  // xmlns attributes of the start tag being reported, counted as attributes.
  int pending_declarations_ = 0;
};

StreamParser::StreamParser(xmpp_ctx_t* ctx, StreamLimits limits,
                           StreamHandler* handler)
    : impl_(std::make_unique<Impl>(ctx, limits, handler)) {}

StreamParser::~StreamParser() = default;

size_t StreamParser::Feed(std::string_view bytes) { return impl_->Feed(bytes); }

void StreamParser::Suspend() { impl_->Suspend(); }

void StreamParser::Reset() { impl_->Reset(); }

void StreamParser::Compact() { impl_->Compact(); }

bool StreamParser::failed() const { return impl_->failed(); }

size_t StreamParser::partial_stanza_bytes() const {
  return impl_->partial_stanza_bytes();
}

}  // namespace xmppfed::edge::xml
