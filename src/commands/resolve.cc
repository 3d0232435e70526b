// resolve: settle a revision that a failed run left half-applied on MySQL
// or MariaDB, after a person finished or undid it by hand (docs/mysql.md).
#include <string>

#include "commands/environment.h"
#include "retort/commands.h"

namespace retort {

void Resolve(const Config& config, const std::string& revision, bool applied, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  runtime::MigrationContext context(config, scripts, runtime::RunOptions{});
  out.print(context.Resolve(revision, applied));
}

}  // namespace retort
