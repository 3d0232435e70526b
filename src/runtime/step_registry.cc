// The application's C++ steps and retort::Connect (retort/step.h).
#include <fmt/format.h>

#include <memory>
#include <utility>

#include "retort/database_url.h"
#include "retort/error.h"
#include "retort/step.h"
#include "runtime/step_connection.h"

namespace retort {
namespace {

// The names a `-- Step:` header accepts (script/revision_file.cc).
bool IsStepName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void StepRegistry::Register(const std::string& name, StepFunction upgrade, StepFunction downgrade) {
  if (!IsStepName(name)) {
    throw UsageError(fmt::format("Bad step name '{}' (names are [A-Za-z0-9_.-]+)", name));
  }
  if (!upgrade) throw UsageError(fmt::format("Step '{}' has no upgrade function", name));
  auto [it, inserted] =
      steps_.emplace(name, StepFunctions{std::move(upgrade), std::move(downgrade)});
  if (!inserted) throw UsageError(fmt::format("Step '{}' is registered twice", name));
}

const StepFunctions* StepRegistry::Find(std::string_view name) const {
  auto it = steps_.find(name);
  return it == steps_.end() ? nullptr : &it->second;
}

std::vector<std::string> StepRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(steps_.size());
  for (const auto& [name, functions] : steps_) names.push_back(name);
  return names;
}

std::unique_ptr<Connection> Connect(const std::string& url) {
  return std::make_unique<runtime::StepConnection>(driver::Connect(DatabaseUrl::Parse(url)));
}

}  // namespace retort
