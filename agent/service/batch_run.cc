#include "agent/service/batch_run.h"

namespace xmppfed::service {

absl::Status ClientGone() {
  return absl::CancelledError(
      "the client went away before the end of its input");
}

}  // namespace xmppfed::service
