// new-partner, set-partner, get-partner, remove-partner: one PartnerService
// call each (remove-partner: a listing call first, see RunRemovePartner).
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/rpc/records.h"
#include "cli/rpc/request_fields.h"
#include "cli/rpc/verb_table.h"
#include "cli/rpc/what_if.h"

namespace xmppfed::cli {
namespace {

void PrintWarnings(const VerbContext& context,
                   const v1::PartnerChange& change) {
  for (const std::string& warning : change.warnings()) {
    context.Warn(change.partner().identity(), warning);
  }
}

void PrintPartner(const VerbContext& context, const v1::Partner& partner) {
  std::unique_ptr<RecordWriter> writer = context.ObjectWriter();
  writer->Write(PartnerRecord(partner));
  writer->Finish();
}

grpc::Status CallNewPartner(VerbContext& context,
                            const v1::NewPartnerRequest& request,
                            v1::PartnerChange& change) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  return context.partners().NewPartner(&call, request, &change);
}

grpc::Status CallSetPartner(VerbContext& context,
                            const v1::SetPartnerRequest& request,
                            v1::PartnerChange& change) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  return context.partners().SetPartner(&call, request, &change);
}

grpc::Status CallRemovePartners(VerbContext& context,
                                const v1::RemovePartnersRequest& request,
                                v1::RemovePartnersReply& reply) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  return context.partners().RemovePartners(&call, request, &reply);
}

std::string SetPartnerQuestion(const v1::PartnerChange& change) {
  return "Change partner " + change.partner().identity() + ": " +
         DescribePartnerChange(change.before(), change.partner()) + "?";
}

}  // namespace

int RunNewPartner(VerbContext& context) {
  const Invocation& inv = context.invocation();
  const std::string& identity = inv.identities.front();
  v1::NewPartnerRequest request;
  request.set_identity(identity);
  *request.mutable_fields() = ToPartnerFields(inv.partner);
  v1::PartnerChange change;

  bool warned = false;
  if (inv.global.confirm && !inv.global.what_if) {
    // Ask only about a partner the agent would accept: validate first.
    request.set_what_if(true);
    grpc::Status status = CallNewPartner(context, request, change);
    if (!status.ok()) return context.Fail(status, identity);
    PrintWarnings(context, change);
    warned = true;
    if (int code = context.ConfirmChange(
            false, "Create partner " + change.partner().identity() + "?")) {
      return code;
    }
  }
  request.set_what_if(inv.global.what_if);
  grpc::Status status = CallNewPartner(context, request, change);
  if (!status.ok()) return context.Fail(status, identity);
  if (!warned) PrintWarnings(context, change);
  if (inv.global.what_if) {
    context.WhatIf("Creating partner " + change.partner().identity());
  }
  PrintPartner(context, change.partner());
  return kExitOk;
}

int RunSetPartner(VerbContext& context) {
  const Invocation& inv = context.invocation();
  if (TargetsFromStdin(inv)) return RunSetPartnerTargets(context);
  const std::string& identity = inv.identities.front();
  v1::SetPartnerRequest request;
  request.set_identity(identity);
  *request.mutable_fields() = ToPartnerFields(inv.partner);
  v1::PartnerChange change;

  bool warned = false;
  if (inv.global.confirm && !inv.global.what_if) {
    request.set_what_if(true);
    grpc::Status status = CallSetPartner(context, request, change);
    if (!status.ok()) return context.Fail(status, identity);
    PrintWarnings(context, change);
    warned = true;
    if (DescribePartnerChange(change.before(), change.partner()).empty()) {
      // Nothing would change: nothing to ask, nothing to send.
      context.Note("set-partner " + change.partner().identity() +
                   ": no change");
      if (inv.pass_thru) PrintPartner(context, change.partner());
      return kExitOk;
    }
    if (int code = context.ConfirmChange(false, SetPartnerQuestion(change))) {
      return code;
    }
  }
  request.set_what_if(inv.global.what_if);
  grpc::Status status = CallSetPartner(context, request, change);
  if (!status.ok()) return context.Fail(status, identity);
  if (!warned) PrintWarnings(context, change);
  const std::string& name = change.partner().identity();
  if (inv.global.what_if) {
    std::string diff = DescribePartnerChange(change.before(), change.partner());
    context.WhatIf(diff.empty() ? "No change to partner " + name
                                : "Changing partner " + name + ": " + diff);
  } else if (!change.applied()) {
    context.Note("set-partner " + name + ": no change");
  }
  if (inv.pass_thru) PrintPartner(context, change.partner());
  return kExitOk;
}

int RunGetPartner(VerbContext& context) {
  const Invocation& inv = context.invocation();
  if (TargetsFromStdin(inv)) return RunGetPartnerTargets(context);
  v1::GetPartnersRequest request;
  std::string subject;
  if (!inv.identities.empty()) {
    subject = inv.identities.front();
    request.set_identity(subject);
  }
  request.set_filter(inv.filter);

  // One named partner reads best as Format-List; otherwise a list in every
  // format (a JSON array even for one identity).
  bool one_object = !subject.empty() && IsForPeople(inv.global.output);
  std::unique_ptr<RecordWriter> writer =
      one_object ? context.ObjectWriter()
                 : context.ListWriter(PartnerListLayout(/*with_status=*/true));

  grpc::ClientContext call;
  context.PrepareStream(call);
  std::unique_ptr<grpc::ClientReader<v1::PartnerPage>> reader =
      context.partners().GetPartners(&call, request);
  v1::PartnerPage page;
  std::uint64_t listed = 0;
  while (reader->Read(&page)) {
    for (const v1::Partner& partner : page.partners()) {
      writer->Write(PartnerRecordFor(inv.global.output, partner));
      ++listed;
    }
  }
  grpc::Status status = reader->Finish();
  // A table shows the rows that came; a data format stays visibly cut.
  if (status.ok() || IsForPeople(inv.global.output)) {
    writer->Finish();
  }
  if (!status.ok()) return context.Fail(status, subject);
  // The store was unreachable: the agent answered from its policy in memory.
  auto stale = call.GetServerTrailingMetadata().find("xmppfed-stale-read");
  if (stale != call.GetServerTrailingMetadata().end()) {
    context.Warn(subject,
                 std::string(stale->second.data(), stale->second.size()));
  }
  if (listed == 0) {
    context.NoteEmptyListing(inv.filter.empty()
                                 ? "no partners"
                                 : "no partner matches '" + inv.filter + "'");
  }
  return kExitOk;
}

// With --filter (or whenever a confirmation may be asked) a what_if call
// first resolves the exact partners; the real call then removes exactly
// those identities, so a partner created in between is never removed
// unseen. With --force and named identities it is one call.
int RunRemovePartner(VerbContext& context) {
  const Invocation& inv = context.invocation();
  if (TargetsFromStdin(inv)) return RunRemovePartnerTargets(context);
  std::string subject =
      inv.identities.size() == 1 ? inv.identities.front() : std::string();
  v1::RemovePartnersRequest request;
  for (const std::string& identity : inv.identities) {
    request.add_identities(identity);
  }
  request.set_filter(inv.filter);
  v1::RemovePartnersReply reply;

  bool list_first =
      inv.global.what_if || !inv.filter.empty() || !inv.global.force;
  if (list_first) {
    request.set_what_if(true);
    grpc::Status status = CallRemovePartners(context, request, reply);
    if (!status.ok()) return context.Fail(status, subject);
    std::vector<std::string> names;
    for (const v1::Partner& partner : reply.removed()) {
      names.push_back(partner.identity());
    }
    if (names.empty()) {
      context.Note("remove-partner: no partner matches '" + inv.filter +
                   "'; nothing removed");
      return kExitOk;
    }
    if (inv.global.what_if) {
      for (const std::string& name : names) {
        context.WhatIf("Removing partner " + name);
      }
      return kExitOk;
    }
    std::string question =
        "Remove " + PartnerCount(names.size()) + ": " + NameList(names) + "?";
    if (int code = context.ConfirmChange(true, question)) return code;
    request.clear_identities();
    request.clear_filter();
    for (const std::string& name : names) request.add_identities(name);
  }
  request.set_what_if(false);
  reply.Clear();
  grpc::Status status = CallRemovePartners(context, request, reply);
  if (!status.ok()) return context.Fail(status, subject);
  std::vector<std::string> removed;
  for (const v1::Partner& partner : reply.removed()) {
    removed.push_back(partner.identity());
  }
  context.Note("removed " + PartnerCount(removed.size()) + ": " +
               NameList(removed));
  return kExitOk;
}

}  // namespace xmppfed::cli
