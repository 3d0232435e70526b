#ifndef RETORT_EMBEDDED_H_
#define RETORT_EMBEDDED_H_

#include <string_view>
#include <vector>

namespace retort {

// Revision files compiled into a program by the CMake function
// retort_embed_migrations() (cmake/RetortEmbed.cmake, docs/library.md). The
// generated code defines a function returning one of these with static
// storage: the views point at arrays in the program, never at files.
struct EmbeddedMigrations {
  struct File {
    // Where the file was, relative to the embedded folder's parent, e.g.
    // "migrations/versions/a1_create_users.sql": it names the revision in
    // messages exactly as the CLI would from that folder.
    std::string_view path;
    // The file's bytes, unchanged (checksums equal the CLI's).
    std::string_view content;
  };
  // In file-name order, as the CLI reads a versions folder.
  std::vector<File> files;
};

}  // namespace retort

#endif  // RETORT_EMBEDDED_H_
