// A gRPC channel to the agent whose connection was made with another user's
// credentials, so that the agent (SO_PEERCRED) takes its calls for that
// user's: the same check the CLI run as that user meets, without starting a
// process per call. The test must run as root.
#ifndef XMPPFED_TESTS_SUPPORT_CALLER_CHANNEL_H_
#define XMPPFED_TESTS_SUPPORT_CALLER_CHANNEL_H_

#include <grpcpp/channel.h>
#include <sys/types.h>

#include <memory>
#include <string>

namespace xmppfed::testing {

// Connects to `socket_path` from a thread that has taken on `user`'s uid,
// gid and groups (the group database's, as a login would), then hands the
// connection to a channel. nullptr when the connection fails (e.g. the
// socket refuses the user).
std::shared_ptr<grpc::Channel> ChannelAs(const std::string& user,
                                         const std::string& socket_path);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_CALLER_CHANNEL_H_
