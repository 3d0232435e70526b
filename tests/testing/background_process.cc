#include "testing/background_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "fmt/format.h"

extern char** environ;

namespace retort::test {

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::filesystem::path& cwd, const Env& env) {
  if (argv.empty()) throw std::invalid_argument("BackgroundProcess: empty argv");
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers = PointersTo(args);
  std::vector<std::string> environment = BuildEnvironment(env);
  std::vector<char*> env_pointers = PointersTo(environment);
  std::string dir = cwd.string();
  std::string out_path = (output_ / "stdout").string();
  std::string err_path = (output_ / "stderr").string();

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid_ == 0) {
    // Child: only async-signal-safe calls from here on.
    int devnull = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (devnull < 0 || out < 0 || err < 0) _exit(126);
    dup2(devnull, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    if (chdir(dir.c_str()) != 0) _exit(126);
    execvpe(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    _exit(127);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void BackgroundProcess::Reap(int status) {
  reaped_ = true;
  status_ = status;
}

void BackgroundProcess::Signal(int signal) {
  if (pid_ > 0 && !reaped_) kill(pid_, signal);
}

bool BackgroundProcess::Running() {
  if (reaped_) return false;
  int status = 0;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    Reap(status);
    return false;
  }
  return true;
}

CliResult BackgroundProcess::Wait(std::chrono::seconds timeout) {
  if (!WaitUntil([this] { return !Running(); }, timeout)) {
    timed_out_ = true;
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    Reap(status);
  }
  CliResult result;
  result.timed_out = timed_out_;
  if (WIFEXITED(status_)) {
    result.exit_code = WEXITSTATUS(status_);
  } else if (WIFSIGNALED(status_)) {
    result.exit_code = 128 + WTERMSIG(status_);
  }
  result.out = ReadFile(output_ / "stdout");
  result.err = ReadFile(output_ / "stderr");
  return result;
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace retort::test
