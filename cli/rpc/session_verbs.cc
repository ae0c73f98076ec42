// get-session, remove-session: one SessionService call each (remove-session:
// a listing call first, see RunRemoveSession).
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/rpc/records.h"
#include "cli/rpc/verb_table.h"
#include "cli/rpc/what_if.h"

namespace xmppfed::cli {
namespace {

// At most this many sessions in a confirmation question or a note.
constexpr std::size_t kSessionsShown = 10;

std::string SessionCount(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " session" : " sessions");
}

// "5 (Inbound a.example), 7 (Outbound b.example) and 3 more", or with
// `ids_only` "5, 7 and 3 more".
std::string SessionList(
    const google::protobuf::RepeatedPtrField<v1::Session>& sessions,
    bool ids_only) {
  std::string out;
  for (int i = 0; i < sessions.size() && i < static_cast<int>(kSessionsShown);
       ++i) {
    out += i > 0 ? ", " : "";
    out += ids_only ? std::to_string(sessions[i].id())
                    : DescribeSession(sessions[i]);
  }
  if (sessions.size() > static_cast<int>(kSessionsShown)) {
    out += " and " + std::to_string(sessions.size() - kSessionsShown) + " more";
  }
  return out;
}

grpc::Status CallRemoveSessions(VerbContext& context,
                                const v1::RemoveSessionsRequest& request,
                                v1::RemoveSessionsReply& reply) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  return context.sessions().RemoveSessions(&call, request, &reply);
}

}  // namespace

int RunGetSession(VerbContext& context) {
  const Invocation& inv = context.invocation();
  v1::GetSessionsRequest request;
  request.set_partner(inv.session.partner);
  v1::GetSessionsReply reply;
  grpc::ClientContext call;
  context.PrepareUnary(call);
  grpc::Status status = context.sessions().GetSessions(&call, request, &reply);
  // The agent's messages name the field and value (partner=...).
  if (!status.ok()) return context.Fail(status, "");
  // A list in every format: a JSON array even for none or one.
  std::unique_ptr<RecordWriter> writer =
      context.ListWriter(SessionListLayout());
  for (const v1::Session& session : reply.sessions()) {
    writer->Write(SessionRecord(session));
  }
  writer->Finish();
  if (reply.sessions_size() == 0) {
    context.NoteEmptyListing(inv.session.partner.empty()
                                 ? "no live streams"
                                 : "no live streams with partner " +
                                       inv.session.partner);
  }
  return kExitOk;
}

int RunGetPartnerStatus(VerbContext& context) {
  const Invocation& inv = context.invocation();
  v1::GetPartnerStatusRequest request;
  request.set_partner(inv.session.partner);
  v1::GetPartnerStatusReply reply;
  grpc::ClientContext call;
  context.PrepareUnary(call);
  grpc::Status status =
      context.sessions().GetPartnerStatus(&call, request, &reply);
  if (!status.ok()) return context.Fail(status, "");
  // In the agent's order: most trouble first.
  std::unique_ptr<RecordWriter> writer =
      context.ListWriter(FederationStatusListLayout());
  for (const v1::PartnerFederationStatus& each : reply.statuses()) {
    writer->Write(FederationStatusRecord(each));
  }
  writer->Finish();
  if (reply.statuses_size() == 0) context.NoteEmptyListing("no partners");
  return kExitOk;
}

// Unless --force (and no --what-if), a what_if call first shows what would be
// closed, for the prompt or the what-if lines; the real call then sends the
// same ids, or the same partner (its streams are what the operator asked to
// end, including one that opened in between).
int RunRemoveSession(VerbContext& context) {
  const Invocation& inv = context.invocation();
  v1::RemoveSessionsRequest request;
  for (uint64_t id : inv.session.ids) request.add_ids(id);
  request.set_partner(inv.session.partner);
  v1::RemoveSessionsReply reply;

  if (inv.global.what_if || !inv.global.force) {
    request.set_what_if(true);
    grpc::Status status = CallRemoveSessions(context, request, reply);
    if (!status.ok()) return context.Fail(status, "");
    if (reply.removed().empty()) {
      context.Note("remove-session: partner " + inv.session.partner +
                   " has no live session; nothing closed");
      return kExitOk;
    }
    if (inv.global.what_if) {
      for (const v1::Session& session : reply.removed()) {
        context.WhatIf("Closing session " + DescribeSession(session));
      }
      return kExitOk;
    }
    std::string question = "Close " + SessionCount(reply.removed_size()) +
                           ": " + SessionList(reply.removed(), false) + "?";
    if (int code = context.ConfirmChange(true, question)) return code;
  }
  request.set_what_if(false);
  reply.Clear();
  grpc::Status status = CallRemoveSessions(context, request, reply);
  if (!status.ok()) return context.Fail(status, "");
  std::string note = "closed " + SessionCount(reply.removed_size());
  if (!reply.removed().empty()) {
    note += ": " + SessionList(reply.removed(), true);
  }
  context.Note(note);
  return kExitOk;
}

}  // namespace xmppfed::cli
