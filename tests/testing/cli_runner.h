#ifndef RETORT_TESTING_CLI_RUNNER_H_
#define RETORT_TESTING_CLI_RUNNER_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retort::test {

// What one run of the retort binary produced.
struct CliResult {
  int exit_code = -1;  // the process's exit status; 128+N when killed by signal N
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
  bool timed_out = false;

  // stdout / stderr split into lines, without the trailing empty line.
  std::vector<std::string> OutLines() const;
  std::vector<std::string> ErrLines() const;
  // A printable summary for assertion messages.
  std::string Describe() const;
};

// Environment overrides for a run. A value of std::nullopt removes the
// variable. DATABASE_URL, RETORT_CONFIG and EDITOR are always removed first, so
// the developer's own environment never leaks into a test; set them here.
using Env = std::map<std::string, std::optional<std::string>>;

// For launching processes (cli_runner, background_process): the child's
// environment (ours minus DATABASE_URL, RETORT_CONFIG, EDITOR, VISUAL, plus
// `overrides`), built before fork() since allocating after fork in a
// multi-threaded process is unsafe; and the NULL-terminated pointer array
// execve() wants over such strings.
std::vector<std::string> BuildEnvironment(const Env& overrides);
std::vector<char*> PointersTo(std::vector<std::string>& strings);

// Runs a program (argv[0]: a path, or a name looked up in PATH) in the
// folder `cwd` via fork/exec, stdin from /dev/null, and waits for it. A run
// that takes longer than `timeout_seconds` is killed and reported with
// timed_out = true.
CliResult RunProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                     const Env& env = {}, int timeout_seconds = 60);

// Starts `count` copies of `argv` at the same moment (each on its own
// thread, released together) and returns their results in start order.
std::vector<CliResult> RunConcurrently(int count, const std::vector<std::string>& argv,
                                       const std::filesystem::path& cwd, const Env& env = {},
                                       int timeout_seconds = 120);

// Path of the binary under test: $RETORT_BINARY_OVERRIDE if set, else the
// RETORT_BINARY the test executable was compiled with.
std::string RetortBinary(const char* compiled_in);

#ifdef RETORT_BINARY
// `retort args...` run as a user runs it (see RunProcess). The binary path
// comes from the test executable's RETORT_BINARY compile definition, which
// is why this is inline in the header.
inline CliResult RunRetort(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                           const Env& env = {}, int timeout_seconds = 60) {
  std::vector<std::string> argv{RetortBinary(RETORT_BINARY)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, cwd, env, timeout_seconds);
}

inline std::vector<CliResult> RunRetortConcurrently(int count, const std::vector<std::string>& args,
                                                    const std::filesystem::path& cwd,
                                                    const Env& env = {},
                                                    int timeout_seconds = 120) {
  std::vector<std::string> argv{RetortBinary(RETORT_BINARY)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunConcurrently(count, argv, cwd, env, timeout_seconds);
}
#endif  // RETORT_BINARY

// Lines of `text` (split on '\n', a trailing '\r' dropped, no final empty line).
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace retort::test

#endif  // RETORT_TESTING_CLI_RUNNER_H_
