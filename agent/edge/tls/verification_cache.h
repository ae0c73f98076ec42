// Verdicts of peer certificate chain verification, remembered: a partner
// opening many streams presents the same chain each time, and verifying it
// (building the chain against the trust anchors, checking every signature)
// costs about a tenth of an inbound stream's setup. The verdict for a chain
// is a function of its exact bytes, the trust anchors and the time; so the
// key is the SHA-256 of the chain's DER as presented, one cache belongs to
// one set of trust anchors (TlsContexts), and an entry lasts until the
// earliest notAfter of the chain or `ttl`, whichever comes first. No CRL or
// OCSP is consulted by the edge, so nothing else could change a verdict.
#ifndef XMPPFED_AGENT_EDGE_TLS_VERIFICATION_CACHE_H_
#define XMPPFED_AGENT_EDGE_TLS_VERIFICATION_CACHE_H_

#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/time/time.h"

namespace xmppfed::edge::tls {

class VerificationCache {
 public:
  // `now` is absl::Now unless a test drives time.
  explicit VerificationCache(size_t capacity = 4096,
                             absl::Duration ttl = absl::Hours(1),
                             std::function<absl::Time()> now = nullptr);
  VerificationCache(const VerificationCache&) = delete;
  VerificationCache& operator=(const VerificationCache&) = delete;

  // For SSL_CTX_set_cert_verify_callback with `cache` a VerificationCache:
  // verifies with X509_verify_cert unless the chain's verdict is known, and
  // leaves the verdict as the context's error (what SSL_get_verify_result
  // reports). Thread-safe.
  static int Verify(X509_STORE_CTX* context, void* cache);

  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Verdict {
    int error;
    absl::Time expires;
  };

  int VerifyChain(X509_STORE_CTX* context);

  const size_t capacity_;
  const absl::Duration ttl_;
  const std::function<absl::Time()> now_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Verdict> verdicts_;  // guarded
  std::deque<std::string> insertion_order_;            // guarded
  uint64_t hits_ = 0;                                  // guarded
  uint64_t misses_ = 0;                                // guarded
};

}  // namespace xmppfed::edge::tls

#endif  // XMPPFED_AGENT_EDGE_TLS_VERIFICATION_CACHE_H_
