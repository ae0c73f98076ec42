#include "agent/edge/component/handshake.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace xmppfed::edge::component {

std::string HandshakeDigest(std::string_view stream_id,
                            std::string_view secret) {
  std::string input;
  input.reserve(stream_id.size() + secret.size());
  input.append(stream_id).append(secret);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       digest);
  // The input holds the secret; do not leave it in freed memory.
  OPENSSL_cleanse(input.data(), input.size());

  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

bool HandshakeMatches(std::string_view received, std::string_view stream_id,
                      std::string_view secret) {
  const std::string expected = HandshakeDigest(stream_id, secret);
  if (received.size() != expected.size()) return false;
  // Folding case looks only at the received text, so its timing says nothing
  // about the expected digest.
  std::string folded(received);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return CRYPTO_memcmp(folded.data(), expected.data(), expected.size()) == 0;
}

}  // namespace xmppfed::edge::component
