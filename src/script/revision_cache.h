#ifndef RETORT_SCRIPT_REVISION_CACHE_H_
#define RETORT_SCRIPT_REVISION_CACHE_H_

// The cache of parsed revision headers and section checksums
// (docs/performance.md, docs/file-formats.md): one file per project,
// <script_location>/.retort-cache (`init` writes a .gitignore listing it),
// so that `heads`, `history`,
// `current` and the no-op `upgrade` stat the revision files instead of
// reading them when nothing changed. An entry is used only while the file's
// device, inode, size, modification time and status-change time (ctime,
// which no user can set back) are all what they were when it was read;
// anything else reads and parses the file again. The cache never changes
// what a command does or prints: a missing, unreadable, corrupt, truncated
// or foreign-version cache is ignored, and RETORT_NO_CACHE=1 turns it off.
// Format 3: a headers part (all that `heads` reads), then optionally a
// bodies part with each file's SQL as read with the entry's stat, read only
// when a command needs SQL (upgrade, downgrade, --sql); each part ends in a
// trailer with its length and hash (docs/file-formats.md).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "script/script.h"
#include "util/page_buffer.h"

namespace retort::script {

class RevisionCache {
 public:
  // Where the cache of the project at `script_location` lives; nullopt
  // when caching is off (RETORT_NO_CACHE set to anything but "" or "0").
  static std::optional<std::filesystem::path> PathFor(const std::filesystem::path& script_location);

  RevisionCache() = default;
  ~RevisionCache();
  RevisionCache(RevisionCache&& other) noexcept;
  RevisionCache(const RevisionCache&) = delete;
  RevisionCache& operator=(const RevisionCache&) = delete;
  RevisionCache& operator=(RevisionCache&&) = delete;

  // Reads `file` (one read into a populated mapping, decoded lazily by
  // Find); an empty cache when it is missing or not valid in every byte
  // (checked by length and hash), or written by another build.
  static RevisionCache Read(const std::filesystem::path& file);

  // When the file at `path` still has the stat `stat`: fills `script` with
  // its cached headers, section lines, has_statements and checksum, without
  // the SQL (bodies_loaded false), and returns true (and in `entry`, when
  // given, the entry's number for Bodies()). False: read the file.
  // Cheapest when called in the order the entries were written.
  bool Find(std::string_view path, const FileStat& stat, Script& script,
            std::size_t* entry = nullptr);

  // The SQL sections of the file of entry `entry` (from Find) as they were
  // when the file had the entry's stat; false when the cache holds none
  // for it. The first call reads the file's bodies part (after the headers
  // part, which is all `heads` reads), from the file Read() opened even if
  // it was replaced since. The views live as long as this cache.
  bool Bodies(std::size_t entry, std::string_view& upgrade_sql, std::string_view& downgrade_sql);

  struct Entry {
    std::string path;
    FileStat stat;
    const Script* script;  // with `checksum` set
    // The file's SQL sections as read with `stat` (has_bodies), cached in
    // the bodies part.
    bool has_bodies = false;
    std::string_view upgrade_sql, downgrade_sql;
  };
  // Writes `entries` to `file` through a temporary file and rename(), so a
  // reader sees the old cache or the new one, never half of one, and two
  // writers at once leave one of theirs. Entries whose file changed in the
  // last two seconds are left out (a same-size change within the file
  // system's timestamp granularity would not change the stat). Failures
  // are ignored: the cache is an optimisation.
  static void Write(const std::filesystem::path& file, const std::vector<Entry>& entries);

  // True when a freshly read file of this stat may be cached now.
  static bool Settled(const FileStat& stat);

  std::size_t size() const { return entries_.size(); }

 private:
  void ReadBodies();

  struct Cached {
    std::string_view path;  // into headers_
    FileStat stat;
    std::string_view script;  // the encoded script, into headers_
    bool has_bodies = false;  // after ReadBodies(): the two below, into bodies_
    std::string_view upgrade_sql, downgrade_sql;
  };
  int fd_ = -1;  // the cache file as opened by Read()
  std::size_t file_size_ = 0;
  util::PageBuffer headers_;  // the headers part
  util::PageBuffer bodies_;   // the bodies part, once read
  bool bodies_read_ = false;
  std::vector<Cached> entries_;
  std::size_t next_ = 0;                                     // the entry Find() expects next
  std::unordered_map<std::string_view, std::size_t> index_;  // built when needed
};

}  // namespace retort::script

#endif  // RETORT_SCRIPT_REVISION_CACHE_H_
