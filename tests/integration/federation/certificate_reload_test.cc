// Certificate rotation without a restart: the files behind --tls-cert and
// --tls-key are replaced, the agent gets SIGHUP, and new streams are served
// the new certificate (seen with `openssl s_client -starttls xmpp-server`)
// while a stream opened before carries on. A broken new certificate keeps
// the old one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/find_program.h"
#include "tests/support/subprocess.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CertificateReloadTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    // partner.test's next certificate: another CA, serial and subject.
    CertificateOptions options;
    options.common_name = "partner.test rotated";
    rotated_ = MakeCertificates(partner_.dir->path(), "partner.test CA B",
                                {"partner.test"}, options);
  }

  // What `openssl s_client -starttls xmpp-server` reports of the
  // certificate partner.test's S2S port serves now.
  std::string ServedCertificate() const {
    RunOptions options;
    options.stdin_text = "";
    options.timeout = std::chrono::seconds(10);
    ProcessResult shown = RunProcess(
        FindProgram("openssl"),
        {"s_client", "-starttls", "xmpp-server", "-xmpphost", "partner.test",
         "-connect", "127.0.0.1:" + std::to_string(partner_.s2s_port)},
        options);
    return shown.out;
  }

  // Moves the rotated files over the paths the agent was started with, as
  // a certificate renewal tool would.
  void InstallRotatedCertificate() {
    ASSERT_EQ(
        std::rename(rotated_.cert.c_str(), partner_.certificates.cert.c_str()),
        0);
    ASSERT_EQ(
        std::rename(rotated_.key.c_str(), partner_.certificates.key.c_str()),
        0);
  }

  void Hangup(const Site& site) {
    ASSERT_EQ(::kill(site.agent->pid(), SIGHUP), 0);
  }

  static std::set<double> SessionIds(const std::vector<JsonValue>& sessions) {
    std::set<double> ids;
    for (const JsonValue& session : sessions) ids.insert(Num(session, "id"));
    return ids;
  }

  Certificates rotated_;
};

TEST_F(CertificateReloadTest, NewStreamsGetTheNewCertificateLiveOnesCarryOn) {
  StartFederatedPair();
  ASSERT_THAT(ServedCertificate(), HasSubstr("CN = partner.test\n"));
  // A message each way, over one stream kept open.
  ASSERT_FALSE(Relay(example_, partner_, "before-1").empty())
      << example_.agent->Log();
  ASSERT_FALSE(Relay(partner_, example_, "before-2").empty())
      << partner_.agent->Log();
  std::set<double> streams_before = SessionIds(Sessions(partner_));
  // One stream carries both ways (XEP-0288).
  ASSERT_EQ(streams_before.size(), 1u);

  InstallRotatedCertificate();
  Hangup(partner_);
  ASSERT_TRUE(WaitForLog(partner_, "agent.reloaded")) << partner_.agent->Log();
  EXPECT_THAT(partner_.agent->Log(), HasSubstr("certificates=reloaded"));
  EXPECT_THAT(partner_.agent->Log(),
              HasSubstr("notice edge.tls.reloaded certificates=\"subject=/CN="
                        "partner.test rotated serial="));

  std::string served = ServedCertificate();
  EXPECT_THAT(served, HasSubstr("CN = partner.test rotated"));
  EXPECT_THAT(served, HasSubstr("CN = partner.test CA B"));
  // The streams opened before carry messages both ways, and no new one
  // was needed for them.
  EXPECT_FALSE(Relay(example_, partner_, "after-1").empty())
      << partner_.agent->Log();
  EXPECT_FALSE(Relay(partner_, example_, "after-2").empty())
      << partner_.agent->Log();
  EXPECT_EQ(SessionIds(Sessions(partner_)), streams_before);
}

TEST_F(CertificateReloadTest, ABrokenNewCertificateKeepsTheOldOne) {
  StartAgent(partner_, example_.certificates.ca_cert);
  std::ofstream(partner_.certificates.cert, std::ios::trunc)
      << "-----BEGIN CERTIFICATE-----\nnot base64\n";
  Hangup(partner_);
  ASSERT_TRUE(WaitForLog(partner_, "agent.reloaded")) << partner_.agent->Log();
  EXPECT_THAT(partner_.agent->Log(),
              HasSubstr("error agent.reload.certificates_failed error=\""
                        "tls-cert=" +
                        partner_.certificates.cert + ": cannot load"));
  EXPECT_THAT(partner_.agent->Log(),
              HasSubstr("certificates=failed error=\"tls-cert=" +
                        partner_.certificates.cert));
  EXPECT_THAT(partner_.agent->Log(), Not(HasSubstr("edge.tls.reloaded")));
  std::string served = ServedCertificate();
  EXPECT_THAT(served, HasSubstr("CN = partner.test\n"));
  EXPECT_THAT(served, HasSubstr("CN = partner.test CA\n"));
}

TEST_F(CertificateReloadTest, AKeyThatDoesNotMatchKeepsTheOldCertificate) {
  StartAgent(partner_, example_.certificates.ca_cert);
  // Only the certificate is replaced: the old key does not match it.
  ASSERT_EQ(
      std::rename(rotated_.cert.c_str(), partner_.certificates.cert.c_str()),
      0);
  Hangup(partner_);
  ASSERT_TRUE(WaitForLog(partner_, "agent.reloaded")) << partner_.agent->Log();
  EXPECT_THAT(partner_.agent->Log(),
              HasSubstr("error agent.reload.certificates_failed error=\""
                        "tls-key=" +
                        partner_.certificates.key + ": does not match"));
  EXPECT_THAT(ServedCertificate(), HasSubstr("CN = partner.test\n"))
      << partner_.agent->Log();
}

}  // namespace
}  // namespace xmppfed::testing
