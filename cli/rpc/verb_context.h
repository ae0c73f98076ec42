// What every agent verb shares: the invocation, the lazily created channel
// and stubs, call deadlines, and the stderr conventions (errors, warnings,
// notes, what-if lines, confirmation) that SPEC §5 fixes.
#ifndef XMPPFED_CLI_RPC_VERB_CONTEXT_H_
#define XMPPFED_CLI_RPC_VERB_CONTEXT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/invocation.h"
#include "cli/output/writer.h"
#include "cli/rpc/confirm.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::cli {

class VerbContext {
 public:
  explicit VerbContext(const Invocation& invocation);

  const Invocation& invocation() const { return invocation_; }
  const GlobalOptions& global() const { return invocation_.global; }

  v1::PartnerService::Stub& partners();
  v1::GatewayService::Stub& gateway();
  v1::AgentService::Stub& agent();
  v1::SessionService::Stub& sessions();
  v1::PartnerCheckService::Stub& checks();
  v1::AuditService::Stub& audit();
  v1::NodeService::Stub& nodes();

  // A unary call: 30 s deadline, fail fast (no waiting for the agent to
  // appear), no retries.
  void PrepareUnary(grpc::ClientContext& context) const;
  // A stream: no deadline, fail fast.
  void PrepareStream(grpc::ClientContext& context) const;

  // Writers on stdout in the chosen -o format.
  std::unique_ptr<RecordWriter> ObjectWriter() const;
  std::unique_ptr<RecordWriter> ListWriter(ListLayout layout) const;

  // Prints the failure of a call on stderr and returns its exit code.
  // `subject` (usually the identity) follows the verb in the message.
  int Fail(const grpc::Status& status, std::string_view subject);
  // Prints "xmppfed: VERB: message" and returns kExitUsage.
  int UsageError(std::string_view message) const;

  // "xmppfed: warning: VERB SUBJECT: text"; silenced by --quiet.
  void Warn(std::string_view subject, std::string_view text) const;
  // "xmppfed: text"; silenced by --quiet.
  void Note(std::string_view text) const;
  // "xmppfed: VERB: text" when a listing found nothing, for a person
  // looking at an empty screen: only when stderr is a terminal, and not with
  // --quiet (a script reads the empty output, or the empty JSON array).
  void NoteEmptyListing(std::string_view text) const;
  // "What if: text"; always shown, it is what --what-if asked for.
  void WhatIf(std::string_view text) const;

  // Asks before a change (see Confirm). kExitOk to go ahead; otherwise the
  // refusal is printed and its exit code (kExitCancelled) returned.
  int ConfirmChange(bool asks_by_default, std::string_view question) const;
  // The same for a verb whose stdin holds its targets: asked and answered on
  // `terminal` (see TerminalPrompt).
  int ConfirmChangeOnTerminal(bool asks_by_default, std::string_view question,
                              const PromptIo& terminal) const;
  // A verb whose stdin holds its targets needs confirmation, but there is
  // no terminal to ask on: prints so (pass --force) and returns
  // kExitCancelled.
  int NoTerminalToAsk() const;

 private:
  // kExitOk for kProceed; otherwise says "cancelled", kExitCancelled.
  int Answered(Confirmation answer) const;
  // Created on first use: no verb pays for a channel it does not need.
  const std::shared_ptr<grpc::Channel>& channel();

  const Invocation& invocation_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PartnerService::Stub> partners_;
  std::unique_ptr<v1::GatewayService::Stub> gateway_;
  std::unique_ptr<v1::AgentService::Stub> agent_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::PartnerCheckService::Stub> checks_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::NodeService::Stub> nodes_;
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_VERB_CONTEXT_H_
