#include "script/script_directory.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "graph/errors.h"
#include "retort/error.h"
#include "script/foreign_files.h"
#include "script/revision_cache.h"
#include "util/checksum.h"
#include "util/parallel.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;

// The revision files of one version location, in file-name order (byte
// order, as Python's sorted(os.listdir())). Hidden files and editor lock
// files (".#x.sql") are skipped.
// Below this many files a second thread saves nothing measurable (1,000
// files: 17.7 ms one thread, 18.6 ms two, no-op upgrade wall median);
// at 10,000 it takes `heads` from 138 to 111 ms (docs/performance.md).
constexpr std::size_t kParallelFiles = 2048;
// From this many files the stats are taken on all cores: warm `heads` at
// 10,000 40.2 -> 37.4 ms wall, at 2,000 no gain (docs/performance.md).
constexpr std::size_t kParallelStats = 4096;

// One revision file found in a version location: "folder/name" as
// (folder / name).string() spells it, and its stat when it was taken.
struct Listed {
  std::string path;
  std::size_t name_offset = 0;  // where the file name starts in `path`
  FileStat stat;
  bool has_stat = false;
  // A regular file (or a symlink to one): as readdir() typed the entry,
  // then as the stat found it where one was taken.
  bool regular = false;
};

// The error for a listed name that is not a readable regular file: a
// symlink whose target is missing or loops, or a file that vanished, is
// named, never a revision silently left out (an older head would be
// reported as the head). Returns normally for a folder named x.sql.
void CheckListed(const fs::path& path) {
  std::error_code type_error;
  fs::file_status target = fs::status(path, type_error);
  if (type_error || !fs::exists(target)) {
    std::error_code link_error;
    bool link = fs::is_symlink(fs::symlink_status(path, link_error));
    throw Error(fmt::format("{}: cannot read revision file: {}{}", path.string(),
                            type_error ? type_error.message() : "No such file or directory",
                            link ? " (a symlink whose target is missing or loops)" : ""));
  }
  if (fs::is_directory(target)) return;  // a folder named x.sql is not a revision
  if (!fs::is_regular_file(target)) {
    throw Error(fmt::format("{}: cannot read revision file: not a regular file", path.string()));
  }
}

// The revision files of one version location, in file-name order (byte
// order, as Python's sorted(os.listdir())). Hidden files and editor lock
// files (".#x.sql") are skipped. readdir() and fstatat() on the folder's
// descriptor: no path object per file, no path walk per stat. With
// `want_stat`, every file's stat (the revision cache's key) is taken here;
// otherwise only where the directory entry's type does not say "regular".
std::vector<Listed> ListSqlFiles(const fs::path& folder, bool want_stat) {
  std::error_code error;
  fs::file_status status = fs::status(folder, error);
  if (error || !fs::exists(status)) {
    throw UsageError(fmt::format("Version location '{}' does not exist", folder.string()));
  }
  if (!fs::is_directory(status)) {
    throw UsageError(fmt::format("Version location '{}' is not a folder", folder.string()));
  }
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) {
    throw Error(fmt::format("Cannot read version location '{}': {}", folder.string(),
                            std::strerror(errno)));
  }
  std::string prefix = folder.string();
  // (folder / name): a separator unless the folder already ends in one.
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  std::vector<Listed> files;
  for (;;) {
    errno = 0;
    const struct dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      if (errno != 0) {
        int failure = errno;
        ::closedir(dir);
        throw Error(fmt::format("Cannot read version location '{}': {}", folder.string(),
                                std::strerror(failure)));
      }
      break;
    }
    std::string_view name = entry->d_name;
    if (name.size() < 5 || name[0] == '.' || name.substr(name.size() - 4) != ".sql") continue;
    Listed& listed = files.emplace_back();
    listed.path.reserve(prefix.size() + name.size());
    listed.path = prefix;
    listed.name_offset = prefix.size();
    listed.path += name;
    listed.regular = entry->d_type == DT_REG;
  }
  // The stats: every file's with `want_stat` (the cache's key), else only
  // where the entry's type was not "regular". Most of a warm `heads` on a
  // large project is these system calls: spread over the cores.
  const int dir_fd = ::dirfd(dir);
  util::ParallelFor(files.size(), kParallelStats, [&](std::size_t i) {
    Listed& listed = files[i];
    if (!want_stat && listed.regular) return;
    struct stat info {};
    listed.regular = ::fstatat(dir_fd, listed.path.c_str() + listed.name_offset, &info, 0) == 0 &&
                     S_ISREG(info.st_mode);
    if (listed.regular) {
      listed.stat = FileStat::Of(info);
      listed.has_stat = true;
    }
  });
  ::closedir(dir);
  // What is not a regular file is named (in listing order) or, a folder,
  // left out.
  for (const Listed& listed : files) {
    if (!listed.regular) {
      CheckListed(folder / std::string_view(listed.path).substr(listed.name_offset));
    }
  }
  std::erase_if(files, [](const Listed& listed) { return !listed.regular; });
  std::sort(files.begin(), files.end(), [](const Listed& a, const Listed& b) {
    return std::string_view(a.path).substr(a.name_offset) <
           std::string_view(b.path).substr(b.name_offset);
  });
  return files;
}

}  // namespace
// A version location with no revision files of retort's but another tool's:
// one line naming the command that converts them (docs/migrating.md), so a
// project is not read as empty. Only called when no .sql file was found.
std::optional<std::string> ForeignProjectHint(const fs::path& folder) {
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".py") == 0 &&
        name.rfind("__init__", 0) != 0 && name.rfind(".#", 0) != 0) {
      return fmt::format(
          "'{}' holds Alembic revisions (.py files such as '{}'), which retort does not run; "
          "convert the project with `retort import alembic PATH_TO_alembic.ini --dialect "
          "sqlite|postgresql` (docs/migrating.md)",
          folder.string(), name);
    }
  }
  return std::nullopt;
}

namespace {

std::atomic<bool> release_at_exit{false};

// What destroyed directories left to the process's exit, kept reachable.
struct Abandoned {
  std::vector<Script> scripts;
  std::unique_ptr<graph::RevisionMap> map;
  std::shared_ptr<RevisionCache> cache;
  Abandoned* next = nullptr;
};
std::atomic<Abandoned*> abandoned{nullptr};

}  // namespace

void ScriptDirectory::ReleaseMemoryAtExit() { release_at_exit.store(true); }

ScriptDirectory::~ScriptDirectory() {
  if (!release_at_exit.load(std::memory_order_relaxed) || scripts_.empty()) return;
  auto* kept = new Abandoned{std::move(scripts_), std::move(map_), std::move(cache_), nullptr};
  kept->next = abandoned.load();
  while (!abandoned.compare_exchange_weak(kept->next, kept)) {
  }
}

ScriptDirectory ScriptDirectory::Load(const Config& config) { return Load(config, Bodies::kAll); }

ScriptDirectory ScriptDirectory::Load(const Config& config, Bodies bodies) {
  ScriptDirectory scripts;
  scripts.location_ = config.script_location();
  std::error_code error;
  if (!fs::is_directory(scripts.location_, error)) {
    throw UsageError(fmt::format(
        "Path doesn't exist: '{}'.  Please use the 'init' command to create a new scripts folder.",
        scripts.location_.string()));
  }
  scripts.version_locations_ = config.version_locations();

  // Headers from the cache: every file's stat is taken while listing.
  std::optional<fs::path> cache_file;
  if (bodies == Bodies::kHeaders) cache_file = RevisionCache::PathFor(scripts.location_);

  // The same file reached through two locations is read once (Alembic warns
  // "loaded twice" and skips it). Keyed by string: fs::path comparison walks
  // path components. One location cannot list a name twice.
  std::unordered_set<std::string> seen_files;
  std::vector<Listed> files;
  const bool several = scripts.version_locations_.size() > 1;
  for (const fs::path& folder : scripts.version_locations_) {
    std::string real_folder;
    if (several) {
      fs::path real = fs::weakly_canonical(folder, error);
      real_folder = (error ? folder : real).string();
      if (!real_folder.empty() && real_folder.back() != '/') real_folder += '/';
    }
    for (Listed& file : ListSqlFiles(folder, cache_file.has_value())) {
      if (several && !seen_files.insert(real_folder + file.path.substr(file.name_offset)).second) {
        continue;
      }
      files.push_back(std::move(file));
    }
  }
  if (files.empty()) {
    for (const fs::path& folder : scripts.version_locations_) {
      if (std::optional<std::string> hint = ForeignProjectHint(folder)) throw UsageError(*hint);
    }
  }
  // Reading and parsing is most of a read-only command on a large project:
  // spread over the cores. A malformed file is reported as before: the
  // first in file order.
  if (!cache_file) {
    std::vector<std::optional<Script>> parsed(files.size());
    util::ParallelFor(files.size(), kParallelFiles, [&](std::size_t i) {
      parsed[i] = ParseRevisionFileNamingForeignTool(files[i].path);
    });
    scripts.scripts_.reserve(parsed.size());
    for (std::optional<Script>& script : parsed) scripts.scripts_.push_back(std::move(*script));
    scripts.BuildMap();
    return scripts;
  }

  // With the cache: an entry whose stat is unchanged stands for the file,
  // every other file is read and parsed (and its checksum computed, for the
  // next run's cache).
  scripts.cache_file_ = *cache_file;
  scripts.cache_ = std::make_shared<RevisionCache>(RevisionCache::Read(*cache_file));
  RevisionCache& cache = *scripts.cache_;
  scripts.scripts_.resize(files.size());
  scripts.stats_.resize(files.size());
  scripts.cache_entries_.assign(files.size(), kNoEntry);
  std::vector<std::size_t> misses;
  for (std::size_t i = 0; i < files.size(); ++i) {
    scripts.stats_[i] = files[i].stat;
    if (cache.size() > 0 && files[i].has_stat &&
        cache.Find(files[i].path, files[i].stat, scripts.scripts_[i], &scripts.cache_entries_[i])) {
      scripts.scripts_[i].path = std::move(files[i].path);  // only misses are read below
      continue;
    }
    misses.push_back(i);
  }
  std::vector<std::optional<Script>> parsed(misses.size());
  util::ParallelFor(misses.size(), kParallelFiles, [&](std::size_t m) {
    std::size_t i = misses[m];
    parsed[m] = ParseRevisionFileNamingForeignTool(files[i].path, &scripts.stats_[i]);
    parsed[m]->checksum = util::SqlChecksum(parsed[m]->upgrade.sql, parsed[m]->downgrade.sql);
  });
  for (std::size_t m = 0; m < misses.size(); ++m) {
    scripts.scripts_[misses[m]] = std::move(*parsed[m]);
  }
  scripts.BuildMap();
  // Rewritten only when something changed (a file added, edited, removed).
  if (!misses.empty() || cache.size() != files.size()) scripts.WriteCache();
  return scripts;
}

void ScriptDirectory::WriteCache() {
  // Every file's SQL known now (read, or in the old cache's bodies part)
  // is kept for the next `upgrade`; on a headers-only change (a revision
  // added) the old bodies are carried over rather than dropped.
  std::vector<RevisionCache::Entry> entries;
  entries.reserve(scripts_.size());
  for (std::size_t i = 0; i < scripts_.size(); ++i) {
    RevisionCache::Entry& entry = entries.emplace_back();
    entry.path = scripts_[i].path;
    entry.stat = stats_[i];
    entry.script = &scripts_[i];
    if (scripts_[i].bodies_loaded) {
      entry.has_bodies = true;
      entry.upgrade_sql = scripts_[i].upgrade.sql;
      entry.downgrade_sql = scripts_[i].downgrade.sql;
    } else if (cache_entries_[i] != kNoEntry) {
      entry.has_bodies = cache_->Bodies(cache_entries_[i], entry.upgrade_sql, entry.downgrade_sql);
    }
  }
  RevisionCache::Write(cache_file_, entries);
}

void ScriptDirectory::LoadBodies(const std::vector<std::string>& ids) {
  std::vector<std::size_t> wanted;
  for (const std::string& id : ids) {
    const graph::Revision* revision = map_->Find(id);
    if (revision == nullptr) continue;
    auto i = static_cast<std::size_t>(revision - map_->revisions().data());
    if (!scripts_[i].bodies_loaded) wanted.push_back(i);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  // From the cache: the entry stood for the file when Load() stat'ed it,
  // so its SQL is the file's as of then, matching the cached checksum.
  if (cache_ != nullptr) {
    std::size_t kept = 0;
    for (std::size_t i : wanted) {
      Script& script = scripts_[i];
      std::string_view upgrade_sql, downgrade_sql;
      if (cache_entries_[i] != kNoEntry &&
          cache_->Bodies(cache_entries_[i], upgrade_sql, downgrade_sql)) {
        script.upgrade.sql = upgrade_sql;
        script.downgrade.sql = downgrade_sql;
        script.bodies_loaded = true;
      } else {
        wanted[kept++] = i;
      }
    }
    wanted.resize(kept);
  }
  if (wanted.empty()) return;
  std::vector<std::optional<Script>> fresh(wanted.size());
  std::vector<FileStat> stats(wanted.size());
  util::ParallelFor(wanted.size(), kParallelFiles, [&](std::size_t w) {
    fresh[w] = ParseRevisionFileNamingForeignTool(scripts_[wanted[w]].path, &stats[w]);
  });
  bool cacheable = false;
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    Script& script = scripts_[wanted[w]];
    Script& read = *fresh[w];
    const graph::Revision& was = script.revision;
    const graph::Revision& now = read.revision;
    if (was.id != now.id || was.down_revisions != now.down_revisions ||
        was.dependencies != now.dependencies || was.branch_labels != now.branch_labels ||
        script.transactional != read.transactional || script.step != read.step ||
        script.needs_rewrite != read.needs_rewrite) {
      throw Error(
          fmt::format("{}: the revision file changed while retort was reading it; run the "
                      "command again",
                      script.path));
    }
    script.upgrade = std::move(read.upgrade);
    script.downgrade = std::move(read.downgrade);
    // The cached checksum is the file's only while its stat is unchanged.
    if (wanted[w] >= stats_.size() || !(stats_[wanted[w]] == stats[w])) {
      script.checksum.clear();
    } else if (!script.checksum.empty() && RevisionCache::Settled(stats[w])) {
      cacheable = true;  // these bytes can go into the cache's bodies part
    }
    script.bodies_loaded = true;
  }
  if (cache_ != nullptr && cacheable) WriteCache();
}

ScriptDirectory ScriptDirectory::FromSources(const std::vector<Source>& sources) {
  ScriptDirectory scripts;
  scripts.scripts_.reserve(sources.size());
  for (const Source& source : sources) {
    scripts.scripts_.push_back(ParseRevisionText(source.path, source.content));
  }
  scripts.BuildMap();
  return scripts;
}

void ScriptDirectory::BuildMap() {
  std::vector<graph::Revision> revisions;
  revisions.reserve(scripts_.size());
  for (const Script& script : scripts_) revisions.push_back(script.revision);
  try {
    map_ = std::make_unique<graph::RevisionMap>(std::move(revisions));
    return;
  } catch (const graph::RevisionError&) {
    // Handled below, once the files are indexed by id.
  }
  // The graph names the revision; the user needs the file to open. Only now
  // are the files indexed by id (a valid graph, the usual case, has no
  // duplicate, which the map checks too): a duplicate id is reported first,
  // naming both files, whatever else is wrong.
  std::unordered_map<std::string_view, size_t> by_id;
  by_id.reserve(scripts_.size());
  for (size_t i = 0; i < scripts_.size(); ++i) {
    const Script& script = scripts_[i];
    auto [it, inserted] = by_id.emplace(script.revision.id, i);
    if (!inserted) {
      throw Error(fmt::format("{}: revision '{}' is present more than once (also in {})",
                              script.path, script.revision.id, scripts_[it->second].path));
    }
  }
  revisions.clear();
  for (const Script& script : scripts_) revisions.push_back(script.revision);
  try {
    map_ = std::make_unique<graph::RevisionMap>(std::move(revisions));
  } catch (const graph::RevisionError& e) {
    auto at_fault = by_id.find(e.revision());
    if (at_fault == by_id.end()) throw;
    std::string message = fmt::format("{}: {}", scripts_[at_fault->second].path, e.what());
    if (const auto* label = dynamic_cast<const graph::DuplicateBranchLabel*>(&e)) {
      if (auto other = by_id.find(label->other_revision()); other != by_id.end()) {
        message += fmt::format(" ({})", scripts_[other->second].path);
      }
    }
    throw Error(message);
  }
}

const Script& ScriptDirectory::Get(const graph::Revision& revision) const {
  const std::vector<graph::Revision>& revisions = map_->revisions();
  // std::less gives a total order even for pointers into other arrays.
  if (!std::less<const graph::Revision*>{}(&revision, revisions.data()) &&
      std::less<const graph::Revision*>{}(&revision, revisions.data() + revisions.size())) {
    return scripts_[static_cast<size_t>(&revision - revisions.data())];
  }
  return Get(revision.id);
}

const Script& ScriptDirectory::Get(std::string_view id) const {
  const graph::Revision* revision = map_->Find(id);
  if (revision == nullptr) {
    throw Error(fmt::format("Can't locate revision identified by '{}'", id));
  }
  // scripts_ is parallel to map_->revisions().
  return scripts_[static_cast<size_t>(revision - map_->revisions().data())];
}

}  // namespace retort::script
