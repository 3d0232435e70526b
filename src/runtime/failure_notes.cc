#include "runtime/failure_notes.h"

#include <fmt/format.h>

#include "runtime/display_path.h"
#include "util/strings.h"
#include "util/wording.h"

namespace retort::runtime {

std::string StatementHint(const script::Script& script, std::string_view message,
                          bool nothing_recorded, bool is_upgrade,
                          const std::string& version_table) {
  if (script.transactional &&
      (message.find("cannot run inside a transaction block") != std::string_view::npos ||
       message.find("cannot VACUUM from within a transaction") != std::string_view::npos)) {
    return fmt::format(
        "; add 'Transactional: no' to the header of {} to run it outside a transaction",
        DisplayPath(script.path));
  }
  if (nothing_recorded && is_upgrade && message.find("already exists") != std::string_view::npos) {
    return fmt::format(
        "; the database has no revision recorded in {} but already has this schema: if it is at a "
        "known revision, adopt it with `retort stamp <revision>`, then upgrade",
        version_table);
  }
  return {};
}

std::string RollbackNote(const std::vector<std::string>& committed,
                         const std::vector<std::string>& rolled_back) {
  if (committed.empty()) {
    if (rolled_back.empty()) return {};
    return fmt::format("; rolled back {}: the database is as it was before this run",
                       util::FewOf(rolled_back));
  }
  std::string note = fmt::format("; {} stayed applied (committed)", util::FewOf(committed));
  if (!rolled_back.empty()) note += fmt::format(", rolled back {}", util::FewOf(rolled_back));
  return note;
}

}  // namespace retort::runtime
