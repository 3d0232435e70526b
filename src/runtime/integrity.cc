#include "runtime/integrity.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

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

// "a, b", or "base" for a root, as a reader of a revision graph says it.
std::string Parents(const std::vector<std::string>& ids) {
  return ids.empty() ? std::string("base") : fmt::format("{}", fmt::join(ids, ", "));
}

std::string RevisesLine(const std::vector<std::string>& ids) {
  return ids.empty() ? std::string("Revises:") : "Revises: " + Parents(ids);
}

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
            "(deleted?); restore the file, or `retort stamp --purge <rev>` with the revision "
            "the database is at",
            revision);
      }
      return fmt::format(
          "Applied revision {} has no file (deleted?): an applied revision was applied on top of "
          "it; restore the file, or run `retort repair` to drop its history row and record the "
          "new Revises:",
          revision);
    case Kind::kRevisesChanged: {
      std::string line = fmt::format(
          "Revision {} ({}) was applied on top of {}, but its file now says {}", revision,
          DisplayPath(file), Parents(recorded_revises), RevisesLine(file_revises));
      if (!unrun_parents.empty()) {
        line += fmt::format(": {} never ran here, yet upgrade would skip {}",
                            Parents(unrun_parents), unrun_parents.size() == 1 ? "it" : "them");
      }
      line += fmt::format(
          "; put back `{}` and downgrade {} first, or run {} by hand, then `retort repair` "
          "records the new Revises:",
          RevisesLine(recorded_revises), revision,
          unrun_parents.empty() ? std::string("what the new graph needs")
                                : Parents(unrun_parents) + "'s upgrade");
      return line;
    }
  }
  return {};
}

std::string JoinRevises(const std::vector<std::string>& ids) {
  return fmt::format("{}", fmt::join(ids, ", "));
}

std::vector<std::string> SplitRevises(const std::string& text) {
  std::vector<std::string> ids;
  std::string id;
  for (char c : text + ",") {
    if (c == ',' || c == ' ') {
      if (!id.empty()) ids.push_back(std::move(id));
      id.clear();
    } else {
      id += c;
    }
  }
  return ids;
}

std::string ChecksumOf(const script::Script& script) {
  // Known without hashing when the revision cache vouched for the file.
  if (!script.checksum.empty()) return script.checksum;
  return util::SqlChecksum(script.upgrade.sql, script.downgrade.sql);
}

std::vector<IntegrityProblem> FindIntegrityProblems(const script::ScriptDirectory& scripts,
                                                    const std::vector<std::string>& version_rows,
                                                    const std::vector<HistoryRow>& history_rows) {
  const graph::RevisionMap& map = scripts.map();
  // The applied revisions: the version rows and everything below them
  // (IsAncestor's relation), found in one walk rather than one ancestry
  // test per history row (at 10,000 revisions those tests built a 12 MB
  // closure on every run).
  const graph::Revision* first = map.revisions().data();
  std::vector<char> applied(map.revisions().size(), 0);
  for (const graph::Revision* revision : map.AncestorsOf(version_rows)) {
    applied[static_cast<std::size_t>(revision - first)] = 1;
  }
  // The checksums of the applied revisions' files first, spread over the
  // cores: normalising and hashing every file is most of this check on a
  // large project, and each is independent.
  std::vector<const graph::Revision*> revisions(history_rows.size(), nullptr);
  std::vector<const script::Script*> to_check(history_rows.size(), nullptr);
  for (std::size_t i = 0; i < history_rows.size(); ++i) {
    revisions[i] = map.Find(history_rows[i].revision);
    if (revisions[i] != nullptr && applied[static_cast<std::size_t>(revisions[i] - first)]) {
      to_check[i] = &scripts.Get(*revisions[i]);
    }
  }
  std::vector<std::string> checksums(history_rows.size());
  util::ParallelFor(history_rows.size(), kParallelChecksums, [&](std::size_t i) {
    if (to_check[i] != nullptr) checksums[i] = ChecksumOf(*to_check[i]);
  });

  // Rows without a file are applied only as far as an applied revision's
  // recorded Revises: says so (the file was deleted from the middle of the
  // chain, and its child re-parented); otherwise they are stale, left by a
  // stamp (`stamp --purge` after deleting a file), and not applied. Only
  // needed when some row has no file (or names a parent that has none).
  const bool any_orphan = std::find(revisions.begin(), revisions.end(), nullptr) != revisions.end();
  std::unordered_set<std::string> recorded_parents;
  const std::size_t scanned = any_orphan ? history_rows.size() : 0;
  for (std::size_t i = 0; i < scanned; ++i) {
    if (to_check[i] == nullptr || !history_rows[i].revises) continue;
    for (std::string& id : SplitRevises(*history_rows[i].revises)) {
      recorded_parents.insert(std::move(id));
    }
  }

  std::vector<IntegrityProblem> problems;
  std::set<std::string> reported;
  std::unordered_set<std::string_view> with_row;  // filled when first needed
  for (std::size_t i = 0; i < history_rows.size(); ++i) {
    const HistoryRow& row = history_rows[i];
    const graph::Revision* revision = revisions[i];
    if (revision == nullptr) {
      const bool named =
          recorded_parents.count(row.revision) != 0 ||
          std::find(version_rows.begin(), version_rows.end(), row.revision) != version_rows.end();
      if (!named) continue;  // stale: not applied
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
    // The common case, a file as it was applied, builds nothing.
    // (A row equal to the file's checksum, which is well formed, needs no
    // further look.)
    const bool differs = row.checksum != checksums[i];
    const bool malformed = differs && !util::IsChecksum(row.checksum);
    const bool changed = differs && !malformed;
    const std::vector<std::string>& now = revision->down_revisions;
    std::vector<std::string> recorded;
    bool revises_changed = false;
    if (row.revises) {
      recorded = SplitRevises(*row.revises);
      revises_changed =
          recorded != now && std::set<std::string>(recorded.begin(), recorded.end()) !=
                                 std::set<std::string>(now.begin(), now.end());
    }
    if (!malformed && !changed && !revises_changed) continue;
    IntegrityProblem problem;
    problem.revision = revision->id;
    problem.file = to_check[i]->path;
    problem.recorded = row.checksum;
    problem.current = std::move(checksums[i]);
    problem.has_history_row = true;
    if (malformed) {
      problem.kind = IntegrityProblem::Kind::kMalformedChecksum;
      problems.push_back(problem);
    } else if (changed) {
      problem.kind = IntegrityProblem::Kind::kChanged;
      problems.push_back(problem);
    }
    if (!revises_changed) continue;
    if (with_row.empty()) {
      for (const HistoryRow& other : history_rows) with_row.insert(other.revision);
    }
    IntegrityProblem changed_revises = std::move(problem);
    changed_revises.kind = IntegrityProblem::Kind::kRevisesChanged;
    for (const std::string& id : now) {
      if (std::find(recorded.begin(), recorded.end(), id) == recorded.end() &&
          with_row.count(id) == 0) {
        changed_revises.unrun_parents.push_back(id);
      }
    }
    changed_revises.recorded_revises = std::move(recorded);
    changed_revises.file_revises = now;
    problems.push_back(std::move(changed_revises));
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
