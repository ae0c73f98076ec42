#include "agent/edge/tls/verification_cache.h"

#include <openssl/evp.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <optional>

#include "absl/time/clock.h"

namespace xmppfed::edge::tls {
namespace {

// SHA-256 over the DER of the leaf, then of each untrusted certificate the
// peer sent, in order; nullopt when a certificate cannot be encoded.
std::optional<std::string> ChainKey(X509* leaf, STACK_OF(X509) * untrusted) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (digest == nullptr ||
      EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr) != 1) {
    return std::nullopt;
  }
  auto add = [&digest](X509* cert) {
    unsigned char* der = nullptr;
    int length = i2d_X509(cert, &der);
    if (length <= 0) return false;
    // Lengths first, so two chains never hash the same bytes.
    uint32_t size = static_cast<uint32_t>(length);
    bool ok = EVP_DigestUpdate(digest.get(), &size, sizeof size) == 1 &&
              EVP_DigestUpdate(digest.get(), der, size) == 1;
    OPENSSL_free(der);
    return ok;
  };
  if (leaf == nullptr || !add(leaf)) return std::nullopt;
  for (int i = 0; untrusted != nullptr && i < sk_X509_num(untrusted); ++i) {
    X509* cert = sk_X509_value(untrusted, i);
    if (cert != leaf && !add(cert)) return std::nullopt;
  }
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int hash_length = 0;
  if (EVP_DigestFinal_ex(digest.get(), hash, &hash_length) != 1) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<char*>(hash), hash_length);
}

// The earliest notAfter of the certificates, or InfiniteFuture.
absl::Time EarliestExpiry(X509* leaf, STACK_OF(X509) * untrusted) {
  absl::Time earliest = absl::InfiniteFuture();
  auto consider = [&earliest](X509* cert) {
    std::tm when{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &when) != 1) {
      earliest = absl::InfinitePast();  // unreadable: never reuse
      return;
    }
    earliest = std::min(earliest, absl::FromTimeT(timegm(&when)));
  };
  consider(leaf);
  for (int i = 0; untrusted != nullptr && i < sk_X509_num(untrusted); ++i) {
    consider(sk_X509_value(untrusted, i));
  }
  return earliest;
}

}  // namespace

VerificationCache::VerificationCache(size_t capacity, absl::Duration ttl,
                                     std::function<absl::Time()> now)
    : capacity_(std::max<size_t>(1, capacity)),
      ttl_(ttl),
      now_(now ? std::move(now) : std::function<absl::Time()>(&absl::Now)) {}

int VerificationCache::Verify(X509_STORE_CTX* context, void* cache) {
  return static_cast<VerificationCache*>(cache)->VerifyChain(context);
}

int VerificationCache::VerifyChain(X509_STORE_CTX* context) {
  X509* leaf = X509_STORE_CTX_get0_cert(context);
  STACK_OF(X509)* untrusted = X509_STORE_CTX_get0_untrusted(context);
  std::optional<std::string> key = ChainKey(leaf, untrusted);
  absl::Time now = now_();
  if (key) {
    std::optional<int> known;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = verdicts_.find(*key);
      if (it != verdicts_.end() && now < it->second.expires) {
        ++hits_;
        known = it->second.error;
      } else {
        ++misses_;
      }
    }
    if (known) {
      // As X509_verify_cert ends: the error left in the context, and a
      // failure only if the context's verify callback does not accept it.
      X509_STORE_CTX_set_error(context, *known);
      if (*known == X509_V_OK) return 1;
      X509_STORE_CTX_verify_cb callback = X509_STORE_CTX_get_verify_cb(context);
      return callback != nullptr && callback(0, context) ? 1 : 0;
    }
  }
  // The context's own verify callback decides whether the handshake goes
  // on; the verdict is what it left as the error.
  int verified = X509_verify_cert(context);
  if (!key || verified < 0) return verified;
  Verdict verdict{X509_STORE_CTX_get_error(context),
                  std::min(now + ttl_, EarliestExpiry(leaf, untrusted))};
  std::lock_guard<std::mutex> lock(mutex_);
  if (verdicts_.insert_or_assign(*key, verdict).second) {
    insertion_order_.push_back(*key);
    while (verdicts_.size() > capacity_) {
      verdicts_.erase(insertion_order_.front());
      insertion_order_.pop_front();
    }
  }
  return verified;
}

uint64_t VerificationCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
}

uint64_t VerificationCache::misses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return misses_;
}

}  // namespace xmppfed::edge::tls
