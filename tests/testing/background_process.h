#ifndef RETORT_TESTING_BACKGROUND_PROCESS_H_
#define RETORT_TESTING_BACKGROUND_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "testing/cli_runner.h"
#include "testing/temp_dir.h"

namespace retort::test {

// A program started in the background (fork/exec, stdin from /dev/null,
// stdout and stderr to files), so a test can act on the database or send
// the process a signal while it runs. The environment is built as
// RunProcess builds it (DATABASE_URL, RETORT_CONFIG, EDITOR, VISUAL removed
// first, then `env` applied). The destructor kills (SIGKILL) and reaps a
// process still running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                    const Env& env = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sends `signal` to the process (no-op once it has been waited for).
  void Signal(int signal);
  // True while the process has not exited (reaps it when it has).
  bool Running();
  // Waits for the process (killing it with SIGKILL after `timeout`) and
  // returns what it printed and its exit status, as RunProcess reports it.
  CliResult Wait(std::chrono::seconds timeout = std::chrono::seconds(60));

 private:
  void Reap(int status);

  TempDir output_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  bool timed_out_ = false;
};

#ifdef RETORT_BINARY
// `retort args...` started in the background (see BackgroundProcess).
inline std::vector<std::string> RetortArgv(const std::vector<std::string>& args) {
  std::vector<std::string> argv{RetortBinary(RETORT_BINARY)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}
#endif  // RETORT_BINARY

// Polls `condition` every 50 ms until it returns true (returns true) or
// `timeout` passes (returns false).
bool WaitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace retort::test

#endif  // RETORT_TESTING_BACKGROUND_PROCESS_H_
