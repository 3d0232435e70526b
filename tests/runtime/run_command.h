#ifndef RETORT_TESTS_RUNTIME_RUN_COMMAND_H_
#define RETORT_TESTS_RUNTIME_RUN_COMMAND_H_

// One command's worth of wiring, as the commands layer does it: a config
// for the project (its SQLite file, or `url`), its script directory and a
// MigrationContext, with the progress lines and any --sql text captured.

#include <chrono>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "graph/plan.h"
#include "retort/config.h"
#include "retort/error.h"
#include "runtime/migration_context.h"
#include "script/script_directory.h"
#include "testing/temp_project.h"

namespace retort::runtime {

class RunCommand {
 public:
  using Strings = std::vector<std::string>;

  // `url` empty: the project's SQLite file. `wait`: as --wait.
  explicit RunCommand(const test::TempProject& project, RunOptions options = {},
                      const std::string& url = "",
                      std::chrono::milliseconds wait = std::chrono::milliseconds(0))
      : config_(Load(project, url, wait)), scripts_(script::ScriptDirectory::Load(config_)) {
    // The progress lines, one per revision; the run's opening 'Running on
    // <db>' line is the CLI tests' business (tests/cli/seed_workflow_edge_test.cc).
    options.log = [this](const std::string& line) {
      if (line.rfind("Running on ", 0) != 0) log_.push_back(line);
    };
    if (options.sql_out == nullptr) options.sql_out = &sql_;
    context_ = std::make_unique<MigrationContext>(config_, scripts_, std::move(options));
  }
  RunCommand(const RunCommand&) = delete;
  RunCommand& operator=(const RunCommand&) = delete;

  std::vector<AppliedStep> Upgrade(const std::string& destination) {
    return context_->Run([&](const Strings& heads) {
      return graph::PlanUpgrade(scripts_.map(), destination, heads);
    });
  }
  std::vector<AppliedStep> Downgrade(const std::string& destination) {
    return context_->Run([&](const Strings& heads) {
      return graph::PlanDowngrade(scripts_.map(), destination, heads);
    });
  }
  std::vector<AppliedStep> Stamp(const std::string& destination) {
    return context_->Run([&](const Strings& heads) {
      return graph::PlanStamp(scripts_.map(), {destination}, heads, false);
    });
  }

  MigrationContext& context() { return *context_; }
  const script::ScriptDirectory& scripts() const { return scripts_; }
  const Strings& log() const { return log_; }
  std::string sql() const { return sql_.str(); }

 private:
  static Config Load(const test::TempProject& project, const std::string& url,
                     std::chrono::milliseconds wait) {
    ConfigSource source;
    source.file = project.config_path();
    source.url = url.empty() ? "sqlite:///" + project.db().string() : url;
    source.connect_wait = wait;
    return Config::Load(source);
  }

  Config config_;
  script::ScriptDirectory scripts_;
  Strings log_;
  std::ostringstream sql_;
  std::unique_ptr<MigrationContext> context_;
};

// The message of the retort::Error `action` throws, or "(no error)".
inline std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace retort::runtime

#endif  // RETORT_TESTS_RUNTIME_RUN_COMMAND_H_
