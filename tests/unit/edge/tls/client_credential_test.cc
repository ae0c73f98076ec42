// TlsContexts::client_for: a stream from a local domain presents the
// certificate valid for that domain (its SASL EXTERNAL credential).
#include <gtest/gtest.h>

#include "agent/edge/tls/identity.h"
#include "agent/edge/tls/tls_context.h"
#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::edge::tls {
namespace {

using xmppfed::testing::Certificates;
using xmppfed::testing::MakeCertificates;
using xmppfed::testing::TempDir;

TEST(ClientCredentialTest, EachLocalDomainPresentsItsOwnCertificate) {
  TempDir dir("client-credential");
  Certificates alpha = MakeCertificates(dir.path(), "alpha CA", {"alpha.test"});
  Certificates beta = MakeCertificates(dir.path(), "beta CA", {"beta.test"});
  absl::StatusOr<std::unique_ptr<TlsContexts>> contexts = TlsContexts::Create(
      {{alpha.cert, alpha.key}, {beta.cert, beta.key}}, alpha.ca_cert);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  auto presented = [&](const std::string& domain) {
    return SSL_CTX_get0_certificate((*contexts)->client_for(domain));
  };
  EXPECT_EQ(MatchXmppServerIdentity(presented("alpha.test"), "alpha.test"),
            IdentityMatch::kDnsId);
  EXPECT_EQ(MatchXmppServerIdentity(presented("beta.test"), "beta.test"),
            IdentityMatch::kDnsId);
  // A domain without a certificate of its own presents the first.
  EXPECT_EQ((*contexts)->client_for("gamma.test"), (*contexts)->client());
  EXPECT_EQ(MatchXmppServerIdentity(
                SSL_CTX_get0_certificate((*contexts)->client()), "alpha.test"),
            IdentityMatch::kDnsId);
}

TEST(ClientCredentialTest, WithoutCredentialsTheClientPresentsNone) {
  TempDir dir("client-credential");
  Certificates alpha = MakeCertificates(dir.path(), "alpha CA", {"alpha.test"});
  absl::StatusOr<std::unique_ptr<TlsContexts>> contexts =
      TlsContexts::Create({}, alpha.ca_cert);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  ASSERT_NE((*contexts)->client(), nullptr);
  EXPECT_EQ((*contexts)->client_for("alpha.test"), (*contexts)->client());
  EXPECT_EQ(SSL_CTX_get0_certificate((*contexts)->client()), nullptr);
}

}  // namespace
}  // namespace xmppfed::edge::tls
