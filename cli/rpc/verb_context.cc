#include "cli/rpc/verb_context.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli/exit_codes.h"
#include "cli/output/terminal.h"
#include "cli/rpc/confirm.h"
#include "cli/rpc/status_exit.h"

namespace xmppfed::cli {
namespace {

constexpr std::chrono::seconds kUnaryDeadline(30);

}  // namespace

VerbContext::VerbContext(const Invocation& invocation)
    : invocation_(invocation) {}

const std::shared_ptr<grpc::Channel>& VerbContext::channel() {
  if (!channel_) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
    // A bulk removal may answer with many partners in one message.
    args.SetMaxReceiveMessageSize(-1);
    channel_ =
        grpc::CreateCustomChannel("unix:" + invocation_.global.socket_path,
                                  grpc::InsecureChannelCredentials(), args);
  }
  return channel_;
}

v1::PartnerService::Stub& VerbContext::partners() {
  if (!partners_) partners_ = v1::PartnerService::NewStub(channel());
  return *partners_;
}

v1::GatewayService::Stub& VerbContext::gateway() {
  if (!gateway_) gateway_ = v1::GatewayService::NewStub(channel());
  return *gateway_;
}

v1::AgentService::Stub& VerbContext::agent() {
  if (!agent_) agent_ = v1::AgentService::NewStub(channel());
  return *agent_;
}

v1::PartnerCheckService::Stub& VerbContext::checks() {
  if (!checks_) checks_ = v1::PartnerCheckService::NewStub(channel());
  return *checks_;
}

v1::AuditService::Stub& VerbContext::audit() {
  if (!audit_) audit_ = v1::AuditService::NewStub(channel());
  return *audit_;
}

v1::SessionService::Stub& VerbContext::sessions() {
  if (!sessions_) sessions_ = v1::SessionService::NewStub(channel());
  return *sessions_;
}

v1::NodeService::Stub& VerbContext::nodes() {
  if (!nodes_) nodes_ = v1::NodeService::NewStub(channel());
  return *nodes_;
}

void VerbContext::PrepareUnary(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + kUnaryDeadline);
  context.set_wait_for_ready(false);
}

void VerbContext::PrepareStream(grpc::ClientContext& context) const {
  context.set_wait_for_ready(false);
}

std::unique_ptr<RecordWriter> VerbContext::ObjectWriter() const {
  return MakeObjectWriter(invocation_.global.output, std::cout);
}

std::unique_ptr<RecordWriter> VerbContext::ListWriter(ListLayout layout) const {
  // On a terminal a table fits its width; -o wide and a pipe get it whole.
  layout.table_line_width = TerminalWidth(STDOUT_FILENO);
  return MakeListWriter(invocation_.global.output, std::cout,
                        std::move(layout));
}

int VerbContext::Fail(const grpc::Status& status, std::string_view subject) {
  // A connection that reached READY means the agent itself answered (e.g.
  // UNAVAILABLE from its store), which is not "cannot reach the agent".
  bool answered =
      channel_ != nullptr && channel_->GetState(false) == GRPC_CHANNEL_READY;
  std::cout.flush();
  std::cerr << FailureMessage(invocation_.verb, subject, status,
                              invocation_.global.socket_path, answered)
            << '\n';
  return ExitCodeForFailure(status, invocation_.global.socket_path, answered);
}

int VerbContext::UsageError(std::string_view message) const {
  std::cerr << "xmppfed: " << invocation_.verb << ": " << message << '\n';
  return kExitUsage;
}

void VerbContext::Warn(std::string_view subject, std::string_view text) const {
  if (invocation_.global.quiet) return;
  std::cerr << "xmppfed: warning: " << invocation_.verb;
  if (!subject.empty()) std::cerr << ' ' << subject;
  std::cerr << ": " << text << '\n';
}

void VerbContext::Note(std::string_view text) const {
  if (invocation_.global.quiet) return;
  std::cerr << "xmppfed: " << text << '\n';
}

void VerbContext::NoteEmptyListing(std::string_view text) const {
  if (invocation_.global.quiet || ::isatty(STDERR_FILENO) != 1) return;
  std::cerr << "xmppfed: " << invocation_.verb << ": " << text << '\n';
}

void VerbContext::WhatIf(std::string_view text) const {
  std::cerr << "What if: " << text << '\n';
}

int VerbContext::ConfirmChange(bool asks_by_default,
                               std::string_view question) const {
  Confirmation answer =
      Confirm(invocation_.global, asks_by_default, question, ProcessPromptIo());
  if (answer == Confirmation::kNoTerminal) {
    std::cerr << "xmppfed: " << invocation_.verb
              << ": needs confirmation, but stdin is not a terminal; pass "
                 "--force to go ahead without asking\n";
    return kExitCancelled;
  }
  return Answered(answer);
}

int VerbContext::ConfirmChangeOnTerminal(bool asks_by_default,
                                         std::string_view question,
                                         const PromptIo& terminal) const {
  Confirmation answer =
      Confirm(invocation_.global, asks_by_default, question, terminal);
  if (answer == Confirmation::kNoTerminal) return NoTerminalToAsk();
  return Answered(answer);
}

int VerbContext::Answered(Confirmation answer) const {
  if (answer == Confirmation::kProceed) return kExitOk;
  std::cerr << "xmppfed: " << invocation_.verb << ": cancelled\n";
  return kExitCancelled;
}

int VerbContext::NoTerminalToAsk() const {
  std::cerr << "xmppfed: " << invocation_.verb
            << ": needs confirmation, but there is no terminal to ask on "
               "(stdin holds the targets); pass --force to go ahead without "
               "asking\n";
  return kExitCancelled;
}

}  // namespace xmppfed::cli
