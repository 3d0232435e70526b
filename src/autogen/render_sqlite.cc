// RenderSqlite (render.h): operations to SQLite statements.
//
// SQLite's ALTER TABLE can rename a table, add, drop and rename a column, and
// little else. Every other change to a table (a column's type, nullability
// or default; a primary key, unique constraint, foreign key or check) is
// rendered as the table rebuild of render_sqlite_rebuild.cc, once per table
// however many operations touch it: the rebuild gives the table its whole
// new shape from the `to` snapshot, so every column, constraint, index and
// trigger operation on that table is absorbed into it. ADD and DROP COLUMN
// are native only where SQLite allows them and fall back to the rebuild
// otherwise.
//
// Foreign keys. retort's SQLite connection leaves PRAGMA foreign_keys at
// SQLite's default, OFF, and a revision runs inside a transaction, where the
// pragma cannot be changed. With enforcement off a rebuild is safe as it
// stands. Should a connection have it on (a non-transactional revision can
// turn it on for the rest of a run), the DROP TABLE of a rebuild deletes
// every row of the old table first: each child's ON DELETE action runs
// (CASCADE deletes the children's rows) and a NO ACTION key fails at COMMIT
// even with PRAGMA defer_foreign_keys = ON (SQLite counts the violations of
// the implicit DELETE, and the rows copied into the new table beforehand do
// not count them back down). So before the first rebuild of a table that
// another table references, the script runs a guard that fails, naming the
// table, unless foreign_keys is off: the transaction rolls back, nothing is
// lost.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "autogen/render.h"
#include "autogen/sqlite_rebuild.h"
#include "retort/error.h"

namespace retort::autogen {
namespace {

using sqlite::MentionsName;
using sqlite::QuoteName;
using sqlite::SameName;
using sqlite::Terminated;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// The table an operation changes without creating, dropping or renaming it.
std::optional<std::string> TableOf(const Operation& operation) {
  return std::visit(
      Overloaded{
          [](const CreateTable&) -> std::optional<std::string> { return std::nullopt; },
          [](const DropTable&) -> std::optional<std::string> { return std::nullopt; },
          [](const RenameTable&) -> std::optional<std::string> { return std::nullopt; },
          [](const AddColumn& op) -> std::optional<std::string> { return op.column.table; },
          [](const DropColumn& op) -> std::optional<std::string> { return op.column.table; },
          [](const RenameColumn& op) -> std::optional<std::string> { return op.table; },
          [](const AlterColumn& op) -> std::optional<std::string> { return op.to.table; },
          [](const AddPrimaryKey& op) -> std::optional<std::string> { return op.key.table; },
          [](const DropPrimaryKey& op) -> std::optional<std::string> { return op.key.table; },
          [](const AddUniqueConstraint& op) -> std::optional<std::string> {
            return op.constraint.table;
          },
          [](const DropUniqueConstraint& op) -> std::optional<std::string> {
            return op.constraint.table;
          },
          [](const AddForeignKey& op) -> std::optional<std::string> { return op.key.table; },
          [](const DropForeignKey& op) -> std::optional<std::string> { return op.key.table; },
          [](const AddCheckConstraint& op) -> std::optional<std::string> { return op.check.table; },
          [](const DropCheckConstraint& op) -> std::optional<std::string> {
            return op.check.table;
          },
          [](const CreateIndex& op) -> std::optional<std::string> { return op.index.table; },
          [](const DropIndex& op) -> std::optional<std::string> { return op.index.table; },
          [](const CreateView&) -> std::optional<std::string> { return std::nullopt; },
          [](const DropView&) -> std::optional<std::string> { return std::nullopt; },
          [](const CreateTrigger& op) -> std::optional<std::string> { return op.trigger.table; },
          [](const DropTrigger& op) -> std::optional<std::string> { return op.trigger.table; },
          [](const CreateSequence&) -> std::optional<std::string> { return std::nullopt; },
          [](const DropSequence&) -> std::optional<std::string> { return std::nullopt; },
          [](const AlterSequence&) -> std::optional<std::string> { return std::nullopt; },
          [](const CreateEnum&) -> std::optional<std::string> { return std::nullopt; },
          [](const DropEnum&) -> std::optional<std::string> { return std::nullopt; },
          [](const AlterEnum&) -> std::optional<std::string> { return std::nullopt; },
          [](const SetTableComment&) -> std::optional<std::string> { return std::nullopt; },
          [](const SetViewComment&) -> std::optional<std::string> { return std::nullopt; },
          [](const RenameConstraint&) -> std::optional<std::string> { return std::nullopt; },
          [](const RenameIndex&) -> std::optional<std::string> { return std::nullopt; },
          [](const ObjectChange&) -> std::optional<std::string> { return std::nullopt; },
          [](const AlterTableOptions&) -> std::optional<std::string> { return std::nullopt; },
      },
      operation);
}

// SQLite's header pragmas (user_version, application_id) come as
// ObjectChanges of kind "pragma" (compare_objects.cc); every other
// ObjectChange is a PostgreSQL object.
bool IsPragma(const Operation& operation) {
  const auto* change = std::get_if<ObjectChange>(&operation);
  if (change == nullptr) return false;
  const std::optional<schema::SchemaObject>& object = change->to ? change->to : change->from;
  return object && object->kind == "pragma";
}

bool IsObjectChangeOtherThanPragma(const Operation& operation) {
  return std::holds_alternative<ObjectChange>(operation) && !IsPragma(operation);
}

bool IsPostgresOnly(const Operation& operation) {
  return std::holds_alternative<CreateSequence>(operation) ||
         std::holds_alternative<DropSequence>(operation) ||
         std::holds_alternative<AlterSequence>(operation) ||
         std::holds_alternative<CreateEnum>(operation) ||
         std::holds_alternative<DropEnum>(operation) ||
         std::holds_alternative<AlterEnum>(operation) ||
         std::holds_alternative<SetTableComment>(operation) ||
         std::holds_alternative<SetViewComment>(operation) ||
         std::holds_alternative<RenameConstraint>(operation) ||
         std::holds_alternative<RenameIndex>(operation) ||
         IsObjectChangeOtherThanPragma(operation) ||
         std::holds_alternative<AlterTableOptions>(operation);
}

const schema::Table* FindTable(const schema::Snapshot& snapshot, const std::string& name) {
  for (const schema::Table& table : snapshot.tables) {
    if (SameName(table.name, name)) return &table;
  }
  return nullptr;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return SameName(n, name); });
}

// ALTER TABLE ADD COLUMN's rules (https://www.sqlite.org/lang_altertable.html):
// no PRIMARY KEY or UNIQUE, NOT NULL only with a non-null default, a
// constant default, a REFERENCES column only with a NULL default, no
// generated column. A constraint the column takes part in comes as its own
// operation, which rebuilds the table anyway; this is the column's own part.
bool CanAddColumn(const schema::Column& column, const schema::Snapshot& to) {
  if (column.default_value && !sqlite::IsConstantDefault(*column.default_value)) return false;
  bool null_default =
      !column.default_value || sqlite::Lex(*column.default_value).front().IsKeyword("null");
  if (column.not_null && null_default) return false;
  for (const schema::PrimaryKey& key : to.primary_keys) {
    if (SameName(key.table, column.table) && Contains(key.columns, column.name)) return false;
  }
  for (const schema::UniqueConstraint& unique : to.unique_constraints) {
    if (SameName(unique.table, column.table) && Contains(unique.columns, column.name)) return false;
  }
  for (const schema::ForeignKey& key : to.foreign_keys) {
    if (SameName(key.table, column.table) && Contains(key.columns, column.name) && !null_default) {
      return false;
    }
  }
  if (const schema::Table* table = FindTable(to, column.table)) {
    if (auto text = sqlite::ColumnDefinitionText(table->sql, column.name)) {
      for (const sqlite::SqlToken& token : sqlite::Lex(*text)) {
        if (token.IsKeyword("primary") || token.IsKeyword("unique") ||
            token.IsKeyword("generated") || token.IsKeyword("as") || token.IsKeyword("check")) {
          return false;
        }
      }
    }
  }
  return true;
}

// ALTER TABLE DROP COLUMN refuses a column that is part of a key, an index,
// a foreign key, a check or a generated column, or that a view or trigger
// uses. Any mention of the name beyond its own definition counts: a rebuild
// where DROP COLUMN would have worked is only slower.
bool CanDropColumn(const schema::Column& column, const schema::Snapshot& from) {
  const schema::Table* table = FindTable(from, column.table);
  if (table == nullptr || table->sql.empty()) return false;
  int mentions = 0;
  for (const sqlite::SqlToken& token : sqlite::Lex(table->sql)) {
    if (token.IsName() && SameName(token.value, column.name)) ++mentions;
  }
  if (mentions != 1) return false;
  for (const schema::Index& index : from.indexes) {
    if (SameName(index.table, column.table) &&
        MentionsName(index.sql.empty() ? index.definition : index.sql, column.name)) {
      return false;
    }
  }
  for (const schema::ForeignKey& key : from.foreign_keys) {
    if (SameName(key.referenced_table, column.table) &&
        Contains(key.referenced_columns, column.name)) {
      return false;
    }
  }
  for (const schema::View& view : from.views) {
    if (MentionsName(sqlite::CreateViewSql(view), column.name)) return false;
  }
  for (const schema::Trigger& trigger : from.triggers) {
    if (MentionsName(sqlite::CreateTriggerSql(trigger), column.name)) return false;
  }
  int columns = 0;
  for (const schema::Column& c : from.columns) columns += SameName(c.table, column.table);
  return columns > 1;
}

bool NeedsRebuild(const Operation& operation, const schema::Snapshot& from,
                  const schema::Snapshot& to) {
  if (const auto* add = std::get_if<AddColumn>(&operation)) return !CanAddColumn(add->column, to);
  if (const auto* drop = std::get_if<DropColumn>(&operation)) {
    return !CanDropColumn(drop->column, from);
  }
  return std::holds_alternative<AlterColumn>(operation) ||
         std::holds_alternative<AddPrimaryKey>(operation) ||
         std::holds_alternative<DropPrimaryKey>(operation) ||
         std::holds_alternative<AddUniqueConstraint>(operation) ||
         std::holds_alternative<DropUniqueConstraint>(operation) ||
         std::holds_alternative<AddForeignKey>(operation) ||
         std::holds_alternative<DropForeignKey>(operation) ||
         std::holds_alternative<AddCheckConstraint>(operation) ||
         std::holds_alternative<DropCheckConstraint>(operation);
}

// `sql` with every identifier `from` replaced by `to`: what SQLite's own
// RENAME does to the views and triggers that refer to a renamed table.
std::string RenameIn(const std::string& sql, const std::string& from, const std::string& to) {
  std::string out = sql;
  std::vector<sqlite::SqlToken> tokens = sqlite::Lex(sql);
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    if (it->IsName() && SameName(it->value, from)) {
      out.replace(it->begin, it->end - it->begin, QuoteName(to));
    }
  }
  return out;
}

class SqliteRenderer {
 public:
  SqliteRenderer(const std::vector<Operation>& operations, const schema::Snapshot& from,
                 const schema::Snapshot& to)
      : operations_(operations), from_(from), to_(to) {}

  std::vector<RenderedStatement> Render() {
    for (const Operation& operation : operations_) {
      if (IsPostgresOnly(operation)) {
        throw Error(fmt::format("SQLite has no {}: this change only exists on PostgreSQL",
                                Describe(operation)));
      }
    }
    Plan();
    for (const schema::View& view : from_.views) views_[view.name] = sqlite::CreateViewSql(view);
    for (const schema::Trigger& trigger : from_.triggers) {
      triggers_[trigger.name] = {trigger.table, sqlite::CreateTriggerSql(trigger)};
    }
    // Views and triggers that go are dropped first, triggers before views
    // (a view takes its INSTEAD OF triggers along); new ones are created
    // last (Finish). SQLite keeps both as text that nothing else depends on,
    // but every ALTER TABLE RENAME and DROP COLUMN checks all of them and
    // refuses while one names something missing: a view that selects a
    // column of a view whose column a RENAME COLUMN just renamed, say.
    std::vector<bool> hoisted(operations_.size(), false);
    for (bool views : {false, true}) {
      for (size_t i = 0; i < operations_.size(); ++i) {
        if (views ? std::holds_alternative<DropView>(operations_[i])
                  : std::holds_alternative<DropTrigger>(operations_[i])) {
          EmitNative(operations_[i]);
          hoisted[i] = true;
        }
      }
    }
    for (size_t i = 0; i < operations_.size(); ++i) {
      for (const std::string& table : before_[i]) EmitRebuild(table);
      if (!absorbed_[i] && !hoisted[i]) EmitNative(operations_[i]);
      for (const std::string& table : after_[i]) EmitRebuild(table);
    }
    Finish();
    return std::move(out_);
  }

 private:
  // The name `to` knows a table by: operations may name a renamed table by
  // its old name.
  std::string Final(const std::string& table) const {
    auto renamed = renames_.find(table);
    if (renamed != renames_.end() && FindTable(to_, table) == nullptr) return renamed->second;
    return table;
  }

  // The name `from` knows a table by.
  std::string OldName(const std::string& table) const {
    if (FindTable(from_, table) != nullptr) return table;
    for (const auto& [old_table, new_table] : renames_) {
      if (new_table == table) return old_table;
    }
    return table;
  }

  // Which tables are rebuilt, which operations the rebuilds absorb, and where
  // each rebuild goes: at its table's first operation, or after the table's
  // rename when that comes later, so that the rebuild sees the table under
  // the name `to` gives it.
  void Plan() {
    for (const Operation& operation : operations_) {
      if (const auto* rename = std::get_if<RenameTable>(&operation)) {
        renames_[rename->from] = rename->to;
      }
    }
    // A table created from the CREATE text of `to` has its final shape at
    // once: later operations on it (a foreign key Compare deferred, say)
    // have nothing left to do.
    // Likewise a table that is dropped: a foreign key Compare drops from it
    // first (PostgreSQL needs that to break a cycle) goes with the table.
    for (const Operation& operation : operations_) {
      if (const auto* create = std::get_if<CreateTable>(&operation)) {
        const schema::Table* table = FindTable(to_, create->definition.table.name);
        if (table != nullptr && !table->sql.empty()) complete_.insert(table->name);
      }
      if (const auto* drop = std::get_if<DropTable>(&operation)) {
        complete_.insert(drop->definition.table.name);
      }
    }
    std::set<std::string> rebuilt;
    for (const Operation& operation : operations_) {
      std::optional<std::string> table = TableOf(operation);
      if (!table || complete_.contains(Final(*table))) continue;
      Operation as_before = operation;
      // Whether DROP COLUMN works depends on the table as `from` has it.
      if (auto* drop = std::get_if<DropColumn>(&as_before)) drop->column.table = OldName(*table);
      if (NeedsRebuild(as_before, from_, to_)) rebuilt.insert(Final(*table));
    }
    absorbed_.assign(operations_.size(), false);
    before_.assign(operations_.size(), {});
    after_.assign(operations_.size(), {});
    std::map<std::string, size_t> first, renamed_at;
    for (size_t i = 0; i < operations_.size(); ++i) {
      if (const auto* rename = std::get_if<RenameTable>(&operations_[i])) {
        renamed_at[rename->to] = i;
        continue;
      }
      std::optional<std::string> table = TableOf(operations_[i]);
      if (table && complete_.contains(Final(*table))) absorbed_[i] = true;
      if (!table || !rebuilt.contains(Final(*table))) continue;
      absorbed_[i] = true;
      rebuilds_[Final(*table)].push_back(i);
      first.emplace(Final(*table), i);
    }
    for (const auto& [table, index] : first) {
      auto rename = renamed_at.find(table);
      if (rename != renamed_at.end() && rename->second > index) {
        after_[rename->second].push_back(table);
      } else {
        before_[index].push_back(table);
      }
    }
  }

  void Add(std::string sql, std::string comment = "") {
    out_.push_back({Terminated(std::move(sql)), std::move(comment)});
  }

  std::string Comment(const Operation& operation) const {
    std::optional<std::string> reason = DestructiveReason(operation);
    return reason ? "DESTRUCTIVE: " + *reason : "";
  }

  void EmitNative(const Operation& operation) {
    std::string comment = Comment(operation);
    std::visit(
        Overloaded{
            [&](const CreateTable& op) { EmitCreateTable(op.definition); },
            [&](const DropTable& op) {
              Add("DROP TABLE " + QuoteName(op.definition.table.name), comment);
              dropped_tables_.push_back(op.definition.table.name);
              std::erase_if(triggers_, [&](const auto& entry) {
                return SameName(entry.second.first, op.definition.table.name);
              });
            },
            [&](const RenameTable& op) {
              Add(fmt::format("ALTER TABLE {} RENAME TO {}", QuoteName(op.from), QuoteName(op.to)));
              for (auto& [name, sql] : views_) sql = RenameIn(sql, op.from, op.to);
              for (auto& [name, trigger] : triggers_) {
                if (SameName(trigger.first, op.from)) trigger.first = op.to;
                trigger.second = RenameIn(trigger.second, op.from, op.to);
              }
            },
            [&](const AddColumn& op) {
              std::string definition = sqlite::ColumnSql(op.column);
              if (const schema::Table* table = FindTable(to_, Final(op.column.table))) {
                if (auto text = sqlite::ColumnDefinitionText(table->sql, op.column.name)) {
                  definition = *text;
                }
              }
              Add(fmt::format("ALTER TABLE {} ADD COLUMN {}", QuoteName(op.column.table),
                              definition),
                  comment);
            },
            [&](const DropColumn& op) {
              Add(fmt::format("ALTER TABLE {} DROP COLUMN {}", QuoteName(op.column.table),
                              QuoteName(op.column.name)),
                  comment);
            },
            [&](const RenameColumn& op) {
              Add(fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", QuoteName(op.table),
                              QuoteName(op.from), QuoteName(op.to)));
              for (auto& [name, sql] : views_) {
                if (MentionsName(sql, op.table)) sql = RenameIn(sql, op.from, op.to);
              }
              for (auto& [name, trigger] : triggers_) {
                if (MentionsName(trigger.second, op.table)) {
                  trigger.second = RenameIn(trigger.second, op.from, op.to);
                }
              }
            },
            [&](const CreateIndex& op) {
              if (created_.contains("index " + op.index.name)) return;
              new_indexes_.emplace_back(sqlite::CreateIndexSql(Latest(to_.indexes, op.index)),
                                        comment);
            },
            [&](const DropIndex& op) {
              if (Contains(dropped_tables_, op.index.table)) return;
              Add("DROP INDEX " + QuoteName(op.index.name), comment);
            },
            [&](const CreateView& op) {
              new_views_.emplace_back(sqlite::CreateViewSql(Latest(to_.views, op.view)), comment);
            },
            [&](const DropView& op) {
              Add("DROP VIEW " + QuoteName(op.view.name), comment);
              views_.erase(op.view.name);
            },
            [&](const CreateTrigger& op) {
              if (created_.contains("trigger " + op.trigger.name)) return;
              new_triggers_.push_back(sqlite::CreateTriggerSql(Latest(to_.triggers, op.trigger)));
            },
            [&](const DropTrigger& op) {
              if (Contains(dropped_tables_, op.trigger.table)) return;
              Add("DROP TRIGGER " + QuoteName(op.trigger.name), comment);
              triggers_.erase(op.trigger.name);
            },
            // Everything else on a table is absorbed by a rebuild (Plan);
            // PostgreSQL-only operations were refused up front.
            [&](const AlterColumn& op) { Unexpected(op); },
            [&](const AddPrimaryKey& op) { Unexpected(op); },
            [&](const DropPrimaryKey& op) { Unexpected(op); },
            [&](const AddUniqueConstraint& op) { Unexpected(op); },
            [&](const DropUniqueConstraint& op) { Unexpected(op); },
            [&](const AddForeignKey& op) { Unexpected(op); },
            [&](const DropForeignKey& op) { Unexpected(op); },
            [&](const AddCheckConstraint& op) { Unexpected(op); },
            [&](const DropCheckConstraint& op) { Unexpected(op); },
            [&](const CreateSequence& op) { Unexpected(op); },
            [&](const DropSequence& op) { Unexpected(op); },
            [&](const AlterSequence& op) { Unexpected(op); },
            [&](const CreateEnum& op) { Unexpected(op); },
            [&](const DropEnum& op) { Unexpected(op); },
            [&](const AlterEnum& op) { Unexpected(op); },
            [&](const SetTableComment& op) { Unexpected(op); },
            [&](const SetViewComment& op) { Unexpected(op); },
            [&](const RenameConstraint& op) { Unexpected(op); },
            [&](const RenameIndex& op) { Unexpected(op); },
            // PRAGMA user_version / application_id = N: a header write
            // that SQLite allows inside the revision's transaction (and
            // rolls back with it). The value is an integer SQLite printed.
            [&](const ObjectChange& op) {
              if (!IsPragma(op) || !op.to) Unexpected(op);
              Add(fmt::format("PRAGMA {} = {}", op.to->name, op.to->definition));
            },
            [&](const AlterTableOptions& op) { Unexpected(op); },
        },
        operation);
  }

  [[noreturn]] static void Unexpected(const Operation& operation) {
    throw Error(
        fmt::format("SQLite cannot render {} without a table rebuild", Describe(operation)));
  }

  // The object as the `to` snapshot has it (its CREATE text as written, under
  // the final names), else as the operation carries it.
  template <typename T>
  static const T& Latest(const std::vector<T>& objects, const T& object) {
    for (const T& candidate : objects) {
      if (candidate.name == object.name) return candidate;
    }
    return object;
  }

  void EmitCreateTable(const TableDefinition& definition) {
    std::string sql = definition.table.sql;
    if (const schema::Table* table = FindTable(to_, definition.table.name)) {
      if (!table->sql.empty()) sql = table->sql;
    }
    Add(sql.empty() ? sqlite::CreateTableSql(definition) : sql);
    // The table's indexes and triggers live and die with it (operation.h);
    // a table in its final shape gets the final ones.
    TableDefinition objects = definition;
    if (complete_.contains(definition.table.name)) {
      objects = sqlite::DefinitionOf(to_, definition.table.name);
    }
    for (const schema::Index& index : objects.indexes) {
      Add(sqlite::CreateIndexSql(Latest(to_.indexes, index)));
      created_.insert("index " + index.name);
    }
    for (const schema::Trigger& trigger : objects.triggers) {
      new_triggers_.push_back(sqlite::CreateTriggerSql(Latest(to_.triggers, trigger)));
      created_.insert("trigger " + trigger.name);
    }
  }

  void EmitRebuild(const std::string& table) {
    sqlite::Rebuild rebuild;
    rebuild.table = table;
    rebuild.target = sqlite::DefinitionOf(to_, table);
    if (rebuild.target.columns.empty()) {
      throw Error(
          fmt::format("Cannot rebuild table '{}': the target schema has no such table", table));
    }
    rebuild.target_sql = rebuild.target.table.sql;

    // The table's columns now: `from`'s, under its old name if renamed.
    std::string old_name = OldName(table);
    std::vector<std::string> old_columns;
    for (const schema::Column& column : sqlite::DefinitionOf(from_, old_name).columns) {
      old_columns.push_back(column.name);
    }
    std::map<std::string, std::string> renamed_from;  // new column -> old column
    std::vector<std::string> renamed_away;
    for (size_t i : rebuilds_[table]) {
      const Operation& operation = operations_[i];
      if (const auto* rename = std::get_if<RenameColumn>(&operation)) {
        renamed_from[rename->to] = rename->from;
        renamed_away.push_back(rename->from);
      }
      if (std::optional<std::string> reason = DestructiveReason(operation)) {
        rebuild.destructive_reasons.push_back(*reason);
      }
    }
    for (const schema::Column& column : rebuild.target.columns) {
      auto renamed = renamed_from.find(column.name);
      if (renamed != renamed_from.end() && Contains(old_columns, renamed->second)) {
        rebuild.copied_columns.emplace_back(column.name, renamed->second);
      } else if (Contains(old_columns, column.name) && !Contains(renamed_away, column.name)) {
        rebuild.copied_columns.emplace_back(column.name, column.name);
      }
    }

    FindDependents(rebuild);
    EmitForeignKeyPreamble(table, old_name);
    // The table's new triggers come at the end of the script (see Finish).
    for (const schema::Trigger& trigger : rebuild.target.triggers) {
      new_triggers_.push_back(sqlite::CreateTriggerSql(trigger));
    }
    rebuild.target.triggers.clear();
    for (RenderedStatement& statement : sqlite::RenderRebuild(rebuild)) {
      out_.push_back(std::move(statement));
    }
    // The old table's triggers went with it.
    std::erase_if(triggers_,
                  [&](const auto& entry) { return SameName(entry.second.first, table); });
  }

  // New indexes, views and triggers are created last, from the `to`
  // snapshot, under the final names; views before triggers (an INSTEAD OF
  // trigger needs its view). They are only text to SQLite, which does not
  // look into them when they are created, but every later ALTER TABLE
  // RENAME or DROP COLUMN checks every view and trigger of the schema and
  // refuses while one names a table or column that does not exist yet: a
  // trigger naming a table created further down, or the old view a
  // downgrade restores before renaming its table back.
  void Finish() {
    for (auto& [sql, comment] : new_indexes_) Add(sql, comment);
    for (auto& [sql, comment] : new_views_) Add(sql, comment);
    for (const std::string& sql : new_triggers_) Add(sql);
  }

  // The views that name the table, the views that name those, and the
  // triggers of other tables (or of those views) that name any of them; views
  // in an order that creates each after the views it selects from.
  void FindDependents(sqlite::Rebuild& rebuild) const {
    std::vector<std::string> names = {rebuild.table};
    std::vector<std::pair<std::string, std::string>> views;
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [name, sql] : views_) {
        if (Contains(names, name)) continue;
        if (std::any_of(names.begin(), names.end(),
                        [&sql = sql](const std::string& n) { return MentionsName(sql, n); })) {
          views.emplace_back(name, sql);
          names.push_back(name);
          grew = true;
        }
      }
    }
    while (!views.empty()) {
      auto ready = std::find_if(views.begin(), views.end(), [&](const auto& view) {
        return std::none_of(views.begin(), views.end(), [&](const auto& other) {
          return other.first != view.first && MentionsName(view.second, other.first);
        });
      });
      if (ready == views.end()) ready = views.begin();
      rebuild.dependent_views.push_back(*ready);
      views.erase(ready);
    }
    for (const auto& [name, trigger] : triggers_) {
      if (SameName(trigger.first, rebuild.table)) continue;
      if (Contains(names, trigger.first) ||
          std::any_of(names.begin(), names.end(), [&trigger = trigger](const std::string& n) {
            return MentionsName(trigger.second, n);
          })) {
        rebuild.dependent_triggers.emplace_back(name, trigger.second);
      }
    }
  }

  // See the file comment: what keeps a rebuild of a referenced table safe
  // should PRAGMA foreign_keys be on.
  void EmitForeignKeyPreamble(const std::string& table, const std::string& old_name) {
    if (guarded_) return;
    const schema::ForeignKey* child = nullptr;
    for (const schema::Snapshot* snapshot : {&from_, &to_}) {
      for (const schema::ForeignKey& key : snapshot->foreign_keys) {
        bool parent =
            SameName(key.referenced_table, old_name) || SameName(key.referenced_table, table);
        bool self = SameName(key.table, old_name) || SameName(key.table, table);
        if (parent && !self && (child == nullptr || child->on_delete == "NO ACTION")) {
          child = &key;
        }
      }
    }
    if (child == nullptr) return;
    guarded_ = true;
    std::string consequence =
        child->on_delete == "NO ACTION"
            ? fmt::format("break the foreign key of {}", child->table)
            : fmt::format("run ON DELETE {} on {}", child->on_delete, child->table);
    std::string why =
        fmt::format("rebuilding {} needs PRAGMA foreign_keys = OFF: dropping the old {} would {}",
                    table, table, consequence);
    const char* guard = "_retort_rebuild_guard";
    Add(fmt::format(
        "CREATE TEMP TABLE {} (foreign_keys INTEGER CONSTRAINT {} CHECK (foreign_keys = 0))", guard,
        QuoteName(why)));
    Add(fmt::format("INSERT INTO temp.{} SELECT foreign_keys FROM pragma_foreign_keys", guard));
    Add(fmt::format("DROP TABLE temp.{}", guard));
  }

  const std::vector<Operation>& operations_;
  const schema::Snapshot& from_;
  const schema::Snapshot& to_;

  std::map<std::string, std::string> renames_;  // old table -> new table
  std::vector<bool> absorbed_;
  std::vector<std::vector<std::string>> before_, after_;  // rebuilds placed around operation i
  std::map<std::string, std::vector<size_t>> rebuilds_;   // table -> its absorbed operations

  // What exists as the statements run, for the rebuilds' dependents.
  std::map<std::string, std::string> views_;                             // name -> CREATE
  std::map<std::string, std::pair<std::string, std::string>> triggers_;  // name -> table, CREATE
  std::vector<std::string> dropped_tables_;
  std::set<std::string> created_;
  // Tables created in their final shape, or dropped: nothing else to do.
  std::set<std::string> complete_;
  std::vector<std::pair<std::string, std::string>> new_indexes_;  // CREATE, comment
  std::vector<std::pair<std::string, std::string>> new_views_;    // CREATE, comment
  std::vector<std::string> new_triggers_;
  bool guarded_ = false;

  std::vector<RenderedStatement> out_;
};

}  // namespace

std::vector<RenderedStatement> RenderSqlite(const std::vector<Operation>& operations,
                                            const schema::Snapshot& from,
                                            const schema::Snapshot& to) {
  return SqliteRenderer(operations, from, to).Render();
}

}  // namespace retort::autogen
