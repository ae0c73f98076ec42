// Test PKI made with the openssl command line: a CA of its own per call and a
// leaf certificate (EC P-256) it signs, valid for the given DNS names. The
// files live in the caller's directory and go away with it.
#ifndef XMPPFED_TESTS_SUPPORT_CERTIFICATES_H_
#define XMPPFED_TESTS_SUPPORT_CERTIFICATES_H_

#include <string>
#include <vector>

namespace xmppfed::testing {

// Paths of PEM files.
struct Certificates {
  std::string ca_cert;  // the CA that signed `cert`: a peer's trust anchor
  std::string cert;     // the leaf certificate
  std::string key;      // the leaf's private key (mode 0600)
};

struct CertificateOptions {
  // Days the leaf stays valid from now; negative makes one that expired
  // that many days ago (openssl x509 -days -1).
  int valid_days = 2;
  // Extra subjectAltName entries in openssl's syntax, e.g.
  // "otherName:1.3.6.1.5.5.7.8.5;UTF8:partner.test" (XmppAddr) or
  // "otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.partner.test"
  // (SRV-ID); non-ASCII text needs the UTF-8 format modifier, e.g.
  // "otherName:1.3.6.1.5.5.7.8.5;FORMAT:UTF8,UTF8:bücher.test".
  std::vector<std::string> extra_alt_names;
  // The leaf's subject CN; "" takes the first of `dns_names` (or
  // "<ca_name> leaf" when there is none).
  std::string common_name;
};

// Makes a CA named `ca_name` and a leaf whose subject CN is the first of
// `dns_names` and whose subjectAltName lists every one of them and the
// extra names (no subjectAltName at all when both are empty), in `dir`.
// File names derive from `ca_name`, so one directory can hold several sets.
// Aborts the test binary (with openssl's output) when openssl fails.
Certificates MakeCertificates(const std::string& dir,
                              const std::string& ca_name,
                              const std::vector<std::string>& dns_names,
                              const CertificateOptions& options = {});

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_CERTIFICATES_H_
