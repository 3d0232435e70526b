#ifndef RETORT_COMMANDS_DISPLAY_H_
#define RETORT_COMMANDS_DISPLAY_H_

#include <set>
#include <string>
#include <vector>

#include "graph/revision_map.h"
#include "script/script_directory.h"

namespace retort::commands {

// Which parts of a one-line revision description to show (Alembic's
// Script.cmd_format / _head_only flags).
struct LineFormat {
  bool include_branches = false;
  bool include_doc = false;
  bool include_parents = false;
  bool tree_indicators = true;
};

// Formats revisions the way Alembic's commands print them, so scripts that
// parse `alembic history` or `alembic heads` keep working.
class RevisionFormatter {
 public:
  explicit RevisionFormatter(const script::ScriptDirectory& scripts);

  // Revisions marked "(current)" (history -i).
  void MarkCurrent(const std::vector<std::string>& ids);

  // "a1 -> b2 (label) (head), message"
  std::string Line(const graph::Revision& revision, const LineFormat& format) const;
  // The multi-line "Rev: ..." block of `show` and `-v` listings, one string
  // per line, ending with an empty line.
  std::vector<std::string> Entry(const graph::Revision& revision) const;
  // Verbose: Entry(); otherwise Line().
  std::vector<std::string> Format(const graph::Revision& revision, bool verbose,
                                  const LineFormat& format) const;

 private:
  std::string DownRevisions(const graph::Revision& revision) const;

  const script::ScriptDirectory& scripts_;
  std::set<std::string> current_;
};

}  // namespace retort::commands

#endif  // RETORT_COMMANDS_DISPLAY_H_
