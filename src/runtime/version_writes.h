#ifndef RETORT_RUNTIME_VERSION_WRITES_H_
#define RETORT_RUNTIME_VERSION_WRITES_H_

#include <optional>
#include <string>
#include <vector>

#include "dialect/dialect.h"
#include "graph/head_maintainer.h"
#include "runtime/sql_sink.h"

namespace retort::runtime {

// A version-table statement and the row count Alembic checks it against
// (another tool, or a hand edit, may have moved the version table under us).
struct VersionWrite {
  std::string sql;
  // When set, exactly one row must change; the message up to the count.
  std::optional<std::string> expected;
};

// The version-table statements of one step's changes, in Alembic's words.
std::vector<VersionWrite> VersionWrites(const dialect::Dialect& dialect,
                                        const dialect::VersionTable& table,
                                        const std::vector<graph::VersionChange>& changes);

// The version- and history-table writes of the steps run so far in the open
// transaction, sent to the database together when Flush() is called. Inside
// one transaction nobody else can see them before the commit, so sending a
// thousand revisions' writes in one round trip, just before the commit,
// leaves the database exactly as sending each after its revision would, and
// saves a round trip per revision on PostgreSQL (docs/performance.md). The
// statements and their row-count checks are unchanged; a mismatch throws
// and the caller's transaction rolls everything back.
class PendingVersionWrites {
 public:
  // Queues a step's version writes and then its history statement, if any.
  void Add(std::vector<VersionWrite> writes, std::optional<std::string> history);
  // Sends what is queued (one round trip on PostgreSQL) and checks the
  // counts; nothing queued sends nothing.
  void Flush(SqlSink& sink);

 private:
  std::vector<VersionWrite> queued_;
};

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_VERSION_WRITES_H_
