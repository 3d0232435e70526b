#include "testing/cli_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "fmt/format.h"

extern char** environ;

namespace retort::test {
namespace {

// Variables that would change what retort does; never inherited.
constexpr const char* kScrubbed[] = {"DATABASE_URL", "RETORT_CONFIG", "EDITOR", "VISUAL"};

}  // namespace

std::vector<std::string> BuildEnvironment(const Env& overrides) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string::npos) continue;
    vars[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const char* name : kScrubbed) vars.erase(name);
  for (const auto& [name, value] : overrides) {
    if (value.has_value()) {
      vars[name] = *value;
    } else {
      vars.erase(name);
    }
  }
  std::vector<std::string> result;
  for (const auto& [name, value] : vars) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> PointersTo(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> CliResult::OutLines() const { return SplitLines(out); }
std::vector<std::string> CliResult::ErrLines() const { return SplitLines(err); }

std::string CliResult::Describe() const {
  return fmt::format("exit code {}{}\n--- stdout ---\n{}--- stderr ---\n{}--- end ---", exit_code,
                     timed_out ? " (timed out)" : "", out, err);
}

std::string RetortBinary(const char* compiled_in) {
  const char* override_path = std::getenv("RETORT_BINARY_OVERRIDE");
  if (override_path != nullptr && *override_path != '\0') return override_path;
  return compiled_in;
}

CliResult RunProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                     const Env& env, int timeout_seconds) {
  if (argv.empty()) throw std::invalid_argument("RunProcess: empty argv");
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers = PointersTo(args);
  std::vector<std::string> environment = BuildEnvironment(env);
  std::vector<char*> env_pointers = PointersTo(environment);
  std::string dir = cwd.string();

  // O_CLOEXEC: a child started concurrently on another thread must not
  // inherit these pipes, or our reader would never see end-of-file.
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error(fmt::format("pipe2: {}", std::strerror(errno)));
  }
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    if (chdir(dir.c_str()) != 0) _exit(126);
    execvpe(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    const char msg[] = "RunProcess: exec failed\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)ignored;
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  CliResult result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[8192];
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

std::vector<CliResult> RunConcurrently(int count, const std::vector<std::string>& argv,
                                       const std::filesystem::path& cwd, const Env& env,
                                       int timeout_seconds) {
  std::vector<CliResult> results(count);
  std::mutex mutex;
  std::condition_variable go;
  int waiting = 0;
  bool released = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      {
        // Every thread parks here until all exist, so the processes start
        // as close together as the scheduler allows.
        std::unique_lock<std::mutex> lock(mutex);
        ++waiting;
        go.notify_all();
        go.wait(lock, [&] { return released; });
      }
      results[i] = RunProcess(argv, cwd, env, timeout_seconds);
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    go.wait(lock, [&] { return waiting == count; });
    released = true;
  }
  go.notify_all();
  for (std::thread& t : threads) t.join();
  return results;
}

}  // namespace retort::test
