// Command lines through ParseInvocation for the CLI's unit tests, with a
// fixed socket environment (no agent, no files).
#ifndef XMPPFED_TESTS_UNIT_CLI_PARSE_HELPERS_H_
#define XMPPFED_TESTS_UNIT_CLI_PARSE_HELPERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/front/parse_invocation.h"

namespace xmppfed::cli::testing {

inline SocketEnvironment TestEnvironment() {
  SocketEnvironment env;
  env.xdg_runtime_dir = "/run/user/1000";
  env.exists = [](const std::string&) { return false; };
  return env;
}

// `xmppfed ARGS...`.
inline ParseResult Parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv = {"xmppfed"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ParseInvocation(static_cast<int>(argv.size()), argv.data(),
                         TestEnvironment());
}

// The invocation of a command line that must parse.
inline Invocation Ok(std::initializer_list<const char*> args) {
  ParseResult result = Parse(args);
  EXPECT_TRUE(result.invocation.has_value()) << result.err;
  EXPECT_EQ(result.exit_code, kExitOk);
  return result.invocation.value_or(Invocation());
}

// The stderr text of a command line that must be a usage error.
inline std::string UsageError(std::initializer_list<const char*> args) {
  ParseResult result = Parse(args);
  EXPECT_FALSE(result.invocation.has_value());
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_THAT(result.err, ::testing::HasSubstr("xmppfed: "));
  return result.err;
}

}  // namespace xmppfed::cli::testing

#endif  // XMPPFED_TESTS_UNIT_CLI_PARSE_HELPERS_H_
