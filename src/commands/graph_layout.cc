#include "commands/graph_layout.h"

#include <fmt/format.h>

#include <algorithm>

namespace retort::commands {

namespace {

// A row of the drawing under construction: characters at column positions
// (column k sits at 2k), trailing blanks trimmed when rendered.
class Row {
 public:
  void Put(size_t position, char c) {
    if (text_.size() <= position) text_.resize(position + 1, ' ');
    text_[position] = c;
  }
  std::string Text() const {
    std::string text = text_;
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  }

 private:
  std::string text_;
};

// Columns hold the id each line is waiting for; an empty id is a gap kept
// open for an octopus merge's extra parents.
using Columns = std::vector<std::string>;

void PutLines(Row& row, const Columns& columns, size_t from, size_t to) {
  for (size_t k = from; k < to && k < columns.size(); ++k) {
    if (!columns[k].empty()) row.Put(2 * k, '|');
  }
}

}  // namespace

std::vector<std::string> DrawGraph(
    const graph::RevisionMap& /*map*/, const std::vector<const graph::Revision*>& newest_first,
    const std::function<std::string(const graph::Revision&)>& label) {
  std::set<std::string> shown;
  for (const graph::Revision* revision : newest_first) shown.insert(revision->id);

  std::vector<std::string> lines;
  Columns columns;
  for (const graph::Revision* revision : newest_first) {
    const std::string& id = revision->id;
    // Several children wait for this revision (a branch point): fold their
    // lines into the leftmost one, rightmost first, one line each.
    std::vector<size_t> waiting;
    for (size_t k = 0; k < columns.size(); ++k) {
      if (columns[k] == id) waiting.push_back(k);
    }
    while (waiting.size() > 1) {
      size_t c = waiting.front(), j = waiting.back();
      Row row;
      PutLines(row, columns, 0, j);
      for (size_t k = c + 1; k < j; ++k) row.Put(2 * k - 1, '_');
      row.Put(2 * j - 1, '/');
      for (size_t k = j + 1; k < columns.size(); ++k) row.Put(2 * k - 1, '/');
      lines.push_back(row.Text());
      columns.erase(columns.begin() + static_cast<long>(j));
      waiting.pop_back();
    }
    if (waiting.empty()) {
      columns.push_back(id);  // a head: a new line on the right
      waiting.push_back(columns.size() - 1);
    }
    const size_t c = waiting.front();

    std::vector<std::string> parents;
    for (const std::string& parent : revision->down_revisions) {
      if (shown.contains(parent)) parents.push_back(parent);
    }
    const size_t extra = parents.empty() ? 0 : parents.size() - 1;
    // An octopus merge (3+ parents) draws "*-." across the columns on its
    // right; shift those right first, one column per line.
    for (size_t shift = 1; shift < extra && c + 1 < columns.size(); ++shift) {
      Row row;
      PutLines(row, columns, 0, c + 1);
      for (size_t k = c + 1; k < columns.size(); ++k) {
        if (!columns[k].empty()) row.Put(2 * k + 1, '\\');
      }
      lines.push_back(row.Text());
      columns.insert(columns.begin() + static_cast<long>(c) + 1, "");
    }

    Row node;
    PutLines(node, columns, 0, columns.size());
    node.Put(2 * c, '*');
    for (size_t e = 1; e < extra; ++e) {
      node.Put(2 * c + 2 * e - 1, '-');
      node.Put(2 * c + 2 * e, '.');
    }
    lines.push_back(node.Text() + " " + label(*revision));

    if (parents.empty()) {
      // A root: its line ends; lines on the right move left.
      if (c + 1 < columns.size()) {
        Row row;
        PutLines(row, columns, 0, c);
        for (size_t k = c + 1; k < columns.size(); ++k) {
          if (!columns[k].empty()) row.Put(2 * k - 1, '/');
        }
        lines.push_back(row.Text());
      }
      columns.erase(columns.begin() + static_cast<long>(c));
      continue;
    }
    columns[c] = parents.front();
    if (extra == 0) continue;
    // A merge: one new line per further parent, opened with '\'.
    size_t gaps = 0;
    while (c + 1 + gaps < columns.size() && columns[c + 1 + gaps].empty()) ++gaps;
    columns.erase(columns.begin() + static_cast<long>(c) + 1,
                  columns.begin() + static_cast<long>(c + 1 + gaps));
    Row row;
    PutLines(row, columns, 0, c + 1);
    for (size_t e = 0; e < extra; ++e) row.Put(2 * c + 2 * e + 1, '\\');
    for (size_t k = c + 1; k < columns.size(); ++k) {
      if (!columns[k].empty()) row.Put(2 * (k + gaps) + 1, '\\');
    }
    lines.push_back(row.Text());
    columns.insert(columns.begin() + static_cast<long>(c) + 1, parents.begin() + 1, parents.end());
  }
  return lines;
}

namespace {

std::string DotQuote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<std::string> DotGraph(const graph::RevisionMap& map,
                                  const std::vector<const graph::Revision*>& newest_first,
                                  const std::set<std::string>& current) {
  std::set<std::string> shown;
  for (const graph::Revision* revision : newest_first) shown.insert(revision->id);
  std::vector<std::string> lines{"digraph retort {", "  rankdir=BT;",
                                 "  node [shape=box, fontname=\"monospace\"];"};
  // Oldest first, so the file reads in upgrade order.
  std::vector<const graph::Revision*> ordered(newest_first.rbegin(), newest_first.rend());
  std::vector<graph::RevisionInfo> infos;  // Info computes; once per revision
  infos.reserve(ordered.size());
  for (const graph::Revision* revision : ordered) {
    const graph::RevisionInfo& info = infos.emplace_back(map.Info(*revision));
    std::string label = revision->id;
    if (!info.all_branch_labels.empty()) {
      label += fmt::format(" ({})", fmt::join(info.all_branch_labels, ", "));
    }
    if (info.is_head) label += " (head)";
    if (current.contains(revision->id)) label += " (current)";
    if (!revision->doc.empty()) label += "\n" + revision->doc;
    std::string attributes = "label=" + DotQuote(label);
    bool is_current = current.contains(revision->id);
    if (info.is_head && is_current) {
      attributes += ", style=\"bold,filled\", penwidth=2, fillcolor=lightblue";
    } else if (info.is_head) {
      attributes += ", style=bold, penwidth=2";
    } else if (is_current) {
      attributes += ", style=filled, fillcolor=lightblue";
    }
    lines.push_back(fmt::format("  {} [{}];", DotQuote(revision->id), attributes));
  }
  for (size_t i = 0; i < ordered.size(); ++i) {
    const graph::Revision* revision = ordered[i];
    for (const std::string& parent : revision->down_revisions) {
      if (shown.contains(parent)) {
        lines.push_back(fmt::format("  {} -> {};", DotQuote(parent), DotQuote(revision->id)));
      }
    }
    for (const std::string& dependency : infos[i].resolved_dependencies) {
      if (shown.contains(dependency)) {
        lines.push_back(fmt::format("  {} -> {} [style=dashed];", DotQuote(dependency),
                                    DotQuote(revision->id)));
      }
    }
  }
  lines.push_back("}");
  return lines;
}

}  // namespace retort::commands
