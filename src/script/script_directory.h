#ifndef RETORT_SCRIPT_SCRIPT_DIRECTORY_H_
#define RETORT_SCRIPT_SCRIPT_DIRECTORY_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/revision_map.h"
#include "retort/config.h"
#include "script/script.h"

namespace retort::script {

class RevisionCache;

// The migration environment on disk (Alembic's ScriptDirectory): every
// revision file of every version location, read in file-name order, and the
// revision graph built from them. Load() throws retort::Error naming the
// file (and line) at fault: unreadable folder, malformed file, duplicate id
// (both files), unknown parent or dependency, cycle.
class ScriptDirectory {
 public:
  ScriptDirectory() = default;
  ScriptDirectory(ScriptDirectory&&) noexcept = default;
  ScriptDirectory& operator=(ScriptDirectory&&) noexcept = default;
  ~ScriptDirectory();

  // For a process that ends right after its command (the CLI calls it
  // first thing): from then on a ScriptDirectory being destroyed leaves its
  // memory (every script, the graph, the cache) to the process's exit
  // instead of freeing it piece by piece, which took ~4% of a command at
  // 10,000 revisions. The memory stays reachable from a global (no leak
  // report). Libraries never call it.
  static void ReleaseMemoryAtExit();

  static ScriptDirectory Load(const Config& config);

  // What a command needs of each file. kAll: everything, SQL included (read
  // every file). kHeaders: the graph, headers and checksums; a file whose
  // stat matches the revision cache's entry (revision_cache.h) is not read,
  // and its Script has bodies_loaded == false and empty sections until
  // LoadBodies(). Used by heads/history/current and upgrade/downgrade/stamp.
  enum class Bodies { kAll, kHeaders };
  static ScriptDirectory Load(const Config& config, Bodies bodies);

  // Reads the SQL of these revisions where it is not loaded yet (kHeaders),
  // before anything runs them: upgrade/downgrade call it from their planner
  // with the plan's revisions. A file whose stat Load() found unchanged
  // takes its SQL from the revision cache's bodies part when it holds it
  // (the bytes of the file with that very stat); any other file is read,
  // and throws naming the file when it no longer parses, or when its
  // headers changed since Load() (edited mid-command). Files read here
  // are added to the cache's bodies part for the next run.
  void LoadBodies(const std::vector<std::string>& ids);

  // One revision file held in memory (embedded migrations): `path` names it
  // in messages ("migrations/versions/a1_add.sql"), `content` is its bytes.
  struct Source {
    std::filesystem::path path;
    std::string content;
  };
  // The same graph built from in-memory files, in the order given (the
  // embedding step sorts them by file name, as Load() reads a folder).
  // Throws like Load(); location() and version_locations() are empty.
  static ScriptDirectory FromSources(const std::vector<Source>& sources);

  const graph::RevisionMap& map() const { return *map_; }
  // The script of a revision in map(); throws if the id is unknown.
  const Script& Get(std::string_view id) const;
  // A revision of map() (a plan's steps point into it) is found by its
  // place, without hashing its id; any other by id.
  const Script& Get(const graph::Revision& revision) const;

  const std::filesystem::path& location() const { return location_; }
  const std::vector<std::filesystem::path>& version_locations() const { return version_locations_; }

 private:
  // Builds map_ from scripts_, naming the file at fault on a graph error.
  void BuildMap();
  // Writes the revision cache (kHeaders): every script's headers, and the
  // SQL of those whose bodies are known for their stat.
  void WriteCache();

  std::filesystem::path location_;
  std::vector<std::filesystem::path> version_locations_;
  std::vector<Script> scripts_;  // parallel to map_->revisions()
  std::vector<FileStat> stats_;  // parallel to scripts_ when loaded with kHeaders
  // With the revision cache (kHeaders): where it lives, the cache as read,
  // and each script's entry in it (kNoEntry: read from its file).
  static constexpr std::size_t kNoEntry = static_cast<std::size_t>(-1);
  std::filesystem::path cache_file_;
  std::shared_ptr<RevisionCache> cache_;
  std::vector<std::size_t> cache_entries_;
  std::unique_ptr<graph::RevisionMap> map_;
};

}  // namespace retort::script

#endif  // RETORT_SCRIPT_SCRIPT_DIRECTORY_H_
