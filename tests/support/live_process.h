// A program the test talks to while it runs: its stdin a pipe the test
// writes to when it likes, its stdout and stderr collected by a thread, so
// a test can see output arrive before the input has ended (streaming).
#ifndef XMPPFED_TESTS_SUPPORT_LIVE_PROCESS_H_
#define XMPPFED_TESTS_SUPPORT_LIVE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/subprocess.h"

namespace xmppfed::testing {

class LiveProcess {
 public:
  // Starts `program`; see error() when it could not be.
  LiveProcess(const std::string& program, const std::vector<std::string>& args,
              const RunOptions& options = {});
  // Kills the program if it still runs.
  ~LiveProcess();
  LiveProcess(const LiveProcess&) = delete;
  LiveProcess& operator=(const LiveProcess&) = delete;

  bool started() const { return pid_ > 0; }
  const std::string& error() const { return error_; }

  // Writes to its stdin; false once it stopped reading.
  bool Write(const std::string& text);
  void CloseStdin();

  // Waits until its stdout holds `text`; false after `timeout`.
  bool WaitForOutput(const std::string& text,
                     std::chrono::milliseconds timeout);

  // Closes stdin and waits for the end (SIGKILL after `timeout`).
  ExitStatus Finish(std::chrono::milliseconds timeout);

  std::string out();
  std::string err();

 private:
  void Collect();

  pid_t pid_ = -1;
  ChildPipes pipes_;
  std::string error_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string out_;
  std::string err_;
  bool output_ended_ = false;
  std::thread collector_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_LIVE_PROCESS_H_
