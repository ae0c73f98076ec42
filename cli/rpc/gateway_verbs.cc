// get-gateway-config, set-gateway-config: one GatewayService call each.
#include <string>

#include "cli/exit_codes.h"
#include "cli/rpc/records.h"
#include "cli/rpc/request_fields.h"
#include "cli/rpc/verb_table.h"
#include "cli/rpc/what_if.h"
#include "xmppfed/v1/utf8.h"

namespace xmppfed::cli {
namespace {

void PrintConfig(const VerbContext& context, const v1::GatewayConfig& config) {
  std::unique_ptr<RecordWriter> writer = context.ObjectWriter();
  writer->Write(GatewayRecord(config));
  writer->Finish();
}

grpc::Status CallSetGatewayConfig(VerbContext& context,
                                  const v1::SetGatewayConfigRequest& request,
                                  v1::GatewayConfigChange& change) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  return context.gateway().SetGatewayConfig(&call, request, &change);
}

void PrintWarnings(const VerbContext& context,
                   const v1::GatewayConfigChange& change) {
  for (const std::string& warning : change.warnings()) {
    context.Warn("", warning);
  }
}

}  // namespace

int RunGetGatewayConfig(VerbContext& context) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  v1::GatewayConfig config;
  grpc::Status status = context.gateway().GetGatewayConfig(
      &call, v1::GetGatewayConfigRequest(), &config);
  if (!status.ok()) return context.Fail(status, "");
  PrintConfig(context, config);
  return kExitOk;
}

int RunSetGatewayConfig(VerbContext& context) {
  const Invocation& inv = context.invocation();
  v1::SetGatewayConfigRequest request;
  *request.mutable_fields() = ToGatewayFields(inv.gateway);
  if (inv.gateway.dialback_passphrase_file) {
    std::string error;
    std::optional<std::string> passphrase =
        ReadPassphraseFile(*inv.gateway.dialback_passphrase_file, error);
    if (!passphrase) {
      return context.UsageError("cannot read --dialback-passphrase-file " +
                                *inv.gateway.dialback_passphrase_file + ": " +
                                error);
    }
    if (v1::FindInvalidUtf8(*passphrase) != std::string::npos) {
      // Never echoed: it is a secret.
      return context.UsageError("--dialback-passphrase-file " +
                                *inv.gateway.dialback_passphrase_file +
                                ": the first line is not valid UTF-8");
    }
    request.mutable_fields()->set_dialback_passphrase(*passphrase);
  }
  v1::GatewayConfigChange change;

  bool warned = false;
  if (inv.global.confirm && !inv.global.what_if) {
    request.set_what_if(true);
    grpc::Status status = CallSetGatewayConfig(context, request, change);
    if (!status.ok()) return context.Fail(status, "");
    PrintWarnings(context, change);
    warned = true;
    std::string diff = DescribeGatewayChange(change);
    if (diff.empty()) {
      context.Note("set-gateway-config: no change");
      if (inv.pass_thru) PrintConfig(context, change.config());
      return kExitOk;
    }
    if (int code = context.ConfirmChange(
            false, "Change gateway config: " + diff + "?")) {
      return code;
    }
  }
  request.set_what_if(inv.global.what_if);
  grpc::Status status = CallSetGatewayConfig(context, request, change);
  if (!status.ok()) return context.Fail(status, "");
  if (!warned) PrintWarnings(context, change);
  if (inv.global.what_if) {
    std::string diff = DescribeGatewayChange(change);
    context.WhatIf(diff.empty() ? "No change to gateway config"
                                : "Changing gateway config: " + diff);
  } else if (!change.applied()) {
    context.Note("set-gateway-config: no change");
  }
  if (inv.pass_thru) PrintConfig(context, change.config());
  return kExitOk;
}

}  // namespace xmppfed::cli
