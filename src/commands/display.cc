#include "commands/display.h"

#include <fmt/format.h>

#include <sstream>

namespace retort::commands {

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Comma(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

std::string Parents(const RevisionInfo& revision) {
  if (revision.parents.empty()) return "<base>";
  return Comma(revision.parents);
}

}  // namespace

std::string RevisionLine(const RevisionInfo& revision, const LineFormat& format) {
  std::string text = revision.id;
  if (format.include_parents) {
    if (!revision.depends_on.empty()) {
      text = fmt::format("{} ({}) -> {}", Parents(revision), Comma(revision.depends_on), text);
    } else {
      text = fmt::format("{} -> {}", Parents(revision), text);
    }
  }
  if (format.include_branches && !revision.branch_labels.empty()) {
    text += fmt::format(" ({})", Comma(revision.branch_labels));
  }
  if (revision.is_head && !revision.is_effective_head) text += " (head)";
  if (revision.is_effective_head) text += " (effective head)";
  if (format.mark_current && revision.is_current) text += " (current)";
  if (format.tree_indicators) {
    if (revision.is_branch_point) text += " (branchpoint)";
    if (revision.is_merge) text += " (mergepoint)";
  }
  if (format.include_doc) text += ", " + revision.message;
  return text;
}

std::vector<std::string> RevisionEntry(const RevisionInfo& revision, bool mark_current) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("Rev: {}{}{}{}{}", revision.id, revision.is_head ? " (head)" : "",
                              revision.is_branch_point ? " (branchpoint)" : "",
                              revision.is_merge ? " (mergepoint)" : "",
                              mark_current && revision.is_current ? " (current)" : ""));
  lines.push_back(
      fmt::format("{}: {}", revision.is_merge ? "Merges" : "Parent", Parents(revision)));
  if (!revision.depends_on.empty())
    lines.push_back("Also depends on: " + Comma(revision.depends_on));
  if (revision.is_branch_point) lines.push_back("Branches into: " + Comma(revision.children));
  if (!revision.branch_labels.empty()) {
    lines.push_back("Branch names: " + Comma(revision.branch_labels));
  }
  lines.push_back("Path: " + revision.path);
  lines.emplace_back();
  for (const std::string& paragraph : Lines(revision.header)) lines.push_back("    " + paragraph);
  lines.emplace_back();
  return lines;
}

std::vector<std::string> FormatRevision(const RevisionInfo& revision, bool verbose,
                                        const LineFormat& format) {
  if (verbose) return RevisionEntry(revision, format.mark_current);
  return {RevisionLine(revision, format)};
}

}  // namespace retort::commands
