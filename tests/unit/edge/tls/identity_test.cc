// RFC 6125 identity checks of XMPP server certificates, with certificates
// the openssl command line makes per run: DNS-ID, wildcards, SRV-ID,
// XmppAddr, IDN A-labels, the CN fallback, and what the check leaves to the
// chain verdict (expired or untrusted certificates still name the domain).
#include "agent/edge/tls/identity.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::edge::tls {
namespace {

using xmppfed::testing::CertificateOptions;
using xmppfed::testing::Certificates;
using xmppfed::testing::MakeCertificates;
using xmppfed::testing::TempDir;

constexpr char kXmppAddr[] = "otherName:1.3.6.1.5.5.7.8.5;UTF8:";
constexpr char kSrvId[] = "otherName:1.3.6.1.5.5.7.8.7;IA5STRING:";

struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

X509Ptr Load(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return nullptr;
  X509Ptr cert(PEM_read_X509(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  return cert;
}

class IdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = new TempDir("identity"); }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // A leaf for `dns_names` plus `extra` subjectAltNames, under a CA of its
  // own named `name`.
  static X509Ptr Leaf(const std::string& name,
                      const std::vector<std::string>& dns_names,
                      CertificateOptions options = {}) {
    Certificates made =
        MakeCertificates(dir_->path(), name + " CA", dns_names, options);
    X509Ptr cert = Load(made.cert);
    EXPECT_NE(cert, nullptr) << made.cert;
    return cert;
  }

  static TempDir* dir_;
};

TempDir* IdentityTest::dir_ = nullptr;

TEST(DnsIdMatchesTest, ExactNamesIgnoreCaseAndATrailingDot) {
  EXPECT_TRUE(DnsIdMatches("partner.test", "partner.test"));
  EXPECT_TRUE(DnsIdMatches("Partner.TEST", "partner.test"));
  EXPECT_TRUE(DnsIdMatches("partner.test.", "partner.test"));
  EXPECT_TRUE(DnsIdMatches("partner.test", "PARTNER.test."));
  EXPECT_FALSE(DnsIdMatches("partner.test", "other.test"));
  EXPECT_FALSE(DnsIdMatches("partner.test", "xmpp.partner.test"));
  EXPECT_FALSE(DnsIdMatches("", "partner.test"));
  EXPECT_FALSE(DnsIdMatches("partner.test", ""));
}

TEST(DnsIdMatchesTest, WildcardOnlyAsTheWholeLeftMostLabel) {
  EXPECT_TRUE(DnsIdMatches("*.example.test", "a.example.test"));
  EXPECT_TRUE(DnsIdMatches("*.Example.test", "XMPP.example.test"));
  EXPECT_FALSE(DnsIdMatches("*.example.test", "example.test"));
  EXPECT_FALSE(DnsIdMatches("*.example.test", "a.b.example.test"));
  EXPECT_FALSE(DnsIdMatches("*.example.test", ".example.test"));
  EXPECT_FALSE(DnsIdMatches("f*.example.test", "foo.example.test"));
  EXPECT_FALSE(DnsIdMatches("*o.example.test", "foo.example.test"));
  EXPECT_FALSE(DnsIdMatches("a.*.example.test", "a.b.example.test"));
  EXPECT_FALSE(DnsIdMatches("*.*.example.test", "a.b.example.test"));
  EXPECT_FALSE(DnsIdMatches("*", "test"));
  // Never a whole top-level domain.
  EXPECT_FALSE(DnsIdMatches("*.test", "example.test"));
}

TEST(DnsIdMatchesTest, ALabelsCompareAsAscii) {
  EXPECT_TRUE(DnsIdMatches("xn--bcher-kva.test", "xn--bcher-kva.test"));
  EXPECT_TRUE(DnsIdMatches("*.xn--bcher-kva.test", "a.xn--bcher-kva.test"));
  // A U-label is never a DNS-ID (an IA5String of A-labels).
  EXPECT_FALSE(
      DnsIdMatches("b\xc3\xbc"
                   "cher.test",
                   "xn--bcher-kva.test"));
}

TEST_F(IdentityTest, DnsIdNamesTheDomain) {
  X509Ptr cert = Leaf("dns", {"partner.test", "other.test"});
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "partner.test"),
            IdentityMatch::kDnsId);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "other.test"),
            IdentityMatch::kDnsId);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "third.test"),
            IdentityMatch::kNone);
}

TEST_F(IdentityTest, WildcardCertificate) {
  X509Ptr cert = Leaf("wildcard", {"*.example.test"});
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "a.example.test"),
            IdentityMatch::kDnsId);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "example.test"),
            IdentityMatch::kNone);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "a.b.example.test"),
            IdentityMatch::kNone);
  X509Ptr partial = Leaf("partial", {"f*.example.test"});
  EXPECT_EQ(MatchXmppServerIdentity(partial.get(), "foo.example.test"),
            IdentityMatch::kNone);
}

TEST_F(IdentityTest, SrvIdOnly) {
  CertificateOptions options;
  options.extra_alt_names = {std::string(kSrvId) + "_xmpp-server.partner.test"};
  X509Ptr cert = Leaf("srv", {}, options);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "partner.test"),
            IdentityMatch::kSrvId);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "other.test"),
            IdentityMatch::kNone);
  // The SRV-ID of another service names nothing for server-to-server.
  CertificateOptions client;
  client.extra_alt_names = {std::string(kSrvId) + "_xmpp-client.partner.test"};
  X509Ptr c2s = Leaf("srv-client", {}, client);
  EXPECT_EQ(MatchXmppServerIdentity(c2s.get(), "partner.test"),
            IdentityMatch::kNone);
}

TEST_F(IdentityTest, XmppAddrOnly) {
  CertificateOptions options;
  options.extra_alt_names = {std::string(kXmppAddr) + "partner.test"};
  X509Ptr cert = Leaf("xmppaddr", {}, options);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "partner.test"),
            IdentityMatch::kXmppAddr);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "Partner.Test."),
            IdentityMatch::kXmppAddr);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "other.test"),
            IdentityMatch::kNone);
  // A JID with a localpart is a user's, not the server's.
  CertificateOptions user;
  user.extra_alt_names = {std::string(kXmppAddr) + "alice@partner.test"};
  X509Ptr alice = Leaf("xmppaddr-user", {}, user);
  EXPECT_EQ(MatchXmppServerIdentity(alice.get(), "partner.test"),
            IdentityMatch::kNone);
}

TEST_F(IdentityTest, XmppAddrWithULabelsMatchesTheALabelDomain) {
  CertificateOptions options;
  // "bücher.test", as UTF-8 in the certificate.
  options.extra_alt_names = {
      "otherName:1.3.6.1.5.5.7.8.5;FORMAT:UTF8,UTF8:b\xc3\xbc"
      "cher.test"};
  X509Ptr cert = Leaf("xmppaddr-idn", {}, options);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "xn--bcher-kva.test"),
            IdentityMatch::kXmppAddr);
}

TEST_F(IdentityTest, DnsIdInALabels) {
  X509Ptr cert = Leaf("idn", {"xn--bcher-kva.test"});
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "xn--bcher-kva.test"),
            IdentityMatch::kDnsId);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "bucher.test"),
            IdentityMatch::kNone);
}

TEST_F(IdentityTest, MismatchNamesNothing) {
  X509Ptr cert = Leaf("mismatch", {"xmpp.partner.test"});
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "partner.test"),
            IdentityMatch::kNone);
  EXPECT_EQ(MatchXmppServerIdentity(nullptr, "partner.test"),
            IdentityMatch::kNone);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), ""), IdentityMatch::kNone);
}

TEST_F(IdentityTest, CommonNameOnlyWithoutSubjectAltNames) {
  CertificateOptions cn_only;
  cn_only.common_name = "partner.test";
  X509Ptr legacy = Leaf("cn-only", {}, cn_only);
  EXPECT_EQ(MatchXmppServerIdentity(legacy.get(), "partner.test"),
            IdentityMatch::kCommonName);
  EXPECT_EQ(MatchXmppServerIdentity(legacy.get(), "other.test"),
            IdentityMatch::kNone);

  // Any subjectAltName identifier makes the CN irrelevant (RFC 6125 §6.4.4).
  CertificateOptions with_san;
  with_san.common_name = "partner.test";
  X509Ptr modern = Leaf("cn-and-san", {"other.test"}, with_san);
  EXPECT_EQ(MatchXmppServerIdentity(modern.get(), "partner.test"),
            IdentityMatch::kNone);
  CertificateOptions with_xmppaddr;
  with_xmppaddr.common_name = "partner.test";
  with_xmppaddr.extra_alt_names = {std::string(kXmppAddr) + "other.test"};
  X509Ptr xmpp = Leaf("cn-and-xmppaddr", {}, with_xmppaddr);
  EXPECT_EQ(MatchXmppServerIdentity(xmpp.get(), "partner.test"),
            IdentityMatch::kNone);
}

TEST_F(IdentityTest, TheNameCheckLeavesExpiryAndTrustToTheChainVerdict) {
  // An expired certificate still names the domain; TlsChannel's chain
  // verdict is what refuses it. Shown here with the same verification
  // OpenSSL runs in the handshake.
  CertificateOptions expired;
  expired.valid_days = -1;
  Certificates made =
      MakeCertificates(dir_->path(), "expired CA", {"partner.test"}, expired);
  X509Ptr cert = Load(made.cert);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(MatchXmppServerIdentity(cert.get(), "partner.test"),
            IdentityMatch::kDnsId);

  auto verify = [&](const std::string& ca_file) {
    X509_STORE* store = X509_STORE_new();
    X509_STORE_load_file(store, ca_file.c_str());
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, cert.get(), nullptr);
    X509_verify_cert(ctx);
    int error = X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return error;
  };
  EXPECT_EQ(verify(made.ca_cert), X509_V_ERR_CERT_HAS_EXPIRED);
  Certificates other =
      MakeCertificates(dir_->path(), "other CA", {"other.test"});
  EXPECT_NE(verify(other.ca_cert), X509_V_OK);
}

TEST(IdentityMatchNameTest, NamesForLogs) {
  EXPECT_EQ(IdentityMatchName(IdentityMatch::kNone), "none");
  EXPECT_EQ(IdentityMatchName(IdentityMatch::kDnsId), "DNS-ID");
  EXPECT_EQ(IdentityMatchName(IdentityMatch::kSrvId), "SRV-ID");
  EXPECT_EQ(IdentityMatchName(IdentityMatch::kXmppAddr), "XmppAddr");
  EXPECT_EQ(IdentityMatchName(IdentityMatch::kCommonName), "CN");
}

}  // namespace
}  // namespace xmppfed::edge::tls
