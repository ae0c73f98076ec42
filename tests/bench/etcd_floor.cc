// etcd_floor: the floor of an etcd store write, measured in-process with
// the agent's own etcd client (agent/etcd): one transaction putting one key
// per call, T threads pulling indices from one counter.
//
//   etcd_floor --endpoints H:P[,H:P...] [--count N] [--threads T]
//              [--prefix P] [--value-bytes B]
//
// Prints one JSON line with the rate and per-call latencies. Exit status 0
// when every call succeeded, 1 otherwise, 2 on usage errors.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/etcd/client.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<std::string> endpoints;
  long count = 1000;
  int threads = 1;
  std::string prefix = "/etcd-floor/";
  size_t value_bytes = 100;
};

bool Parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (v == nullptr) return false;
    if (arg == "--endpoints") {
      std::string list = v;
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        o->endpoints.push_back(list.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (arg == "--count") {
      o->count = std::atol(v);
    } else if (arg == "--threads") {
      o->threads = std::atoi(v);
    } else if (arg == "--prefix") {
      o->prefix = v;
    } else if (arg == "--value-bytes") {
      o->value_bytes = static_cast<size_t>(std::atol(v));
    } else {
      return false;
    }
    ++i;
  }
  return !o->endpoints.empty() && o->count > 0 && o->threads > 0;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t index = static_cast<size_t>(p * (sorted.size() - 1));
  return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, &o)) {
    std::fprintf(stderr,
                 "usage: etcd_floor --endpoints H:P[,H:P...] [--count N] "
                 "[--threads T] [--prefix P] [--value-bytes B]\n");
    return 2;
  }
  xmppfed::etcd::ClientOptions client_options;
  client_options.endpoints = o.endpoints;
  absl::StatusOr<std::unique_ptr<xmppfed::etcd::Client>> client =
      xmppfed::etcd::Client::Create(client_options);
  if (!client.ok()) {
    std::fprintf(stderr, "etcd_floor: %s\n",
                 std::string(client.status().message()).c_str());
    return 1;
  }
  const std::string value(o.value_bytes, 'v');
  std::atomic<long> next{0};
  std::atomic<long> failed{0};
  std::mutex mutex;
  std::vector<double> latencies;
  Clock::time_point begin = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&] {
      std::vector<double> mine;
      for (long i = next++; i < o.count; i = next++) {
        etcdserverpb::TxnRequest txn;
        etcdserverpb::PutRequest* put =
            txn.add_success()->mutable_request_put();
        put->set_key(o.prefix + std::to_string(i));
        put->set_value(value);
        Clock::time_point start = Clock::now();
        if (!(*client)->Txn(txn).ok()) ++failed;
        mine.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start)
                .count());
      }
      std::lock_guard<std::mutex> lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& worker : workers) worker.join();
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "{\"threads\": %d, \"calls\": %zu, \"failed\": %ld, \"seconds\": %.3f, "
      "\"callsPerSecond\": %.1f, \"latencyMsMedian\": %.3f, "
      "\"latencyMsP95\": %.3f}\n",
      o.threads, latencies.size(), failed.load(), seconds,
      seconds > 0 ? latencies.size() / seconds : 0.0,
      Percentile(latencies, 0.5), Percentile(latencies, 0.95));
  return failed.load() == 0 ? 0 : 1;
}
