#include "agent/config_reloader.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "agent/config/config_change.h"
#include "agent/runtime/log.h"
#include "agent/runtime/systemd_notify.h"

namespace xmppfed {
namespace {

// A message as one quoted log value.
std::string Quoted(absl::string_view text) {
  std::string one_line(absl::StripSuffix(text, "\n"));
  return absl::StrCat(
      "\"", absl::StrReplaceAll(one_line, {{"\"", "'"}, {"\n", "; "}}), "\"");
}

bool IsCertificateKey(const std::string& key) {
  return key == "tls-cert" || key == "tls-key" || key == "ca-file";
}

std::vector<edge::tls::Credential> Credentials(
    const config::AgentOptions& options) {
  std::vector<edge::tls::Credential> credentials;
  for (const config::TlsCredential& credential : options.tls_credentials) {
    credentials.push_back({credential.certificate_file, credential.key_file});
  }
  return credentials;
}

}  // namespace

ConfigReloader::ConfigReloader(const config::AgentOptions& running, int argc,
                               const char* const* argv, edge::Edge* edge)
    : running_(running), argv_(argv, argv + argc), edge_(edge) {}

void ConfigReloader::Adopt(const std::string& key,
                           const config::AgentOptions& reread) {
  auto found = reread.given.find(key);
  if (found == reread.given.end()) {
    running_.given.erase(key);
  } else {
    running_.given[key] = found->second;
  }
}

void ConfigReloader::Reload() {
  runtime::NotifySystemd("RELOADING=1");
  if (absl::Status reopened = runtime::ReopenLog(); !reopened.ok()) {
    runtime::LogError("agent.reload.log_failed",
                      absl::StrCat("error=", Quoted(reopened.message())));
  }
  std::ostringstream out, err;
  config::ParsedAgentOptions reread = config::ParseAgentOptions(
      static_cast<int>(argv_.size()), argv_.data(), out, err);
  if (!reread.options) {
    runtime::LogError(
        "agent.reload.failed",
        absl::StrCat(
            "error=", Quoted(absl::StripPrefix(err.str(), "xmppfed-agent: ")),
            " kept=\"the running configuration\""));
    runtime::NotifySystemd("READY=1");
    return;
  }
  config::ConfigChange change =
      config::CompareConfig(running_, *reread.options);

  std::vector<std::string> applied;
  if (!change.live.empty()) {
    absl::Status logged = runtime::ConfigureLog(reread.options->log);
    if (logged.ok()) {
      running_.log = reread.options->log;
      for (const std::string& key : change.live) {
        Adopt(key, *reread.options);
        applied.push_back(key);
      }
    } else {
      runtime::LogError("agent.reload.log_failed",
                        absl::StrCat("error=", Quoted(logged.message())));
    }
  }

  // The certificates are read again even when their paths did not change:
  // rotating a certificate in place is the usual case.
  std::string certificates = "none";
  if (edge_ != nullptr) {
    absl::Status reloaded = edge_->ReloadCredentials(
        Credentials(*reread.options), reread.options->ca_file);
    if (reloaded.ok()) {
      certificates = "reloaded";
      auto& restart = change.need_restart;
      for (auto it = restart.begin(); it != restart.end();) {
        if (!IsCertificateKey(*it)) {
          ++it;
          continue;
        }
        Adopt(*it, *reread.options);
        applied.push_back(*it);
        it = restart.erase(it);
      }
    } else {
      // The edge serves the certificates it had; the changed paths stay
      // listed as needing attention (restart_needed) below.
      runtime::LogError("agent.reload.certificates_failed",
                        absl::StrCat("error=", Quoted(reloaded.message()),
                                     " kept=\"the certificates in use\""));
      certificates = absl::StrCat("failed error=", Quoted(reloaded.message()));
    }
  }
  std::sort(applied.begin(), applied.end());

  std::string details = absl::StrCat(
      "config=", running_.config_file.empty() ? "none" : running_.config_file,
      " applied=", applied.empty() ? "none" : absl::StrJoin(applied, ","),
      " certificates=", certificates);
  runtime::LogNotice("agent.reloaded", details);
  if (!change.need_restart.empty()) {
    runtime::LogWarning(
        "agent.reload.restart_needed",
        absl::StrCat("keys=", absl::StrJoin(change.need_restart, ","),
                     " reason=\"these keys apply when the agent starts; "
                     "restart it to use them\""));
  }
  runtime::NotifySystemd("READY=1");
}

}  // namespace xmppfed
