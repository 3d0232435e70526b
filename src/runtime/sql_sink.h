#ifndef RETORT_RUNTIME_SQL_SINK_H_
#define RETORT_RUNTIME_SQL_SINK_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dialect/dialect.h"
#include "driver/connection.h"

namespace retort::runtime {

// The one place SQL goes. Online it executes through a Connection; offline
// (--sql) it prints the same calls as a script in Alembic's layout: every
// statement terminated by ';' and followed by a blank line. The migration
// runner makes the same calls in both modes, so --sql cannot drift from what
// an online run executes; the one exception is the version- and
// history-table bookkeeping of a one-transaction run, written online as its
// net result and in --sql per revision as Alembic prints it
// (version_writes.h, docs/running-migrations.md). Neither the connection
// nor the stream is owned.
class SqlSink {
 public:
  static SqlSink Online(driver::Connection& connection, const dialect::Dialect& dialect);
  static SqlSink Offline(std::ostream& out, const dialect::Dialect& dialect);

  bool offline() const { return connection_ == nullptr; }
  const dialect::Dialect& dialect() const { return *dialect_; }

  // Runs (or prints) a script of one or more statements, e.g. a revision's
  // section as written. Online failures throw driver::StatementError, whose
  // offset is into `script`.
  void Execute(std::string_view script);
  // Runs (or prints) one statement and returns the rows it changed; nullopt
  // offline, where nothing is known.
  std::optional<long long> ExecuteCounted(std::string_view statement);
  // ExecuteCounted of each statement in order, online in one round trip on
  // PostgreSQL (driver::Connection::ExecuteEach); offline printed exactly as
  // ExecuteCounted would print them one by one.
  std::vector<std::optional<long long>> ExecuteCountedEach(
      const std::vector<std::string>& statements);
  // Online only: the one statement `sql` once per row of parameters
  // (driver::Connection::ExecuteBatch).
  void ExecuteBatch(std::string_view sql, const std::vector<std::vector<std::string>>& rows);
  // Offline: "-- text" and a blank line. Online: nothing.
  void Comment(std::string_view text);

  // Online: the connection's transaction. Offline: BEGIN; / COMMIT; when the
  // dialect's DDL is transactional (Alembic's emit_begin / emit_commit);
  // an offline rollback prints nothing (a script has nothing to undo).
  void Begin();
  void Commit();
  void Rollback();
  bool InTransaction() const;

 private:
  SqlSink(driver::Connection* connection, std::ostream* out, const dialect::Dialect& dialect)
      : connection_(connection), out_(out), dialect_(&dialect) {}
  void Print(std::string_view statement);

  driver::Connection* connection_;
  std::ostream* out_;
  const dialect::Dialect* dialect_;
  bool offline_transaction_ = false;
};

// A transaction on a sink that rolls back unless committed, so a failure
// anywhere in a run leaves the database as it was.
class SinkTransaction {
 public:
  explicit SinkTransaction(SqlSink& sink) : sink_(sink) {}
  ~SinkTransaction();
  SinkTransaction(const SinkTransaction&) = delete;
  SinkTransaction& operator=(const SinkTransaction&) = delete;

  // Begins unless one is open.
  void Ensure();
  // Commits if one is open.
  void Commit();

 private:
  SqlSink& sink_;
};

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_SQL_SINK_H_
