#ifndef RETORT_IMPORT_ALEMBIC_RENDER_H_
#define RETORT_IMPORT_ALEMBIC_RENDER_H_

// Alembic renders the revisions' bodies: one Python process runs every
// revision's upgrade() and downgrade() in offline (--sql) mode under a
// neutral environment (not the project's env.py) and returns the SQL.
// Python, Alembic and SQLAlchemy are needed here, at import time, only.

#include <filesystem>
#include <string>
#include <vector>

namespace retort::import {

// The Python program (alembic_render_helper.cc).
extern const char kAlembicRenderHelper[];

// One direction of one revision.
struct RenderedBody {
  std::string sql;            // what Alembic printed (statements ending in ';')
  std::string problem;        // non-empty: it could not be rendered, and why
  bool missing = false;       // no such function: nothing to run
  bool irreversible = false;  // it raises NotImplementedError
  // It used op.get_context().autocommit_block(): must run outside a
  // transaction.
  bool autocommit = false;
};

struct RenderedRevision {
  // Non-empty: loading the module failed (e.g. it imports the application),
  // so neither direction could be rendered.
  std::string module_problem;
  RenderedBody upgrade;
  RenderedBody downgrade;
};

// Renders `files` for `dialect` ("sqlite", "postgresql") in one process;
// the result is parallel to `files`. The interpreter is $RETORT_PYTHON, else
// the one named by the `alembic` script found on PATH, else python3.
// Throws UsageError (exit 2) when Python, Alembic or SQLAlchemy is missing,
// and Error "FILE:LINE: <Python's message>" for a syntax error.
std::vector<RenderedRevision> RenderAlembicRevisions(
    const std::vector<std::filesystem::path>& files, const std::string& dialect);

// The interpreter RenderAlembicRevisions uses (for messages and docs).
std::string AlembicPython();

}  // namespace retort::import

#endif  // RETORT_IMPORT_ALEMBIC_RENDER_H_
