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

}  // namespace

RevisionFormatter::RevisionFormatter(const script::ScriptDirectory& scripts) : scripts_(scripts) {}

void RevisionFormatter::MarkCurrent(const std::vector<std::string>& ids) {
  current_.insert(ids.begin(), ids.end());
}

std::string RevisionFormatter::DownRevisions(const graph::Revision& revision) const {
  if (revision.down_revisions.empty()) return "<base>";
  return Comma(revision.down_revisions);
}

std::string RevisionFormatter::Line(const graph::Revision& revision,
                                    const LineFormat& format) const {
  const graph::RevisionInfo& info = scripts_.map().Info(revision);
  std::string text = revision.id;
  if (format.include_parents) {
    if (!revision.dependencies.empty()) {
      text =
          fmt::format("{} ({}) -> {}", DownRevisions(revision), Comma(revision.dependencies), text);
    } else {
      text = fmt::format("{} -> {}", DownRevisions(revision), text);
    }
  }
  if (format.include_branches && !info.all_branch_labels.empty()) {
    text += fmt::format(" ({})", Comma(info.all_branch_labels));
  }
  bool real_head = info.is_real_head;
  if (real_head) text += " (head)";
  if (info.is_head && !real_head) text += " (effective head)";
  if (current_.contains(revision.id)) text += " (current)";
  if (format.tree_indicators) {
    if (info.is_branch_point) text += " (branchpoint)";
    if (info.is_merge_point) text += " (mergepoint)";
  }
  if (format.include_doc) text += ", " + revision.doc;
  return text;
}

std::vector<std::string> RevisionFormatter::Entry(const graph::Revision& revision) const {
  const graph::RevisionInfo& info = scripts_.map().Info(revision);
  std::vector<std::string> lines;
  lines.push_back(fmt::format("Rev: {}{}{}{}{}", revision.id, info.is_head ? " (head)" : "",
                              info.is_branch_point ? " (branchpoint)" : "",
                              info.is_merge_point ? " (mergepoint)" : "",
                              current_.contains(revision.id) ? " (current)" : ""));
  lines.push_back(
      fmt::format("{}: {}", info.is_merge_point ? "Merges" : "Parent", DownRevisions(revision)));
  if (!revision.dependencies.empty()) {
    lines.push_back("Also depends on: " + Comma(revision.dependencies));
  }
  if (info.is_branch_point) lines.push_back("Branches into: " + Comma(info.next_revisions));
  if (!info.all_branch_labels.empty()) {
    lines.push_back("Branch names: " + Comma(info.all_branch_labels));
  }
  lines.push_back("Path: " + scripts_.Get(revision).path.string());
  lines.emplace_back();
  for (const std::string& paragraph : Lines(scripts_.Get(revision).header_text)) {
    lines.push_back("    " + paragraph);
  }
  lines.emplace_back();
  return lines;
}

std::vector<std::string> RevisionFormatter::Format(const graph::Revision& revision, bool verbose,
                                                   const LineFormat& format) const {
  if (verbose) return Entry(revision);
  return {Line(revision, format)};
}

}  // namespace retort::commands
