#include "agent/rpc/partner_check_api.h"

#include <condition_variable>
#include <deque>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/rpc/status_conversion.h"

namespace xmppfed::rpc {
namespace {

constexpr uint32_t kDefaultTimeoutSeconds = 20;
constexpr uint32_t kMaxTimeoutSeconds = 300;
// The edge reports its last step within the timeout; this is its slack.
constexpr absl::Duration kReportSlack = absl::Seconds(5);
constexpr char kEdgeOff[] = "the federation edge is off (--s2s-listen off)";

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
  uint32_t timeout_seconds = request->timeout_seconds() == 0
                                 ? kDefaultTimeoutSeconds
                                 : request->timeout_seconds();
  if (timeout_seconds > kMaxTimeoutSeconds) {
    return ToGrpcStatus(errors::InvalidField(
        "timeoutSeconds", absl::StrCat(timeout_seconds),
        absl::StrCat("must be from 1 to ", kMaxTimeoutSeconds, " seconds")));
  }

  absl::StatusOr<std::optional<std::string>> owner =
      store_->FindDomainOwner(*domain);
  if (!owner.ok()) return ToGrpcStatus(owner.status());
  std::optional<v1::Partner> partner;
  if (owner->has_value()) {
    absl::StatusOr<std::optional<v1::Partner>> found =
        store_->GetPartner(**owner);
    if (!found.ok()) return ToGrpcStatus(found.status());
    partner = *std::move(found);
  }
  if (!partner.has_value()) {
    constexpr char kRule[] = "no partner has this domain";
    return ToGrpcStatus(errors::FieldError(
        absl::StatusCode::kNotFound, "identity", *domain, kRule,
        absl::StrCat("identity=", *domain, ": ", kRule)));
  }
  if (tester_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, kEdgeOff);
  }

  auto queue = std::make_shared<StepQueue>();
  absl::Duration timeout = absl::Seconds(timeout_seconds);
  tester_->Test(*partner, *domain, timeout,
                [queue](const v1::TestPartnerStep& step) {
                  std::lock_guard<std::mutex> lock(queue->mutex);
                  queue->steps.push_back(step);
                  queue->changed.notify_all();
                });

  const size_t expected = std::size(kTestSteps);
  auto deadline = std::chrono::steady_clock::now() +
                  absl::ToChronoSeconds(timeout + kReportSlack);
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

}  // namespace xmppfed::rpc
