#include "tests/support/fake_dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

namespace xmppfed::testing {
namespace {

// RR types and the header's fields (RFC 1035 §3.2.2, §4.1.1; RFC 2782;
// RFC 3596).
constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kTypeSrv = 33;
constexpr uint16_t kClassIn = 1;
constexpr std::size_t kHeaderSize = 12;
constexpr uint8_t kRcodeServFail = 2;
constexpr uint8_t kRcodeNxdomain = 3;
constexpr uint8_t kRcodeRefused = 5;

std::string TypeName(uint16_t type) {
  switch (type) {
    case kTypeA:
      return "A";
    case kTypeAaaa:
      return "AAAA";
    case kTypeSrv:
      return "SRV";
    default:
      return "TYPE" + std::to_string(type);
  }
}

// Lower case, no trailing dot: the table's key.
std::string Key(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

void PutU16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value & 0xff));
}

void PutU32(std::string& out, uint32_t value) {
  PutU16(out, static_cast<uint16_t>(value >> 16));
  PutU16(out, static_cast<uint16_t>(value & 0xffff));
}

// A name as labels, uncompressed; "" and "." are the root.
std::string EncodeName(const std::string& name) {
  std::string out;
  std::size_t start = 0;
  const std::string key = Key(name);
  while (start < key.size()) {
    std::size_t end = key.find('.', start);
    if (end == std::string::npos) end = key.size();
    out.push_back(static_cast<char>(end - start));
    out.append(key, start, end - start);
    start = end + 1;
  }
  out.push_back('\0');
  return out;
}

std::string AddressBytes(int family, const std::string& text) {
  unsigned char bytes[16];
  if (::inet_pton(family, text.c_str(), bytes) != 1) std::abort();  // Test bug.
  return std::string(reinterpret_cast<char*>(bytes),
                     family == AF_INET ? 4 : 16);
}

}  // namespace

FakeDnsServer::FakeDnsServer(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    return;
  }
  fd_ = fd;
  port_ = ntohs(address.sin_port);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { Serve(); });
}

FakeDnsServer::~FakeDnsServer() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
  if (fd_ >= 0) ::close(fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

std::string FakeDnsServer::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void FakeDnsServer::AddSrv(const std::string& name, uint16_t priority,
                           uint16_t weight, uint16_t port,
                           const std::string& target) {
  std::string rdata;
  PutU16(rdata, priority);
  PutU16(rdata, weight);
  PutU16(rdata, port);
  rdata += EncodeName(target);  // RFC 2782: the target is never compressed.
  Add(name, {kTypeSrv, rdata});
}

void FakeDnsServer::AddA(const std::string& name, const std::string& ipv4) {
  Add(name, {kTypeA, AddressBytes(AF_INET, ipv4)});
}

void FakeDnsServer::AddAaaa(const std::string& name, const std::string& ipv6) {
  Add(name, {kTypeAaaa, AddressBytes(AF_INET6, ipv6)});
}

void FakeDnsServer::Fail(const std::string& name, Failure how) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_[Key(name)] = how;
}

void FakeDnsServer::Add(const std::string& name, Record record) {
  std::lock_guard<std::mutex> lock(mutex_);
  records_[Key(name)].push_back(std::move(record));
}

std::vector<std::string> FakeDnsServer::questions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return questions_;
}

void FakeDnsServer::Serve() {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  while (true) {
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    char buffer[1500];
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    ssize_t received =
        ::recvfrom(fd_, buffer, sizeof buffer, 0,
                   reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (received <= 0) continue;
    const std::string reply =
        Answer(std::string(buffer, static_cast<std::size_t>(received)));
    if (reply.empty() || silent_.load()) continue;
    ::sendto(fd_, reply.data(), reply.size(), 0,
             reinterpret_cast<sockaddr*>(&peer), peer_length);
  }
}

std::string FakeDnsServer::Answer(const std::string& query) {
  auto byte = [&](std::size_t i) { return static_cast<uint8_t>(query[i]); };
  if (query.size() < kHeaderSize) return "";
  const bool is_response = byte(2) & 0x80;
  const uint8_t opcode = (byte(2) >> 3) & 0x0f;
  const uint16_t question_count = static_cast<uint16_t>(byte(4) << 8 | byte(5));
  if (is_response || opcode != 0 || question_count != 1) return "";

  // The question: labels up to the root (no compression pointers in a
  // question we accept), then QTYPE and QCLASS.
  std::string name;
  std::size_t at = kHeaderSize;
  while (true) {
    if (at >= query.size()) return "";
    const uint8_t length = byte(at++);
    if (length == 0) break;
    if ((length & 0xc0) != 0 || at + length > query.size()) return "";
    if (!name.empty()) name.push_back('.');
    name.append(query, at, length);
    at += length;
  }
  if (at + 4 > query.size()) return "";
  const uint16_t type = static_cast<uint16_t>(byte(at) << 8 | byte(at + 1));
  const std::size_t question_end = at + 4;
  name = Key(name);

  std::vector<Record> answers;
  bool name_exists;
  uint8_t rcode = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    questions_.push_back(name + " " + TypeName(type));
    auto it = records_.find(name);
    name_exists = it != records_.end();
    rcode = name_exists ? 0 : kRcodeNxdomain;
    if (auto failure = failures_.find(name); failure != failures_.end()) {
      if (failure->second == Failure::kNoAnswer) return "";
      rcode = failure->second == Failure::kServFail ? kRcodeServFail
                                                    : kRcodeRefused;
      name_exists = false;  // no records with the failure
    }
    if (name_exists) {
      for (const Record& record : it->second) {
        if (record.type == type) answers.push_back(record);
      }
    }
  }

  std::string reply = query.substr(0, 2);  // The query's id.
  // QR, the query's opcode (0), AA, the query's RD; then RA and the rcode.
  reply.push_back(static_cast<char>(0x80 | 0x04 | (byte(2) & 0x01)));
  reply.push_back(static_cast<char>(0x80 | rcode));
  PutU16(reply, 1);                                      // QDCOUNT
  PutU16(reply, static_cast<uint16_t>(answers.size()));  // ANCOUNT
  PutU16(reply, 0);                                      // NSCOUNT
  PutU16(reply, 0);  // ARCOUNT: a query's EDNS OPT is not echoed.
  reply.append(query, kHeaderSize, question_end - kHeaderSize);
  for (const Record& record : answers) {
    PutU16(reply, 0xc000 | kHeaderSize);  // Owner: the question's name.
    PutU16(reply, record.type);
    PutU16(reply, kClassIn);
    PutU32(reply, 60);  // TTL
    PutU16(reply, static_cast<uint16_t>(record.rdata.size()));
    reply += record.rdata;
  }
  return reply;
}

}  // namespace xmppfed::testing
