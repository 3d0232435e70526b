#include "runtime/sql_sink.h"

namespace retort::runtime {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

SqlSink SqlSink::Online(driver::Connection& connection, const dialect::Dialect& dialect) {
  return SqlSink(&connection, nullptr, dialect);
}

SqlSink SqlSink::Offline(std::ostream& out, const dialect::Dialect& dialect) {
  return SqlSink(nullptr, &out, dialect);
}

void SqlSink::Print(std::string_view statement) {
  statement = Trim(statement);
  if (statement.empty()) return;
  *out_ << statement;
  if (statement.back() != ';') {
    // A script ending in a "-- comment" line would swallow a ';' appended to
    // that line.
    std::size_t line_start = statement.rfind('\n');
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    if (Trim(statement.substr(line_start)).starts_with("--")) *out_ << '\n';
    *out_ << ';';
  }
  *out_ << "\n\n";
}

void SqlSink::Execute(std::string_view script) {
  if (offline()) {
    // Printed as written, comments included: the reader of a --sql script
    // sees the revision file's own text.
    Print(script);
  } else {
    connection_->ExecuteScript(script);
  }
}

std::optional<long long> SqlSink::ExecuteCounted(std::string_view statement) {
  if (offline()) {
    Print(statement);
    return std::nullopt;
  }
  connection_->ExecuteScript(statement);
  return connection_->ChangedRows();
}

std::vector<std::optional<long long>> SqlSink::ExecuteCountedEach(
    const std::vector<std::string>& statements) {
  std::vector<std::optional<long long>> changed;
  changed.reserve(statements.size());
  if (offline()) {
    for (const std::string& statement : statements) changed.push_back(ExecuteCounted(statement));
    return changed;
  }
  for (long long rows : connection_->ExecuteEach(statements)) changed.emplace_back(rows);
  return changed;
}

void SqlSink::ExecuteBatch(std::string_view sql,
                           const std::vector<std::vector<std::string>>& rows) {
  connection_->ExecuteBatch(sql, rows);
}

void SqlSink::Comment(std::string_view text) {
  if (offline()) *out_ << "-- " << text << "\n\n";
}

void SqlSink::Begin() {
  if (!offline()) {
    connection_->Begin();
    return;
  }
  offline_transaction_ = true;
  if (dialect_->transactional_ddl()) Print(dialect_->BeginTransaction());
}

void SqlSink::Commit() {
  if (!offline()) {
    connection_->Commit();
    return;
  }
  offline_transaction_ = false;
  if (dialect_->transactional_ddl()) Print(dialect_->CommitTransaction());
}

void SqlSink::Rollback() {
  if (!offline()) {
    connection_->Rollback();
    return;
  }
  offline_transaction_ = false;
}

bool SqlSink::InTransaction() const {
  return offline() ? offline_transaction_ : connection_->InTransaction();
}

SinkTransaction::~SinkTransaction() {
  if (!sink_.InTransaction()) return;
  // A destructor must not throw; a rollback that fails leaves the database
  // to discard the transaction when the connection closes.
  try {
    sink_.Rollback();
  } catch (...) {
  }
}

void SinkTransaction::Ensure() {
  if (!sink_.InTransaction()) sink_.Begin();
}

void SinkTransaction::Commit() {
  if (sink_.InTransaction()) sink_.Commit();
}

}  // namespace retort::runtime
