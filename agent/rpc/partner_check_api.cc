#include "agent/rpc/partner_check_api.h"

#include <condition_variable>
#include <deque>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>

#include "agent/policy/domain.h"
#include "agent/rpc/partner_check_targets.h"
#include "agent/rpc/status_conversion.h"

namespace xmppfed::rpc {
namespace {

// Steps handed from the edge's thread to the handler's; shared, so a step
// reported after the handler gave up lands somewhere harmless.
struct StepQueue {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<v1::TestPartnerStep> steps;
};

}  // namespace

grpc::Status PartnerCheckApi::TestPartner(
    grpc::ServerContext* context, const v1::TestPartnerRequest* request,
    grpc::ServerWriter<v1::TestPartnerStep>* writer) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.PartnerCheckService.TestPartner");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<std::string> domain =
      policy::NormalizeDomain("identity", request->identity());
  if (!domain.ok()) return ToGrpcStatus(domain.status());
  absl::StatusOr<absl::Duration> timeout =
      CheckTimeout(request->timeout_seconds());
  if (!timeout.ok()) return ToGrpcStatus(timeout.status());
  absl::StatusOr<v1::Partner> partner = PartnerOwning(*store_, *domain);
  if (!partner.ok()) return ToGrpcStatus(partner.status());
  if (tester_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, kEdgeOff);
  }

  auto queue = std::make_shared<StepQueue>();
  tester_->Test(*partner, *domain, *timeout,
                [queue](const v1::TestPartnerStep& step) {
                  std::lock_guard<std::mutex> lock(queue->mutex);
                  queue->steps.push_back(step);
                  queue->changed.notify_all();
                });

  const size_t expected = std::size(kTestSteps);
  auto deadline = std::chrono::steady_clock::now() +
                  absl::ToChronoSeconds(*timeout + kReportSlack);
  for (size_t written = 0; written < expected;) {
    std::unique_lock<std::mutex> lock(queue->mutex);
    if (!queue->changed.wait_until(lock, deadline,
                                   [&] { return !queue->steps.empty(); })) {
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                          "the edge did not finish the check in time");
    }
    v1::TestPartnerStep step = std::move(queue->steps.front());
    queue->steps.pop_front();
    lock.unlock();
    if (context->IsCancelled() || !writer->Write(step)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the caller left");
    }
    ++written;
  }
  return grpc::Status::OK;
}

grpc::Status PartnerCheckApi::TestPartnerTargets(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::PartnerTargetsReply,
                             v1::PartnerTargetsRequest>* stream) {
  absl::StatusOr<access::Caller> caller = gate_->Admit(
      context, "xmppfed.v1.PartnerCheckService.TestPartnerTargets");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  v1::PartnerTargetsRequest first;
  if (!stream->Read(&first)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the caller left");
  }
  absl::StatusOr<absl::Duration> timeout =
      CheckTimeout(first.options().timeout_seconds());
  if (!timeout.ok()) return ToGrpcStatus(timeout.status());
  if (tester_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, kEdgeOff);
  }
  TargetChecks checks(tester_, store_, *timeout);
  absl::Status status = checks.Run(
      first,
      [&](v1::PartnerTargetsRequest* request) {
        return !context->IsCancelled() && stream->Read(request);
      },
      [&](const v1::PartnerTargetsReply& reply) {
        return !context->IsCancelled() && stream->Write(reply);
      },
      [context] { context->TryCancel(); });
  return ToGrpcStatus(status);
}

}  // namespace xmppfed::rpc
