// ReadPeerFacts over a real Unix socket pair: the kernel's credentials of
// this very process, and its user's name and groups from the databases.
#include "agent/access/peer_identity.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace xmppfed::access {
namespace {

TEST(PeerIdentityTest, ReadsTheCredentialsOfTheOtherEnd) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  absl::StatusOr<PeerFacts> facts = ReadPeerFacts(fds[0]);
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->uid, ::geteuid());
  EXPECT_EQ(facts->gid, ::getegid());
  EXPECT_EQ(facts->pid, ::getpid());
  const passwd* user = ::getpwuid(::geteuid());
  if (user == nullptr) {
    EXPECT_FALSE(facts->user.has_value());
  } else {
    ASSERT_TRUE(facts->user.has_value());
    EXPECT_EQ(*facts->user, user->pw_name);
  }
  // The process's own gid is among the groups, by name.
  if (const group* own = ::getgrgid(::getegid()); own != nullptr) {
    EXPECT_NE(std::find(facts->groups.begin(), facts->groups.end(),
                        std::string(own->gr_name)),
              facts->groups.end());
  }
}

TEST(PeerIdentityTest, AClosedDescriptorIsAnError) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_FALSE(ReadPeerFacts(fds[0]).ok());
}

}  // namespace
}  // namespace xmppfed::access
