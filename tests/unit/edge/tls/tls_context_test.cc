// TlsContexts::Create: which files it loads, and how it names the one that
// cannot be used.
#include "agent/edge/tls/tls_context.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::edge::tls {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using xmppfed::testing::Certificates;
using xmppfed::testing::MakeCertificates;
using xmppfed::testing::TempDir;

class TlsContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("tls-context");
    alpha_ = MakeCertificates(dir_->path(), "alpha CA", {"alpha.test"});
    beta_ = MakeCertificates(dir_->path(), "beta CA", {"beta.test"});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static TempDir* dir_;
  static Certificates alpha_;
  static Certificates beta_;
};

TempDir* TlsContextTest::dir_ = nullptr;
Certificates TlsContextTest::alpha_;
Certificates TlsContextTest::beta_;

TEST_F(TlsContextTest, CredentialsAndCaFileMakeServerAndClientContexts) {
  auto contexts = TlsContexts::Create(
      {{alpha_.cert, alpha_.key}, {beta_.cert, beta_.key}}, alpha_.ca_cert);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  ASSERT_NE((*contexts)->server(), nullptr);
  ASSERT_NE((*contexts)->client(), nullptr);
  // The first credential serves by default and is the client certificate.
  X509* served = SSL_CTX_get0_certificate((*contexts)->server());
  X509* presented = SSL_CTX_get0_certificate((*contexts)->client());
  ASSERT_NE(served, nullptr);
  ASSERT_NE(presented, nullptr);
  EXPECT_EQ(X509_cmp(served, presented), 0);
  EXPECT_EQ(X509_check_host(served, "alpha.test", 0, 0, nullptr), 1);
  // TLS 1.2 at least on both sides.
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*contexts)->server()),
            TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*contexts)->client()),
            TLS1_2_VERSION);
}

TEST_F(TlsContextTest, WithoutCredentialsThereIsNoServerContext) {
  auto contexts = TlsContexts::Create({}, alpha_.ca_cert);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  EXPECT_EQ((*contexts)->server(), nullptr);
  ASSERT_NE((*contexts)->client(), nullptr);
  EXPECT_EQ(SSL_CTX_get0_certificate((*contexts)->client()), nullptr);
}

TEST_F(TlsContextTest, MissingCertificateNamesTlsCert) {
  const std::string missing = dir_->File("missing-cert.pem");
  auto contexts = TlsContexts::Create({{missing, alpha_.key}}, "");
  EXPECT_EQ(contexts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(contexts.status().message()),
              HasSubstr("tls-cert=" + missing));
}

TEST_F(TlsContextTest, MissingKeyNamesTlsKey) {
  const std::string missing = dir_->File("missing-key.pem");
  auto contexts = TlsContexts::Create({{alpha_.cert, missing}}, "");
  EXPECT_EQ(contexts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(contexts.status().message()),
              HasSubstr("tls-key=" + missing));
}

TEST_F(TlsContextTest, KeyOfAnotherCertificateNamesBothFiles) {
  auto contexts = TlsContexts::Create({{alpha_.cert, beta_.key}}, "");
  EXPECT_EQ(contexts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(contexts.status().message()),
              AllOf(HasSubstr("tls-key=" + beta_.key),
                    HasSubstr("does not match tls-cert=" + alpha_.cert)));
}

TEST_F(TlsContextTest, MismatchInALaterPairIsFoundToo) {
  auto contexts = TlsContexts::Create(
      {{alpha_.cert, alpha_.key}, {beta_.cert, alpha_.key}}, "");
  EXPECT_EQ(contexts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(contexts.status().message()),
              HasSubstr("does not match tls-cert=" + beta_.cert));
}

TEST_F(TlsContextTest, UnreadableCaFileNamesCaFile) {
  const std::string missing = dir_->File("missing-ca.pem");
  for (const std::vector<Credential>& credentials :
       {std::vector<Credential>{}, {{alpha_.cert, alpha_.key}}}) {
    auto contexts = TlsContexts::Create(credentials, missing);
    EXPECT_EQ(contexts.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(contexts.status().message()),
                HasSubstr("ca-file=" + missing));
  }
  const std::string not_pem = dir_->WriteFile("not-pem.pem", "hello\n");
  auto contexts = TlsContexts::Create({}, not_pem);
  EXPECT_THAT(std::string(contexts.status().message()),
              HasSubstr("ca-file=" + not_pem));
}

TEST_F(TlsContextTest, CertificateFileThatIsNotPemNamesTlsCert) {
  const std::string not_pem = dir_->WriteFile("garbage.pem", "not a cert\n");
  auto contexts = TlsContexts::Create({{not_pem, alpha_.key}}, "");
  EXPECT_EQ(contexts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(contexts.status().message()),
              HasSubstr("tls-cert=" + not_pem));
}

}  // namespace
}  // namespace xmppfed::edge::tls
