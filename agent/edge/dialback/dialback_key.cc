#include "agent/edge/dialback/dialback_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cstddef>
#include <cstdlib>

namespace xmppfed::edge::dialback {
namespace {

std::string LowerHex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[data[i] >> 4]);
    hex.push_back(kDigits[data[i] & 0x0f]);
  }
  return hex;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string DialbackKey(std::string_view secret,
                        std::string_view receiving_server,
                        std::string_view originating_server,
                        std::string_view stream_id) {
  unsigned char secret_digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(secret), secret.size(), secret_digest);
  // XEP-0185 keys the HMAC with the hex text of the digest, not its bytes.
  const std::string hmac_key = LowerHex(secret_digest, sizeof secret_digest);

  std::string message;
  message.reserve(receiving_server.size() + originating_server.size() +
                  stream_id.size() + 2);
  message.append(receiving_server).append(" ");
  message.append(originating_server).append(" ");
  message.append(stream_id);

  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), hmac_key.data(), static_cast<int>(hmac_key.size()),
           Bytes(message), message.size(), mac, &mac_size) == nullptr) {
    // Only an allocation failure inside OpenSSL gets here; a key that might
    // be empty or wrong must never be sent or accepted.
    std::abort();
  }
  return LowerHex(mac, mac_size);
}

bool KeysEqual(std::string_view a, std::string_view b) {
  // The length of a key is no secret (it is always 64 for XEP-0185 keys).
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace xmppfed::edge::dialback
