// __complete-identities [PREFIX]: the hidden verb behind the completion
// scripts' IDENTITY completion. It runs while someone waits at a prompt, so
// its contract is: at most kDeadline of waiting, identities one per line on
// stdout, and on any failure (agent down, slow, a prefix the agent refuses)
// no output at all and exit 0, so the shell shows nothing rather than noise.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "cli/exit_codes.h"
#include "cli/rpc/verb_table.h"

namespace xmppfed::cli {
namespace {

// Long enough for a local agent (a listing answers in about a millisecond),
// short enough not to be felt at a prompt when the agent hangs.
constexpr std::chrono::milliseconds kDeadline(300);

// A shell cannot show more than this usefully; the call is cancelled there.
constexpr std::size_t kMaxIdentities = 1000;

// PREFIX as a glob matching identities that start with it: the glob
// characters of SQLite's GLOB (*, ?, [) each become a one-member class, so
// the prefix is matched literally.
std::string PrefixGlob(std::string_view prefix) {
  std::string glob;
  for (char c : prefix) {
    if (c == '*' || c == '?' || c == '[') {
      glob += '[';
      glob += c;
      glob += ']';
    } else {
      glob += c;
    }
  }
  glob += '*';
  return glob;
}

}  // namespace

int RunCompleteIdentities(VerbContext& context) {
  const Invocation& inv = context.invocation();
  std::string_view prefix =
      inv.args.empty() ? std::string_view() : std::string_view(inv.args[0]);
  v1::GetPartnersRequest request;
  request.set_filter(PrefixGlob(prefix));

  grpc::ClientContext call;
  context.PrepareStream(call);
  call.set_deadline(std::chrono::system_clock::now() + kDeadline);
  std::unique_ptr<grpc::ClientReader<v1::PartnerPage>> reader =
      context.partners().GetPartners(&call, request);

  // Collected first and printed only after a clean finish: a call cut by the
  // deadline prints nothing rather than a partial list.
  std::string lines;
  std::size_t count = 0;
  v1::PartnerPage page;
  while (count < kMaxIdentities && reader->Read(&page)) {
    for (const v1::Partner& partner : page.partners()) {
      if (count == kMaxIdentities) break;
      lines += partner.identity();
      lines += '\n';
      ++count;
    }
  }
  bool full = count == kMaxIdentities;
  if (full) {
    // Enough for a shell: stop the stream rather than read the rest.
    call.TryCancel();
    while (reader->Read(&page)) {
    }
  }
  grpc::Status status = reader->Finish();
  if (status.ok() || full) std::cout << lines;
  return kExitOk;
}

}  // namespace xmppfed::cli
