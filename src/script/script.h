#ifndef RETORT_SCRIPT_SCRIPT_H_
#define RETORT_SCRIPT_SCRIPT_H_

#include <filesystem>
#include <string>

#include "graph/revision.h"

struct stat;  // <sys/stat.h>

namespace retort::script {

// One section of a revision file: its SQL text, exactly as written, and the
// 1-based line in the file where that text starts (for error messages).
struct SqlSection {
  std::string sql;
  int first_line = 0;
  // True when the section holds at least one statement (not only comments
  // and blank lines). A revision without a downgrade body is irreversible.
  bool has_statements = false;
};

// A parsed revision file: the graph node plus what only files know.
struct Script {
  graph::Revision revision;
  // The file as listed ("migrations/versions/a1_add.sql"): a plain string,
  // since a std::filesystem::path splits itself into a heap array of
  // components (13% of `heads`' page faults at 1,000 revisions).
  std::string path;
  std::string create_date;    // "Create Date", as written
  bool transactional = true;  // "Transactional: no" -> false
  // "Step: name": a C++ step the application registers (retort/step.h),
  // run after the upgrade SQL inside the revision's transaction. Empty: none.
  std::string step;
  // "Needs Rewrite: reason": a revision `retort import` could not render
  // (docs/migrating.md). Non-empty: it refuses to run, either way, online
  // or offline, until a person writes its SQL and deletes the line.
  std::string needs_rewrite;
  SqlSection upgrade;
  SqlSection downgrade;
  // Irreversible: the upgrade does something and the downgrade section is
  // missing or holds no statement. A revision with neither (a merge, a
  // placeholder) is a no-op both ways, so downgrading through it is fine.
  bool irreversible() const { return upgrade.has_statements && !downgrade.has_statements; }
  // The file's leading comment block without the "-- " markers (message,
  // header lines), as `history -v` and `show` print it.
  std::string header_text;
  // False when the script came from the revision cache (revision_cache.h)
  // without its SQL: `upgrade` and `downgrade` are then empty until
  // ScriptDirectory::LoadBodies reads the file again.
  bool bodies_loaded = true;
  // The integrity checksum of the two sections (util::SqlChecksum), when
  // known without hashing them: from the cache. Empty: compute it.
  std::string checksum;
};

// Parses one revision file. Throws retort::Error "FILE:LINE: what is wrong"
// for: no Revision ID, an illegal id character, two upgrade (or downgrade)
// sections, no upgrade section, an unreadable file.
Script ParseRevisionFile(const std::filesystem::path& path);
// The same, also returning the fstat() of the file as it was read (the
// revision cache's key).
struct FileStat {
  unsigned long long device = 0, inode = 0, size = 0;
  long long mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileStat&) const = default;
  // The key of a file whose stat()/fstat() gave `info`.
  static FileStat Of(const struct stat& info);
};
Script ParseRevisionFile(const std::string& path, FileStat* stat);
// The same for content already in memory (embedded migrations); `path` only
// names the revision in messages.
Script ParseRevisionText(const std::filesystem::path& path, std::string content);

}  // namespace retort::script

#endif  // RETORT_SCRIPT_SCRIPT_H_
