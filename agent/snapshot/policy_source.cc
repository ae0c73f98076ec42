#include "agent/snapshot/policy_source.h"

#include <utility>

namespace xmppfed::snapshot {

SnapshotPublisher::SnapshotPublisher(
    std::shared_ptr<const PolicySnapshot> first)
    : current_(std::move(first)) {}

std::shared_ptr<const PolicySnapshot> SnapshotPublisher::Current() const {
  return current_.load(std::memory_order_acquire);
}

void SnapshotPublisher::Publish(std::shared_ptr<const PolicySnapshot> next) {
  current_.store(std::move(next), std::memory_order_release);
  std::shared_ptr<const std::function<void()>> listener;
  {
    std::lock_guard<std::mutex> lock(callbacks_mutex_);
    listener = listener_;
  }
  if (listener != nullptr) (*listener)();
}

void SnapshotPublisher::SetPublishListener(std::function<void()> listener) {
  std::shared_ptr<const std::function<void()>> shared;
  if (listener) {
    shared = std::make_shared<const std::function<void()>>(std::move(listener));
  }
  std::lock_guard<std::mutex> lock(callbacks_mutex_);
  listener_ = std::move(shared);
}

void SnapshotPublisher::SetInvitationSink(
    std::function<void(std::string_view, std::string_view)> sink) {
  using Sink = std::function<void(std::string_view, std::string_view)>;
  std::shared_ptr<const Sink> shared;
  if (sink) shared = std::make_shared<const Sink>(std::move(sink));
  std::lock_guard<std::mutex> lock(callbacks_mutex_);
  sink_ = std::move(shared);
}

bool SnapshotPublisher::IsInvited(std::string_view local_jid,
                                  std::string_view remote_jid) const {
  return invitations_.Contains(local_jid, remote_jid);
}

void SnapshotPublisher::RecordInvitation(std::string_view local_jid,
                                         std::string_view remote_jid) {
  if (!invitations_.Add(local_jid, remote_jid)) return;
  std::shared_ptr<const std::function<void(std::string_view, std::string_view)>>
      sink;
  {
    std::lock_guard<std::mutex> lock(callbacks_mutex_);
    sink = sink_;
  }
  if (sink != nullptr) (*sink)(local_jid, remote_jid);
}

}  // namespace xmppfed::snapshot
