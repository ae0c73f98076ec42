// Where the CLI looks for the agent (SPEC §5, §6).
#include "cli/front/socket_path.h"

#include <gtest/gtest.h>

#include <set>

namespace xmppfed::cli {
namespace {

SocketEnvironment Env(std::string xdg, bool root,
                      std::set<std::string> existing = {}) {
  SocketEnvironment env;
  env.xdg_runtime_dir = std::move(xdg);
  env.is_root = root;
  env.exists = [existing](const std::string& path) {
    return existing.count(path) > 0;
  };
  return env;
}

TEST(SocketPathTest, FlagWinsOverEnvironment) {
  SocketEnvironment env = Env("/run/user/1000", false);
  env.xmppfed_socket = "/env.sock";
  EXPECT_EQ(ResolveSocketPath("/flag.sock", env), "/flag.sock");
  EXPECT_EQ(ResolveSocketPath("", env), "/env.sock");
}

TEST(SocketPathTest, UserRuntimeDirectory) {
  EXPECT_EQ(ResolveSocketPath("", Env("/run/user/1000", false)),
            "/run/user/1000/xmppfed/agent.sock");
}

TEST(SocketPathTest, RootOrNoRuntimeDirectoryUsesTheSystemSocket) {
  EXPECT_EQ(ResolveSocketPath("", Env("/run/user/0", true)),
            "/run/xmppfed/agent.sock");
  EXPECT_EQ(ResolveSocketPath("", Env("", false)), "/run/xmppfed/agent.sock");
}

TEST(SocketPathTest, UserFallsBackToTheRunningSystemAgent) {
  EXPECT_EQ(ResolveSocketPath(
                "", Env("/run/user/1000", false, {"/run/xmppfed/agent.sock"})),
            "/run/xmppfed/agent.sock");
  // The user's own agent wins when both exist.
  EXPECT_EQ(ResolveSocketPath("", Env("/run/user/1000", false,
                                      {"/run/xmppfed/agent.sock",
                                       "/run/user/1000/xmppfed/agent.sock"})),
            "/run/user/1000/xmppfed/agent.sock");
}

}  // namespace
}  // namespace xmppfed::cli
