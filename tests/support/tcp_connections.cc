#include "tests/support/tcp_connections.h"

#include <algorithm>
#include <sstream>

#include "tests/support/find_program.h"
#include "tests/support/subprocess.h"

namespace xmppfed::testing {

int EstablishedConnectionsTo(const std::vector<std::string>& servers) {
  std::string ss = FindProgram("ss");
  if (ss.empty()) return -1;
  ProcessResult result = RunProcess(ss, {"-Htn", "state", "established"});
  if (!result.status.exited || result.status.code != 0) return -1;
  std::istringstream lines(result.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    // Recv-Q Send-Q Local-Address:Port Peer-Address:Port
    std::istringstream fields(line);
    std::string recv_q, send_q, local, peer;
    fields >> recv_q >> send_q >> local >> peer;
    if (std::find(servers.begin(), servers.end(), peer) != servers.end()) {
      ++count;
    }
  }
  return count;
}

}  // namespace xmppfed::testing
