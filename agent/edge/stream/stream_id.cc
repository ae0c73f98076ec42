#include "agent/edge/stream/stream_id.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace xmppfed::edge {

absl::StatusOr<std::string> RandomStreamId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError(
        "cannot make a stream id: OpenSSL RAND_bytes failed");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace xmppfed::edge
