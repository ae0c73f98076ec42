#include "cli/rpc/status_exit.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "cli/exit_codes.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {
namespace {

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "cancelled";
    case grpc::StatusCode::UNKNOWN:
      return "unknown error";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid argument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "deadline exceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "not found";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "already exists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission denied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "resource exhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "failed precondition";
    case grpc::StatusCode::ABORTED:
      return "aborted";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "out of range";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "not implemented";
    case grpc::StatusCode::INTERNAL:
      return "internal error";
    case grpc::StatusCode::UNAVAILABLE:
      return "unavailable";
    case grpc::StatusCode::DATA_LOSS:
      return "data loss";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "unauthenticated";
    default:
      return "error " + std::to_string(static_cast<int>(code));
  }
}

// What the agent said, completed from the ErrorDetail where the text lacks
// it, with a hint for the codes a person cannot act on otherwise.
std::string AgentMessage(const grpc::Status& status) {
  std::string message = status.error_message();
  if (message.empty()) message = CodeName(status.error_code());
  v1::ErrorDetail detail;
  if (!status.error_details().empty() &&
      detail.ParseFromString(status.error_details()) &&
      !detail.owner().empty() &&
      message.find(detail.owner()) == std::string::npos) {
    message += " (owned by partner " + detail.owner() + ")";
  }
  switch (status.error_code()) {
    case grpc::StatusCode::UNIMPLEMENTED:
      message += " (the agent is older than this CLI?)";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      message += " (no answer from the agent in time)";
      break;
    default:
      break;
  }
  return message;
}

// A name from the local files /etc/group and /etc/passwd, read with
// glibc's fgetgrent_r/fgetpwent_r rather than the NSS lookups, which a
// statically linked xmppfed-rpc should not load; "" when the id is not
// there (e.g. a directory service's), and the caller says the number.
template <typename Entry, typename Id, typename Next, typename Match>
std::string NameFromFile(const char* path, Id id, Next next, Match match) {
  FILE* file = std::fopen(path, "re");
  if (file == nullptr) return {};
  std::vector<char> buffer(16384);
  Entry entry;
  Entry* found = nullptr;
  std::string name;
  while (next(file, &entry, buffer.data(), buffer.size(), &found) == 0 &&
         found != nullptr) {
    if (std::optional<std::string> matched = match(*found, id)) {
      name = *std::move(matched);
      break;
    }
  }
  std::fclose(file);
  return name;
}

std::string GroupName(gid_t gid) {
  std::string name = NameFromFile<group>(
      "/etc/group", gid, ::fgetgrent_r,
      [](const group& g, gid_t id) -> std::optional<std::string> {
        if (g.gr_gid != id) return std::nullopt;
        return std::string(g.gr_name);
      });
  return name.empty() ? "gid " + std::to_string(gid) : name;
}

std::string OwnUserName() {
  return NameFromFile<passwd>(
      "/etc/passwd", ::geteuid(), ::fgetpwent_r,
      [](const passwd& p, uid_t id) -> std::optional<std::string> {
        if (p.pw_uid != id) return std::nullopt;
        return std::string(p.pw_name);
      });
}

bool SocketRefusesUser(const grpc::Status& status,
                       const std::string& socket_path, bool agent_answered) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE &&
         !agent_answered &&
         UnreachableReason(socket_path, status.error_message()) ==
             "permission denied";
}

}  // namespace

std::string SocketGroup(const std::string& socket_path) {
  struct stat info;
  if (::stat(socket_path.c_str(), &info) == 0) return GroupName(info.st_gid);
  // The file is out of sight: the innermost directory that can be looked
  // at is the one whose permissions keep the user out.
  for (std::filesystem::path dir =
           std::filesystem::path(socket_path).parent_path();
       !dir.empty(); dir = dir.parent_path()) {
    if (::stat(dir.c_str(), &info) == 0) return GroupName(info.st_gid);
    if (dir == dir.root_path()) break;
  }
  return {};
}

int ExitCodeForFailure(const grpc::Status& status,
                       const std::string& socket_path, bool agent_answered) {
  if (SocketRefusesUser(status, socket_path, agent_answered)) {
    return kExitPermissionDenied;
  }
  return ExitCodeFor(status.error_code());
}

int ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::UNAVAILABLE:
      return kExitUnreachable;
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitPermissionDenied;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    default:
      return kExitRefused;
  }
}

std::string UnreachableReason(const std::string& socket_path,
                              std::string_view grpc_message) {
  struct stat info;
  if (::stat(socket_path.c_str(), &info) != 0) {
    if (errno == ENOENT) return "no such socket";
    if (errno == EACCES) return "permission denied";
    return std::strerror(errno);
  }
  if (!S_ISSOCK(info.st_mode)) return "not a socket";
  if (grpc_message.find("Connection refused") != std::string_view::npos) {
    return "connection refused";
  }
  if (grpc_message.find("Permission denied") != std::string_view::npos) {
    return "permission denied";
  }
  return std::string(grpc_message);
}

std::string FailureMessage(std::string_view verb, std::string_view subject,
                           const grpc::Status& status,
                           const std::string& socket_path,
                           bool agent_answered) {
  if (SocketRefusesUser(status, socket_path, agent_answered)) {
    std::string group = SocketGroup(socket_path);
    std::string user = OwnUserName();
    std::string message = "xmppfed: cannot use xmppfed-agent at " +
                          socket_path + ": permission denied.";
    if (group.empty()) return message;
    message += " Only members of group " + group + " may use it; ";
    message += user.empty()
                   ? "ask an administrator to add you to it"
                   : "ask an administrator to add user " + user +
                         " to it (usermod -a -G " + group + " " + user + ")";
    return message + ", then log in again.";
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !agent_answered) {
    return "xmppfed: cannot reach xmppfed-agent at " + socket_path + " (" +
           UnreachableReason(socket_path, status.error_message()) +
           "). Start it with 'xmppfed-agent --socket " + socket_path +
           "' or 'systemctl start xmppfed-agent', or point --socket / "
           "XMPPFED_SOCKET at a running agent.";
  }
  std::string line = "xmppfed: ";
  line += verb;
  if (!subject.empty()) {
    line += ' ';
    line += subject;
  }
  return line + ": " + AgentMessage(status);
}

}  // namespace xmppfed::cli
