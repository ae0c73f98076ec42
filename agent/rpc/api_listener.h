// The management API's Unix socket and its accept loop. The agent accepts
// connections itself (rather than letting gRPC listen) so that it learns who
// connected (SO_PEERCRED, see agent/access) and so that running out of file
// descriptors never stops the API for good:
//
// * A reserve of descriptors is held open. When accept fails for lack of
//   descriptors (EMFILE, ENFILE), one is released, the connection accepted
//   on it and handed to `admit` with `scarce` set; whether admitted or not,
//   the reserve is refilled as soon as a descriptor is free again.
// * With the reserve spent, the loop backs off (10 ms doubling to 1 s)
//   instead of spinning on a listener that stays readable; waiting clients
//   stay in the backlog.
// * "api.refusing" is logged (warning) once when connections start being
//   refused for lack of descriptors, "api.accepting" once when that has
//   ended: nothing refused for a second and the reserve whole again (so a
//   descriptor freed now and then during an attack does not make the log
//   flap).
#ifndef XMPPFED_AGENT_RPC_API_LISTENER_H_
#define XMPPFED_AGENT_RPC_API_LISTENER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace xmppfed::rpc {

class ApiListener {
 public:
  // Called on the loop's thread for every accepted connection (a
  // non-blocking, close-on-exec socket). Returns true when it took `fd`
  // over, false to have the loop close it. `scarce`: the descriptor came
  // out of the reserve, the process has no other free one.
  using Admit = std::function<bool(int fd, bool scarce)>;

  struct Options {
    // Descriptors held back for connections accepted while none is free.
    size_t reserve = 4;
    absl::Duration min_backoff = absl::Milliseconds(10);
    absl::Duration max_backoff = absl::Seconds(1);
    int backlog = 128;
  };

  // Binds `socket_path` (mode 0660: only the agent's user and group may
  // connect), listens and starts the loop. The caller has made sure no other
  // agent uses the path (runtime::SocketGuard).
  static absl::StatusOr<std::unique_ptr<ApiListener>> Start(
      const std::string& socket_path, Admit admit, Options options);
  static absl::StatusOr<std::unique_ptr<ApiListener>> Start(
      const std::string& socket_path, Admit admit) {
    return Start(socket_path, std::move(admit), Options());
  }

  // Stops accepting and joins the loop; connections already admitted are
  // not touched. Idempotent.
  void Stop();
  ~ApiListener();

  ApiListener(const ApiListener&) = delete;
  ApiListener& operator=(const ApiListener&) = delete;

 private:
  ApiListener(int listen_fd, int wake_fd, Admit admit, Options options);
  void Run();
  // Accepts what the backlog holds; returns false when out of descriptors
  // with no reserve left (the caller backs off).
  bool AcceptPending();
  void RefillReserve();
  void StartRefusing(std::string_view reason);
  // Logs the end of refusing once it is over (see above).
  void MaybeStopRefusing();

  const int listen_fd_;
  const int wake_fd_;
  const Admit admit_;
  const Options options_;
  std::vector<int> reserve_;
  bool refusing_ = false;
  uint64_t refused_ = 0;
  absl::Time last_refusal_;
  std::thread thread_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_API_LISTENER_H_
