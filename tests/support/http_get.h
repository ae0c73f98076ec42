// A minimal HTTP/1.1 client for the tests that scrape the agent's metrics
// endpoint: one GET over a real TCP connection to 127.0.0.1, read to the
// end (the server closes), status and body split out.
#ifndef XMPPFED_TESTS_SUPPORT_HTTP_GET_H_
#define XMPPFED_TESTS_SUPPORT_HTTP_GET_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace xmppfed::testing {

struct HttpResponse {
  int status = 0;
  std::string headers;  // the header block, status line excluded
  std::string body;
};

// GET `path` from `host`:`port` (IPv4 literal), within five seconds.
absl::StatusOr<HttpResponse> HttpGet(const std::string& host, uint16_t port,
                                     const std::string& path);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_HTTP_GET_H_
