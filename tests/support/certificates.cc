#include "tests/support/certificates.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "tests/support/subprocess.h"

namespace xmppfed::testing {
namespace {

void RunOpenssl(const std::vector<std::string>& args) {
  ProcessResult result = RunProcess("/usr/bin/openssl", args);
  if (!result.spawn_error.empty() || !result.status.exited ||
      result.status.code != 0) {
    std::fprintf(stderr, "openssl failed (%s): %s%s\n",
                 result.status.ToString().c_str(), result.spawn_error.c_str(),
                 result.err.c_str());
    std::abort();
  }
}

// "partner.test CA" -> "partner.test-CA": a file name stem.
std::string Stem(const std::string& name) {
  std::string stem;
  for (char c : name) {
    stem += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'
                ? c
                : '-';
  }
  return stem;
}

}  // namespace

Certificates MakeCertificates(const std::string& dir,
                              const std::string& ca_name,
                              const std::vector<std::string>& dns_names,
                              const CertificateOptions& options) {
  const std::string base = dir + "/" + Stem(ca_name);
  Certificates made{base + "-ca.pem", base + "-leaf.pem", base + "-leaf.key"};
  const std::string ca_key = base + "-ca.key";
  const std::string request = base + "-leaf.csr";
  const std::string extensions = base + "-leaf.ext";

  RunOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out",
              made.ca_cert, "-days", "30", "-subj", "/CN=" + ca_name});

  // subjectAltName as a section ("DNS.1=...", "otherName.2=..."): unlike
  // the one-line form it needs no comma splitting, so an otherName may use
  // "FORMAT:UTF8,UTF8:..." to carry non-ASCII text as is.
  std::string alt_names;
  int index = 0;
  auto add = [&](const std::string& entry) {
    size_t colon = entry.find(':');
    alt_names += entry.substr(0, colon) + "." + std::to_string(++index) + "=" +
                 entry.substr(colon + 1) + "\n";
  };
  for (const std::string& name : dns_names) add("DNS:" + name);
  for (const std::string& extra : options.extra_alt_names) add(extra);
  {
    std::ofstream out(extensions);
    out << "basicConstraints=CA:FALSE\n"
        << "keyUsage=digitalSignature\n"
        << "extendedKeyUsage=serverAuth,clientAuth\n";
    if (!alt_names.empty()) {
      out << "subjectAltName=@alt_names\n[alt_names]\n" << alt_names;
    }
  }
  const std::string common_name = !options.common_name.empty()
                                      ? options.common_name
                                  : dns_names.empty() ? ca_name + " leaf"
                                                      : dns_names.front();
  RunOpenssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", made.key, "-out", request, "-subj",
              "/CN=" + common_name});
  RunOpenssl({"x509", "-req", "-in", request, "-CA", made.ca_cert, "-CAkey",
              ca_key, "-CAcreateserial", "-out", made.cert, "-days",
              std::to_string(options.valid_days), "-extfile", extensions});
  return made;
}

}  // namespace xmppfed::testing
