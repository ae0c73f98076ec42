// VerificationCache on chains made per run: the first verification of a
// chain runs X509_verify_cert, later ones replay its verdict until the TTL
// or the chain's notAfter; distinct chains, untrusted chains and the
// capacity bound.
#include "agent/edge/tls/verification_cache.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::edge::tls {
namespace {

using xmppfed::testing::Certificates;
using xmppfed::testing::MakeCertificates;
using xmppfed::testing::TempDir;

X509* LoadCertificate(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return nullptr;
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  return cert;
}

class VerificationCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("verification-cache");
    alpha_ = MakeCertificates(dir_->path(), "alpha CA", {"alpha.test"});
    beta_ = MakeCertificates(dir_->path(), "beta CA", {"beta.test"});
    gamma_ = MakeCertificates(dir_->path(), "gamma CA", {"gamma.test"});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    store_ = X509_STORE_new();
    ASSERT_EQ(X509_STORE_load_file(store_, alpha_.ca_cert.c_str()), 1);
  }
  void TearDown() override { X509_STORE_free(store_); }

  // Verifies the leaf in `leaf_file` through `cache`; the verdict (the
  // context's error) and what Verify returned.
  std::pair<int, int> Verify(VerificationCache& cache,
                             const std::string& leaf_file) {
    X509* leaf = LoadCertificate(leaf_file);
    EXPECT_NE(leaf, nullptr);
    X509_STORE_CTX* context = X509_STORE_CTX_new();
    X509_STORE_CTX_init(context, store_, leaf, nullptr);
    int returned = VerificationCache::Verify(context, &cache);
    int error = X509_STORE_CTX_get_error(context);
    X509_STORE_CTX_free(context);
    X509_free(leaf);
    return {error, returned};
  }

  absl::Time now_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  std::function<absl::Time()> clock_ = [this] { return now_; };
  X509_STORE* store_ = nullptr;
  static TempDir* dir_;
  static Certificates alpha_, beta_, gamma_;
};

TempDir* VerificationCacheTest::dir_ = nullptr;
Certificates VerificationCacheTest::alpha_, VerificationCacheTest::beta_,
    VerificationCacheTest::gamma_;

TEST_F(VerificationCacheTest, TrustedChainIsVerifiedOnceThenRemembered) {
  VerificationCache cache(16, absl::Hours(1), clock_);
  EXPECT_EQ(Verify(cache, alpha_.cert), std::make_pair(X509_V_OK, 1));
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(Verify(cache, alpha_.cert), std::make_pair(X509_V_OK, 1));
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST_F(VerificationCacheTest, UntrustedVerdictIsReplayedAsAFailure) {
  VerificationCache cache(16, absl::Hours(1), clock_);
  auto first = Verify(cache, beta_.cert);
  EXPECT_NE(first.first, X509_V_OK);
  EXPECT_EQ(first.second, 0);  // the default callback refuses
  EXPECT_EQ(Verify(cache, beta_.cert), first);
  EXPECT_EQ(cache.hits(), 1u);
}

TEST_F(VerificationCacheTest, EachChainHasItsOwnVerdict) {
  VerificationCache cache(16, absl::Hours(1), clock_);
  Verify(cache, alpha_.cert);
  Verify(cache, gamma_.cert);
  EXPECT_EQ(cache.misses(), 2u);
  Verify(cache, gamma_.cert);
  EXPECT_EQ(cache.hits(), 1u);
}

TEST_F(VerificationCacheTest, VerdictsExpireAfterTheTtl) {
  VerificationCache cache(16, absl::Minutes(10), clock_);
  Verify(cache, alpha_.cert);
  now_ += absl::Minutes(9);
  Verify(cache, alpha_.cert);
  EXPECT_EQ(cache.hits(), 1u);
  now_ += absl::Minutes(2);
  Verify(cache, alpha_.cert);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST_F(VerificationCacheTest, VerdictsExpireWithTheCertificate) {
  // The certificates of this suite are valid for 2 days from now.
  VerificationCache cache(16, absl::Hours(24 * 30), clock_);
  Verify(cache, alpha_.cert);
  now_ += absl::Hours(24);
  Verify(cache, alpha_.cert);
  EXPECT_EQ(cache.hits(), 1u);
  now_ += absl::Hours(48);
  Verify(cache, alpha_.cert);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST_F(VerificationCacheTest, TheOldestVerdictGoesWhenFull) {
  VerificationCache cache(2, absl::Hours(1), clock_);
  Verify(cache, alpha_.cert);
  Verify(cache, gamma_.cert);
  Verify(cache, beta_.cert);  // evicts alpha's
  Verify(cache, gamma_.cert);
  EXPECT_EQ(cache.hits(), 1u);
  Verify(cache, alpha_.cert);
  EXPECT_EQ(cache.misses(), 4u);
}

}  // namespace
}  // namespace xmppfed::edge::tls
