// repair: accept, after review, the current text of applied revisions whose
// files changed (docs/integrity.md).
#include <string>
#include <vector>

#include "commands/environment.h"
#include "retort/commands.h"

namespace retort {

void Repair(const Config& config, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  runtime::MigrationContext context(config, scripts, runtime::RunOptions{});
  std::vector<std::string> lines = context.Repair();
  if (lines.empty()) {
    out.print("Nothing to repair: every applied revision matches its recorded checksum.");
    return;
  }
  for (const std::string& line : lines) out.print(line);
}

}  // namespace retort
