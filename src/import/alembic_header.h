#ifndef RETORT_IMPORT_ALEMBIC_HEADER_H_
#define RETORT_IMPORT_ALEMBIC_HEADER_H_

// Reading an Alembic revision file's identity without running Python: the
// module docstring and the top-level assignments Alembic reads
// (`revision`, `down_revision`, `branch_labels`, `depends_on`), with or
// without type annotations, as strings, None, tuples, lists or sets of
// strings. The bodies are rendered by Alembic itself (alembic_render.h).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace retort::import {

struct AlembicHeader {
  std::string revision;
  std::vector<std::string> down_revisions;  // in written order; empty: a base
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  // The module docstring, stripped (Alembic's Script.longdoc).
  std::string longdoc;
  // Its first paragraph: what `alembic history` shows (Script.doc).
  std::string message;
  // The docstring's "Create Date: ..." line, if any.
  std::string create_date;
};

// Reads `content` (the text of `path`). Throws retort::Error "PATH:LINE:
// what is wrong" when a header assignment is not a literal retort can read
// without running the file, when `revision` or `down_revision` is missing
// (a file named `<hex>.py` without `revision` takes its id from its name,
// as Alembic does), or when an id or label has characters retort does not
// allow. Python syntax errors elsewhere are left to the render step.
AlembicHeader ReadAlembicHeader(const std::filesystem::path& path, std::string_view content);

}  // namespace retort::import

#endif  // RETORT_IMPORT_ALEMBIC_HEADER_H_
