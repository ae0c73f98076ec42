#include "agent/etcd/watcher.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/etcd/call_status.h"

namespace xmppfed::etcd {

std::string PrefixRangeEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto last = static_cast<unsigned char>(end.back());
    if (last < 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  // Every key: etcd's "\0" range end.
  return std::string(1, '\0');
}

Watcher::Watcher(Client* client, std::string prefix, int64_t from_revision,
                 WatchHandler handler)
    : client_(client),
      prefix_(std::move(prefix)),
      handler_(std::move(handler)),
      next_revision_(from_revision),
      thread_([this] { Run(); }) {}

Watcher::~Watcher() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  thread_.join();
}

bool Watcher::Pause(absl::Duration pause) {
  absl::MutexLock lock(&mutex_);
  return !mutex_.AwaitWithTimeout(absl::Condition(&stopping_), pause);
}

void Watcher::Run() {
  absl::Duration pause = absl::Milliseconds(100);
  while (true) {
    grpc::Status ended = Follow();
    {
      absl::MutexLock lock(&mutex_);
      if (stopping_) return;
    }
    if (ended.ok()) {
      // Ended on purpose (compaction handled): reopen at once.
      pause = absl::Milliseconds(100);
      continue;
    }
    client_->WatchFailed(ended);
    if (!broken_) {
      broken_ = true;
      if (handler_.on_broken) {
        handler_.on_broken(client_->Unreachable(
            absl::StrCat("watch: ", DescribeFailure(ended))));
      }
    }
    if (!Pause(pause)) return;
    pause = std::min(pause * 2, absl::Seconds(1));
  }
}

grpc::Status Watcher::Follow() {
  grpc::ClientContext context;
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return grpc::Status::CANCELLED;
    context_ = &context;
  }
  struct ClearContext {
    Watcher* watcher;
    ~ClearContext() {
      absl::MutexLock lock(&watcher->mutex_);
      watcher->context_ = nullptr;
    }
  } clear{this};

  if (absl::Status authorized = client_->Authorize(&context);
      !authorized.ok()) {
    return ToGrpc(authorized);
  }
  auto stream = client_->OpenWatch(&context);
  etcdserverpb::WatchRequest request;
  etcdserverpb::WatchCreateRequest* create = request.mutable_create_request();
  create->set_key(prefix_);
  create->set_range_end(PrefixRangeEnd(prefix_));
  create->set_start_revision(next_revision_);
  // Empty responses now and then carry the current revision, so that a
  // quiet prefix does not leave the watch behind a compaction.
  create->set_progress_notify(true);
  if (!stream->Write(request)) return stream->Finish();

  etcdserverpb::WatchResponse response;
  while (stream->Read(&response)) {
    if (response.compact_revision() > 0) {
      // The history from next_revision_ on is gone.
      context.TryCancel();
      stream->Finish();
      if (!handler_.on_compacted) return grpc::Status::OK;
      absl::StatusOr<int64_t> reread =
          handler_.on_compacted(response.compact_revision());
      if (!reread.ok()) return ToGrpc(reread.status());
      next_revision_ = *reread + 1;
      return grpc::Status::OK;
    }
    if (response.canceled()) {
      context.TryCancel();
      stream->Finish();
      return grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          absl::StrCat("etcd cancelled the watch: ", response.cancel_reason()));
    }
    if (broken_) {
      broken_ = false;
      client_->WatchAnswered();
      if (handler_.on_restored) handler_.on_restored();
    }
    if (response.events_size() > 0) {
      next_revision_ = std::max(
          next_revision_,
          response.events(response.events_size() - 1).kv().mod_revision() + 1);
      if (handler_.on_events) handler_.on_events(response);
    } else if (!response.created()) {
      // A progress notification: nothing under the prefix up to here.
      next_revision_ =
          std::max(next_revision_, response.header().revision() + 1);
    }
  }
  grpc::Status status = stream->Finish();
  if (status.ok()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the watch stream ended");
  }
  return status;
}

}  // namespace xmppfed::etcd
