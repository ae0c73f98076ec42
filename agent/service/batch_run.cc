#include "agent/service/batch_run.h"

#include "absl/strings/str_cat.h"

namespace xmppfed::service {

absl::Status ClientGone() {
  return absl::CancelledError(
      "the client went away before the end of its input");
}

absl::Status AllOrNothingFailed(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted:
      return absl::ResourceExhaustedError(absl::StrCat(
          "--atomic: the input does not fit one transaction of the store (",
          status.message(),
          "); nothing was written: run it without --atomic, or in smaller "
          "parts"));
    case absl::StatusCode::kAborted:
      return absl::AbortedError(absl::StrCat(
          status.message(), ": --atomic wrote nothing; run it again"));
    default:
      return status;
  }
}

}  // namespace xmppfed::service
