// partner_loader: drives PartnerService directly, from one process, to
// separate the agent's own cost (validation, an fsync-durable commit) from
// the CLI's process start-up, and to load many partners quickly.
//
//   partner_loader --socket PATH [--mode create|get|list]
//                  [--count N]
//                  [--threads T] [--prefix P] [--suffix S] [--start K]
//                  [--range R] [--shared-channel] [--what-if] [--progress]
//                  [--seed X]
//
// create: NewPartner for identities P-K S .. P-(K+N-1) S (defaults
//         "bench-", ".test"), default fields, T threads pulling indices from
//         one counter. A partner that already exists counts as "existed".
//         --what-if asks the agent to validate only: nothing is committed,
//         which separates validation from the durable commit.
// get:    N point reads (GetPartners with an identity) of random identities
//         P-i S, i in [K, K+R).
// list:   one GetPartners stream of every partner (--count and --threads
//         ignored); "calls" is the number of partners received.
// Each thread has its own channel (its own connection) unless
// --shared-channel, which multiplexes T concurrent streams on one
// connection. Prints one JSON line with the rate and per-call latencies.
// Exit status: 0 if every call succeeded, 1 otherwise, 2 on usage errors.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string socket_path;
  std::string mode = "create";
  long count = 1000;
  int threads = 4;
  std::string prefix = "bench-";
  std::string suffix = ".test";
  long start = 0;
  long range = 0;
  bool shared_channel = false;
  bool progress = false;
  bool what_if = false;
  unsigned seed = 1;
};

struct Totals {
  std::atomic<long> ok{0};
  std::atomic<long> existed{0};
  std::atomic<long> failed{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::string first_error;
};

int Usage() {
  std::fprintf(stderr,
               "usage: partner_loader --socket PATH [--mode create|get|list] "
               "[--count N] [--threads T] [--prefix P] [--suffix S] "
               "[--start K] [--range R] [--shared-channel] [--what-if] "
               "[--progress] [--seed X]\n");
  return 2;
}

bool Parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (arg != name || i + 1 >= argc) return nullptr;
      return argv[++i];
    };
    const char* v = nullptr;
    if ((v = value("--socket"))) {
      o->socket_path = v;
    } else if ((v = value("--mode"))) {
      o->mode = v;
    } else if ((v = value("--count"))) {
      o->count = std::strtol(v, nullptr, 10);
    } else if ((v = value("--threads"))) {
      o->threads = static_cast<int>(std::strtol(v, nullptr, 10));
    } else if ((v = value("--prefix"))) {
      o->prefix = v;
    } else if ((v = value("--suffix"))) {
      o->suffix = v;
    } else if ((v = value("--start"))) {
      o->start = std::strtol(v, nullptr, 10);
    } else if ((v = value("--range"))) {
      o->range = std::strtol(v, nullptr, 10);
    } else if ((v = value("--seed"))) {
      o->seed = static_cast<unsigned>(std::strtoul(v, nullptr, 10));
    } else if (arg == "--shared-channel") {
      o->shared_channel = true;
    } else if (arg == "--what-if") {
      o->what_if = true;
    } else if (arg == "--progress") {
      o->progress = true;
    } else {
      return false;
    }
  }
  if (o->range <= 0) o->range = o->count;
  return !o->socket_path.empty() && o->count >= 0 && o->threads >= 1 &&
         o->threads <= 256 &&
         (o->mode == "create" || o->mode == "get" || o->mode == "list");
}

std::shared_ptr<grpc::Channel> MakeChannel(const Options& o, int index) {
  grpc::ChannelArguments args;
  // A distinct argument and a local subchannel pool give each channel its
  // own connection, so the threads are really concurrent clients.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("xmppfed.bench.channel_index", index);
  return grpc::CreateCustomChannel("unix:" + o.socket_path,
                                   grpc::InsecureChannelCredentials(), args);
}

std::string Identity(const Options& o, long i) {
  return o.prefix + std::to_string(i) + o.suffix;
}

void RecordError(Totals* t, const std::string& identity,
                 const grpc::Status& status) {
  t->failed.fetch_add(1);
  std::lock_guard<std::mutex> lock(t->mutex);
  if (t->first_error.empty()) {
    t->first_error = identity + ": code " +
                     std::to_string(static_cast<int>(status.error_code())) +
                     ": " + status.error_message();
  }
}

void Worker(const Options& o, std::shared_ptr<grpc::Channel> channel, int index,
            std::atomic<long>* next, Totals* t) {
  auto partners = xmppfed::v1::PartnerService::NewStub(channel);
  std::mt19937_64 rng(o.seed * 7919u + static_cast<unsigned>(index));
  std::uniform_int_distribution<long> pick(o.start, o.start + o.range - 1);
  std::vector<double> latencies;
  for (;;) {
    long n = next->fetch_add(1);
    if (n >= o.count) break;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    Clock::time_point begin = Clock::now();
    if (o.mode == "create") {
      std::string identity = Identity(o, o.start + n);
      xmppfed::v1::NewPartnerRequest request;
      request.set_identity(identity);
      request.set_what_if(o.what_if);
      xmppfed::v1::PartnerChange reply;
      grpc::Status status = partners->NewPartner(&context, request, &reply);
      if (status.ok()) {
        t->ok.fetch_add(1);
      } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        t->existed.fetch_add(1);
      } else {
        RecordError(t, identity, status);
      }
    } else {
      std::string identity = Identity(o, pick(rng));
      xmppfed::v1::GetPartnersRequest request;
      request.set_identity(identity);
      auto reader = partners->GetPartners(&context, request);
      xmppfed::v1::PartnerPage page;
      int received = 0;
      while (reader->Read(&page)) received += page.partners_size();
      grpc::Status status = reader->Finish();
      if (status.ok() && received == 1) {
        t->ok.fetch_add(1);
      } else if (status.ok()) {
        RecordError(t, identity,
                    grpc::Status(grpc::StatusCode::NOT_FOUND,
                                 std::to_string(received) + " partners"));
      } else {
        RecordError(t, identity, status);
      }
    }
    latencies.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - begin)
            .count());
  }
  std::lock_guard<std::mutex> lock(t->mutex);
  t->latencies_ms.insert(t->latencies_ms.end(), latencies.begin(),
                         latencies.end());
}

// One stream of every partner: the agent's and gRPC's share of a full
// `get-partner -o ndjson`, without the CLI's formatting.
int ListAll(const Options& o, std::shared_ptr<grpc::Channel> channel) {
  auto partners = xmppfed::v1::PartnerService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::minutes(10));
  Clock::time_point begin = Clock::now();
  auto reader = partners->GetPartners(&context, {});
  xmppfed::v1::PartnerPage page;
  long received = 0;
  size_t bytes = 0;
  double first_ms = -1;
  while (reader->Read(&page)) {
    if (received == 0) {
      first_ms = std::chrono::duration<double, std::milli>(Clock::now() - begin)
                     .count();
    }
    received += page.partners_size();
    bytes += page.ByteSizeLong();
  }
  grpc::Status status = reader->Finish();
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::printf(
      "{\"mode\": \"list\", \"partners\": %ld, \"protoBytes\": %zu, "
      "\"seconds\": %.3f, \"partnersPerSecond\": %.1f, "
      "\"firstPartnerMs\": %.3f}\n",
      received, bytes, seconds, seconds > 0 ? received / seconds : 0.0,
      first_ms);
  if (!status.ok()) {
    std::fprintf(stderr, "partner_loader: GetPartners: code %d: %s\n",
                 static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    return 1;
  }
  return 0;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p * sorted.size()));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, &o)) return Usage();

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < (o.shared_channel ? 1 : o.threads); ++i) {
    channels.push_back(MakeChannel(o, i));
  }
  // Connect before the clock starts: connection set-up is not the agent's
  // per-call cost.
  for (auto& channel : channels) {
    if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(10))) {
      std::fprintf(stderr, "partner_loader: cannot connect to unix:%s\n",
                   o.socket_path.c_str());
      return 69;
    }
  }

  if (o.mode == "list") return ListAll(o, channels[0]);

  Totals totals;
  std::atomic<long> next{0};
  std::atomic<bool> done{false};
  Clock::time_point begin = Clock::now();
  std::thread reporter;
  if (o.progress) {
    reporter = std::thread([&] {
      while (!done.load()) {
        for (int i = 0; i < 50 && !done.load(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (done.load()) break;
        long finished = totals.ok + totals.existed + totals.failed;
        double s = std::chrono::duration<double>(Clock::now() - begin).count();
        std::fprintf(stderr, "partner_loader: %ld/%ld in %.1f s (%.0f/s)\n",
                     finished, o.count, s, s > 0 ? finished / s : 0.0);
      }
    });
  }
  std::vector<std::thread> workers;
  for (int i = 0; i < o.threads; ++i) {
    workers.emplace_back(Worker, std::cref(o),
                         channels[o.shared_channel ? 0 : i], i, &next, &totals);
  }
  for (auto& w : workers) w.join();
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  done = true;
  if (reporter.joinable()) reporter.join();

  std::vector<double>& lat = totals.latencies_ms;
  std::sort(lat.begin(), lat.end());
  long calls = static_cast<long>(lat.size());
  std::printf(
      "{\"mode\": \"%s\", \"threads\": %d, \"sharedChannel\": %s, "
      "\"calls\": %ld, \"ok\": %ld, \"existed\": %ld, \"failed\": %ld, "
      "\"seconds\": %.3f, \"callsPerSecond\": %.1f, \"latencyMsMedian\": "
      "%.3f, \"latencyMsP95\": %.3f, \"latencyMsMax\": %.3f}\n",
      o.mode.c_str(), o.threads, o.shared_channel ? "true" : "false", calls,
      totals.ok.load(), totals.existed.load(), totals.failed.load(), seconds,
      seconds > 0 ? calls / seconds : 0.0, Percentile(lat, 0.5),
      Percentile(lat, 0.95), lat.empty() ? 0.0 : lat.back());
  if (!totals.first_error.empty()) {
    std::fprintf(stderr, "partner_loader: %ld failed; first: %s\n",
                 totals.failed.load(), totals.first_error.c_str());
  }
  return totals.failed.load() == 0 ? 0 : 1;
}
