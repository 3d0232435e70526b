#include "graph/step.h"

#include <fmt/format.h>

namespace retort::graph {

std::string Step::ShortLog() const {
  // Alembic logs the versioned parents only (from/to_revisions_no_deps);
  // dependencies show up in from_revisions/to_revisions but not in the text.
  std::vector<std::string> from;
  std::vector<std::string> to;
  std::string name;
  if (kind == Kind::kStamp) {
    name = "stamp_revision";
    from = from_revisions;
    to = to_revisions;
  } else {
    name = is_upgrade ? "upgrade" : "downgrade";
    if (is_upgrade) {
      from = revision->down_revisions;
      to = {revision->id};
    } else {
      from = {revision->id};
      to = revision->down_revisions;
    }
  }
  return fmt::format("{} {} -> {}", name, fmt::join(from, ", "), fmt::join(to, ", "));
}

std::string Step::Describe() const {
  std::string text = ShortLog();
  if (kind == Kind::kMigration && !revision->doc.empty()) text += ", " + revision->doc;
  return text;
}

}  // namespace retort::graph
