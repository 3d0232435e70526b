#include "runtime/integrity.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "runtime/display_path.h"
#include "util/checksum.h"
#include "util/parallel.h"

namespace retort::runtime {
namespace {

// Below this many applied revisions, hashing on this thread is as quick
// (the same measurement as kParallelFiles in script_directory.cc).
constexpr std::size_t kParallelChecksums = 2048;

// 12 hex digits tell two checksums apart for a reader, as git's short ids.
std::string Short(const std::string& checksum) { return checksum.substr(0, 12); }

}  // namespace

std::string IntegrityProblem::Message() const {
  switch (kind) {
    case Kind::kChanged:
      return fmt::format(
          "Revision file {} ({}) changed after it was applied: recorded checksum {}, file {}; "
          "review the change, then run `retort repair`",
          DisplayPath(file), revision, Short(recorded), Short(current));
    case Kind::kMalformedChecksum:
      return fmt::format(
          "History table has a malformed checksum '{}' for revision {} ({}), expected 64 hex "
          "digits; review the file, then run `retort repair`",
          recorded, revision, DisplayPath(file));
    case Kind::kNoFile:
      // A version row keeps Alembic's words for an unknown revision first.
      if (is_version_row) {
        return fmt::format(
            "Can't locate revision identified by '{0}': applied revision {0} has no file "
            "(deleted?)",
            revision);
      }
      return fmt::format("Applied revision {} has no file (deleted?)", revision);
  }
  return {};
}

std::string ChecksumOf(const script::Script& script) {
  return util::SqlChecksum(script.upgrade.sql, script.downgrade.sql);
}

std::vector<IntegrityProblem> FindIntegrityProblems(const script::ScriptDirectory& scripts,
                                                    const std::vector<std::string>& version_rows,
                                                    const std::vector<HistoryRow>& history_rows) {
  const graph::RevisionMap& map = scripts.map();
  auto applied = [&](const std::string& id) {
    return std::any_of(version_rows.begin(), version_rows.end(),
                       [&](const std::string& row) { return map.IsAncestor(id, row); });
  };
  // The checksums of the applied revisions' files first, spread over the
  // cores: normalising and hashing every file is most of this check on a
  // large project, and each is independent.
  std::vector<const script::Script*> to_check(history_rows.size(), nullptr);
  for (std::size_t i = 0; i < history_rows.size(); ++i) {
    const graph::Revision* revision = map.Find(history_rows[i].revision);
    if (revision != nullptr && applied(revision->id)) to_check[i] = &scripts.Get(*revision);
  }
  std::vector<std::string> checksums(history_rows.size());
  util::ParallelFor(history_rows.size(), kParallelChecksums, [&](std::size_t i) {
    if (to_check[i] != nullptr) checksums[i] = ChecksumOf(*to_check[i]);
  });

  std::vector<IntegrityProblem> problems;
  std::set<std::string> reported;
  for (std::size_t i = 0; i < history_rows.size(); ++i) {
    const HistoryRow& row = history_rows[i];
    const graph::Revision* revision = map.Find(row.revision);
    if (revision == nullptr) {
      IntegrityProblem orphan;
      orphan.kind = IntegrityProblem::Kind::kNoFile;
      orphan.revision = row.revision;
      orphan.recorded = row.checksum;
      orphan.has_history_row = true;
      problems.push_back(std::move(orphan));
      reported.insert(row.revision);
      continue;
    }
    if (to_check[i] == nullptr) continue;  // not applied
    IntegrityProblem problem{.revision = revision->id,
                             .file = to_check[i]->path,
                             .recorded = row.checksum,
                             .current = std::move(checksums[i]),
                             .has_history_row = true};
    if (!util::IsChecksum(row.checksum)) {
      problem.kind = IntegrityProblem::Kind::kMalformedChecksum;
      problems.push_back(std::move(problem));
    } else if (row.checksum != problem.current) {
      problem.kind = IntegrityProblem::Kind::kChanged;
      problems.push_back(std::move(problem));
    }
  }
  for (const std::string& row : version_rows) {
    if (map.Find(row) != nullptr) continue;
    if (reported.count(row)) {
      for (IntegrityProblem& problem : problems) {
        if (problem.revision == row) problem.is_version_row = true;
      }
      continue;
    }
    IntegrityProblem missing;
    missing.kind = IntegrityProblem::Kind::kNoFile;
    missing.revision = row;
    missing.is_version_row = true;
    problems.push_back(std::move(missing));
    reported.insert(row);
  }
  return problems;
}

std::string RefusalMessage(const std::vector<IntegrityProblem>& problems) {
  if (problems.empty()) return {};
  std::string line = problems.front().Message();
  if (problems.size() > 1) {
    line += fmt::format(" (and {} more integrity problem{}; see `retort status`)",
                        problems.size() - 1, problems.size() == 2 ? "" : "s");
  }
  return line;
}

}  // namespace retort::runtime
