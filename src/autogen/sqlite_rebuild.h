#ifndef RETORT_AUTOGEN_SQLITE_REBUILD_H_
#define RETORT_AUTOGEN_SQLITE_REBUILD_H_

// Internals of RenderSqlite (render.h): SQL text helpers that edit SQLite's
// CREATE statements token by token, keeping everything else as written, and
// the table rebuild of https://www.sqlite.org/lang_altertable.html section 7.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autogen/operation.h"
#include "autogen/render.h"
#include "schema/snapshot.h"

namespace retort::autogen::sqlite {

// One token of SQLite SQL and where it sits in the text.
struct SqlToken {
  enum class Kind { kWord, kQuotedName, kString, kPunct };
  Kind kind;
  size_t begin = 0, end = 0;  // [begin, end) in the text
  std::string value;          // names unquoted; strings without their quotes
  bool IsName() const { return kind == Kind::kWord || kind == Kind::kQuotedName; }
  // A bare word equal to `keyword` (lower case), ignoring case.
  bool IsKeyword(std::string_view keyword) const;
};

// Comments and whitespace are skipped.
std::vector<SqlToken> Lex(std::string_view sql);

bool SameName(std::string_view a, std::string_view b);  // SQLite names ignore ASCII case

// `name` as an identifier: bare when it is a plain word that is not a
// keyword, else double-quoted.
std::string QuoteName(const std::string& name);

// Whether `sql` refers to `name` as an identifier (not inside a string).
bool MentionsName(const std::string& sql, const std::string& name);

// `create_sql` ("CREATE TABLE [IF NOT EXISTS] [schema.]name ...", or an index,
// view or trigger) with the object's name replaced by `new_name`; the rest
// stays as written.
std::string WithCreatedName(const std::string& create_sql, const std::string& new_name);

// The text of `column`'s definition inside a CREATE TABLE statement
// ("email TEXT NOT NULL COLLATE NOCASE"), or nullopt.
std::optional<std::string> ColumnDefinitionText(const std::string& create_table_sql,
                                                const std::string& column);

// The statement with its terminating ';' (sqlite_master keeps none).
std::string Terminated(std::string sql);

// Rendering from the model, for objects whose CREATE text is unknown.
std::string DefaultSql(const std::string& value);  // parenthesised unless a literal
bool IsConstantDefault(const std::string& value);  // what ADD COLUMN accepts
std::string ColumnSql(const schema::Column& column);
std::string CreateTableSql(const TableDefinition& definition);
std::string CreateIndexSql(const schema::Index& index);
std::string CreateViewSql(const schema::View& view);
std::string CreateTriggerSql(const schema::Trigger& trigger);

// Everything `snapshot` holds about `table` (empty columns when absent).
TableDefinition DefinitionOf(const schema::Snapshot& snapshot, const std::string& table);

// One table rebuild, planned by RenderSqlite.
struct Rebuild {
  // The table's name while it is rebuilt; `target`'s definition (from the
  // `to` snapshot) gives its new shape, its indexes and its triggers.
  std::string table;
  TableDefinition target;
  // The target's CREATE TABLE text when the `to` snapshot has it.
  std::string target_sql;
  // (new column, old column) for every column whose rows are copied.
  std::vector<std::pair<std::string, std::string>> copied_columns;
  // Views and triggers of other tables that refer to the table (directly or
  // through those views), as currently written: dropped first and created
  // again after the rename, because ALTER TABLE ... RENAME refuses to run
  // while any view or trigger in the schema names a missing table.
  std::vector<std::pair<std::string, std::string>> dependent_views;     // name, CREATE text
  std::vector<std::pair<std::string, std::string>> dependent_triggers;  // name, CREATE text
  // Why the rebuild loses data or guarantees, one reason per operation.
  std::vector<std::string> destructive_reasons;
};

// The temporary name the new table is created under.
std::string TemporaryName(const std::string& table);

// The statements of one rebuild (see render_sqlite_rebuild.cc).
std::vector<RenderedStatement> RenderRebuild(const Rebuild& rebuild);

}  // namespace retort::autogen::sqlite

#endif  // RETORT_AUTOGEN_SQLITE_REBUILD_H_
