#include "agent/rpc/partner_check.h"

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/service/partner_checks.h"

namespace xmppfed::rpc {
namespace {

constexpr uint32_t kDefaultTimeoutSeconds = 20;
constexpr uint32_t kMaxTimeoutSeconds = 300;

}  // namespace

absl::StatusOr<absl::Duration> CheckTimeout(uint32_t seconds) {
  if (seconds == 0) seconds = kDefaultTimeoutSeconds;
  if (seconds > kMaxTimeoutSeconds) {
    return errors::InvalidField(
        "timeoutSeconds", absl::StrCat(seconds),
        absl::StrCat("must be from 1 to ", kMaxTimeoutSeconds, " seconds"));
  }
  return absl::Seconds(seconds);
}

absl::StatusOr<v1::Partner> PartnerOwning(store::Store& store,
                                          const std::string& domain) {
  absl::StatusOr<std::optional<service::CoveringOwner>> owner =
      service::FindCoveringOwner(domain, [&store](std::string_view key) {
        return store.FindDomainOwner(key);
      });
  if (!owner.ok()) return owner.status();
  if (owner->has_value()) {
    absl::StatusOr<std::optional<v1::Partner>> found =
        store.GetPartner((*owner)->identity);
    if (!found.ok()) return found.status();
    if (found->has_value()) return **std::move(found);
  }
  constexpr char kRule[] = "no partner has this domain";
  return errors::FieldError(absl::StatusCode::kNotFound, "identity", domain,
                            kRule,
                            absl::StrCat("identity=", domain, ": ", kRule));
}

void FinishCheck(const std::vector<v1::TestPartnerStep>& steps,
                 v1::TargetResult* result) {
  for (const v1::TestPartnerStep& step : steps) {
    if (step.result() == "Failed") {
      result->set_status(v1::TARGET_STATUS_FAILED);
      result->set_error(
          absl::StrCat(step.step(), " failed: ", step.diagnosis()));
      return;
    }
  }
  result->set_status(v1::TARGET_STATUS_PASSED);
}

}  // namespace xmppfed::rpc
