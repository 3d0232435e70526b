#ifndef RETORT_TESTS_GRAPH_GRAPH_FIXTURE_H_
#define RETORT_TESTS_GRAPH_GRAPH_FIXTURE_H_

// Shared by the graph tests: graphs written one revision a line, and one
// command run to the text a user would see (steps as Alembic logs them, the
// version-table changes of each step, the rows left), or the error line.

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "graph/errors.h"
#include "graph/head_maintainer.h"
#include "graph/plan.h"
#include "graph/revision_map.h"

// Helpers:
// Lines "id revises depends_on labels", lists comma-separated, "-" for none,
// e.g. "b2 b1 a3 mylabel". Doc of each revision is "doc <id>" when
// `with_docs`, empty otherwise.
// Runs one command against `map`:
//   "up DEST ROWS"  "down DEST ROWS"  "stamp DEST[,DEST] ROWS|purge"
//   "hist LOWER UPPER ROWS"
// ROWS are the version rows before (comma-separated, "-" for none). Returns
// each step's Describe() followed by "   " and its version changes, then
// "   rows: ..." (sorted); or "ERROR: <what()>"; for hist, the ids newest
// first.

namespace retort::graph::testing {

namespace internal {

inline std::vector<std::string> Words(const std::string& line) {
  std::stringstream stream(line);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

inline std::vector<std::string> List(const std::string& text) {
  std::vector<std::string> out;
  if (text == "-") return out;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) out.push_back(item);
  return out;
}

inline std::string ChangeText(const VersionChange& change) {
  switch (change.kind) {
    case VersionChange::Kind::kInsert:
      return "insert " + change.to;
    case VersionChange::Kind::kDelete:
      return "delete " + change.from;
    case VersionChange::Kind::kUpdate:
      return "update " + change.from + " " + change.to;
  }
  return {};
}

}  // namespace internal

inline std::vector<Revision> ParseGraph(const std::string& text, bool with_docs = false) {
  std::vector<Revision> revisions;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    auto words = internal::Words(line);
    if (words.empty()) continue;
    words.resize(4, "-");
    revisions.push_back({words[0], internal::List(words[1]), internal::List(words[2]),
                         internal::List(words[3]), with_docs ? "doc " + words[0] : ""});
  }
  return revisions;
}

inline std::string Run(const RevisionMap& map, const std::string& command) {
  auto words = internal::Words(command);
  std::string out;
  try {
    if (words.at(0) == "hist") {
      std::vector<std::string> ids;
      for (const Revision* rev :
           map.History(words.at(1), words.at(2), internal::List(words.at(3)))) {
        ids.push_back(rev->id);
      }
      return fmt::format("{}", fmt::join(ids, " "));
    }
    bool purge = words.back() == "purge";
    std::vector<std::string> rows =
        purge ? std::vector<std::string>{} : internal::List(words.at(2));
    std::vector<Step> steps;
    if (words[0] == "up") {
      steps = PlanUpgrade(map, words.at(1), rows);
    } else if (words[0] == "down") {
      steps = PlanDowngrade(map, words.at(1), rows);
    } else if (words[0] == "stamp") {
      steps = PlanStamp(map, internal::List(words.at(1)), rows, purge);
    } else {
      return "bad command " + command;
    }
    HeadMaintainer maintainer(map, rows);
    for (const Step& step : steps) {
      out += step.Describe() + "\n";
      std::vector<std::string> changes;
      for (const auto& change : maintainer.Apply(step))
        changes.push_back(internal::ChangeText(change));
      out += fmt::format("   {}\n", fmt::join(changes, "; "));
    }
    std::vector<std::string> after = maintainer.heads();
    std::sort(after.begin(), after.end());
    return out + fmt::format("   rows: {}", fmt::join(after, ","));
  } catch (const Error& e) {
    return out + "ERROR: " + e.what();
  }
}

}  // namespace retort::graph::testing

#endif  // RETORT_TESTS_GRAPH_GRAPH_FIXTURE_H_
