#ifndef RETORT_COMMANDS_DISPLAY_H_
#define RETORT_COMMANDS_DISPLAY_H_

#include <string>
#include <vector>

#include "retort/results.h"

namespace retort::commands {

// Which parts of a one-line revision description to show (Alembic's
// Script.cmd_format / _head_only flags).
struct LineFormat {
  bool include_branches = false;
  bool include_doc = false;
  bool include_parents = false;
  bool tree_indicators = true;
  // "(current)" after revisions whose is_current is set (history -i).
  bool mark_current = false;
};

// The text Alembic's commands print for a revision, from the values the
// operations return (retort/results.h), so scripts that parse
// `alembic history` or `alembic heads` keep working.
//
// "a1 -> b2 (label) (head), message"
std::string RevisionLine(const RevisionInfo& revision, const LineFormat& format);
// The multi-line "Rev: ..." block of `show` and `-v` listings, one string
// per line, ending with an empty line.
std::vector<std::string> RevisionEntry(const RevisionInfo& revision, bool mark_current);
// Verbose: RevisionEntry(); otherwise RevisionLine().
std::vector<std::string> FormatRevision(const RevisionInfo& revision, bool verbose,
                                        const LineFormat& format);

}  // namespace retort::commands

#endif  // RETORT_COMMANDS_DISPLAY_H_
