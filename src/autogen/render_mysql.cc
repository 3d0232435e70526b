// MySQL and MariaDB: one statement per operation, names in backticks,
// types, defaults and definitions as the server wrote them in the snapshot
// (see schema/mysql_snapshot.cc for how a column's attributes are carried),
// so what is rendered inspects back identical. A column change is one
// `MODIFY COLUMN` with the whole new definition (MySQL forgets whatever
// MODIFY does not repeat). Columns are added at the end of the table (no
// AFTER), which keeps ADD COLUMN instant on MySQL 8 and MariaDB; column
// order is not compared.
//
// Triggers, stored procedures and functions, events and partitioning are
// inspected and compared (schema/mysql_snapshot.cc, kinds "mysql trigger",
// ...) but not rendered: each change is a "-- NOT RENDERED:" comment naming
// the object with its declared and current definitions, for a person to
// write by hand (autogenerate warns, `check` fails while they differ).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "autogen/render.h"
#include "retort/error.h"

namespace retort::autogen {
namespace {

std::string Name(const std::string& name) {
  // "other_db.t" (a foreign key into another database) quotes each part.
  size_t dot = name.find('.');
  if (dot != std::string::npos) return Name(name.substr(0, dot)) + "." + Name(name.substr(dot + 1));
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

// A string literal as MySQL reads it by default (a backslash escapes).
std::string Literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string Columns(const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  for (const auto& c : columns) quoted.push_back(Name(c));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A column's definition after its name: data type (with character set and
// collation), NULL/NOT NULL, DEFAULT or generation, ON UPDATE,
// AUTO_INCREMENT, COMMENT.
std::string ColumnDefinition(const schema::Column& c) {
  std::string type = c.type;
  std::string extras;
  if (EndsWith(type, " AUTO_INCREMENT")) {
    type.resize(type.size() - 15);
    extras = " AUTO_INCREMENT";
  }
  size_t on_update = type.rfind(" ON UPDATE ");
  if (on_update != std::string::npos) {
    extras = type.substr(on_update) + extras;
    type.resize(on_update);
  }
  std::string out = Name(c.name) + " " + type;
  bool generated = c.default_value && c.default_value->rfind("GENERATED ALWAYS AS (", 0) == 0;
  if (generated) {
    out += " " + *c.default_value;
    if (c.not_null) out += " NOT NULL";
  } else {
    // NULL said out loud: a TIMESTAMP column would otherwise be NOT NULL
    // where explicit_defaults_for_timestamp is off.
    out += c.not_null ? " NOT NULL" : " NULL";
    if (c.default_value) out += " DEFAULT " + *c.default_value;
  }
  out += extras;
  if (c.comment) out += " COMMENT " + Literal(*c.comment);
  return out;
}

std::string IndexKind(const schema::Index& i, std::string* columns) {
  for (const char* kind : {"FULLTEXT ", "SPATIAL "}) {
    if (i.definition.rfind(kind, 0) == 0) {
      *columns = i.definition.substr(std::string(kind).size());
      return kind;
    }
  }
  *columns = i.definition;
  return i.unique ? "UNIQUE " : "";
}

std::string InlineIndex(const schema::Index& i) {
  std::string columns;
  std::string kind = IndexKind(i, &columns);
  return fmt::format("{}KEY {} {}", kind, Name(i.name), columns);
}

std::string IndexSql(const schema::Index& i) {
  std::string columns;
  std::string kind = IndexKind(i, &columns);
  return fmt::format("CREATE {}INDEX {} ON {} {};", kind, Name(i.name), Name(i.table), columns);
}

std::string ForeignKeyClause(const schema::ForeignKey& f) {
  std::string out =
      fmt::format("CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})", Name(f.name),
                  Columns(f.columns), Name(f.referenced_table), Columns(f.referenced_columns));
  if (f.on_delete != "NO ACTION" && f.on_delete != "RESTRICT") out += " ON DELETE " + f.on_delete;
  if (f.on_update != "NO ACTION" && f.on_update != "RESTRICT") out += " ON UPDATE " + f.on_update;
  return out;
}

std::string CheckClause(const schema::CheckConstraint& c) {
  std::string named = c.name.empty() ? "" : "CONSTRAINT " + Name(c.name) + " ";
  return named + "CHECK (" + c.expression + ")";
}

std::string ViewBody(const std::string& definition) {
  std::string body = definition;
  while (!body.empty() &&
         (body.back() == ';' || std::isspace(static_cast<unsigned char>(body.back()))))
    body.pop_back();
  size_t start = body.find_first_not_of(" \n\t");
  return start == std::string::npos ? body : body.substr(start);
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

using Sql = std::vector<std::string>;

std::string Alter(const std::string& table, const std::string& action) {
  return fmt::format("ALTER TABLE {} {};", Name(table), action);
}

Sql CreateTableSql(const TableDefinition& d) {
  std::vector<std::string> lines;
  for (const auto& c : d.columns) lines.push_back(ColumnDefinition(c));
  if (d.primary_key) lines.push_back("PRIMARY KEY (" + Columns(d.primary_key->columns) + ")");
  for (const auto& u : d.unique_constraints) {
    lines.push_back(fmt::format("CONSTRAINT {} UNIQUE ({})", Name(u.name), Columns(u.columns)));
  }
  // Indexes inline: a foreign key below uses the index of its columns
  // rather than making one of its own.
  for (const auto& i : d.indexes) lines.push_back(InlineIndex(i));
  for (const auto& c : d.checks) lines.push_back(CheckClause(c));
  for (const auto& f : d.foreign_keys) lines.push_back(ForeignKeyClause(f));
  std::string sql =
      fmt::format("CREATE TABLE {} (\n    {}\n)", Name(d.table.name), fmt::join(lines, ",\n    "));
  if (d.table.comment) sql += " COMMENT=" + Literal(*d.table.comment);
  Sql out = {sql + ";"};
  for (const auto& t : d.triggers) out.push_back(ViewBody(t.definition) + ";");
  return out;
}

std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

// A comment line (and the definitions on both sides) in place of SQL.
Sql NotRendered(const ObjectChange& change) {
  const schema::SchemaObject& o = change.to ? *change.to : *change.from;
  std::string what = !change.from ? "added" : !change.to ? "removed" : "changed";
  std::string line = fmt::format(
      "-- NOT RENDERED: {} {} '{}': retort cannot render {} objects; write this step "
      "by hand.",
      what, o.kind, OneLine(o.name), o.kind);
  if (change.to) line += "\n--   declared: " + OneLine(change.to->definition);
  if (change.from) line += "\n--   was: " + OneLine(change.from->definition);
  return {line};
}

[[noreturn]] void NotOnMysql(const std::string& what) {
  throw Error(fmt::format("Cannot render {} for MySQL: MySQL has no such object", what));
}

Sql Statements(const Operation& op) {
  return std::visit(
      Overloaded{
          [&](const CreateTable& o) { return CreateTableSql(o.definition); },
          [&](const DropTable& o) -> Sql {
            return {"DROP TABLE " + Name(o.definition.table.name) + ";"};
          },
          [&](const RenameTable& o) -> Sql {
            return {fmt::format("RENAME TABLE {} TO {};", Name(o.from), Name(o.to))};
          },
          [&](const AddColumn& o) -> Sql {
            return {Alter(o.column.table, "ADD COLUMN " + ColumnDefinition(o.column))};
          },
          [&](const DropColumn& o) -> Sql {
            return {Alter(o.column.table, "DROP COLUMN " + Name(o.column.name))};
          },
          [&](const RenameColumn& o) -> Sql {
            return {
                Alter(o.table, fmt::format("RENAME COLUMN {} TO {}", Name(o.from), Name(o.to)))};
          },
          [&](const AlterColumn& o) -> Sql {
            return {Alter(o.to.table, "MODIFY COLUMN " + ColumnDefinition(o.to))};
          },
          [&](const AddPrimaryKey& o) -> Sql {
            return {Alter(o.key.table, "ADD PRIMARY KEY (" + Columns(o.key.columns) + ")")};
          },
          [&](const DropPrimaryKey& o) -> Sql { return {Alter(o.key.table, "DROP PRIMARY KEY")}; },
          [&](const AddUniqueConstraint& o) -> Sql {
            return {Alter(o.constraint.table,
                          fmt::format("ADD CONSTRAINT {} UNIQUE ({})", Name(o.constraint.name),
                                      Columns(o.constraint.columns)))};
          },
          [&](const DropUniqueConstraint& o) -> Sql {
            return {Alter(o.constraint.table, "DROP INDEX " + Name(o.constraint.name))};
          },
          [&](const AddForeignKey& o) -> Sql {
            return {Alter(o.key.table, "ADD " + ForeignKeyClause(o.key))};
          },
          [&](const DropForeignKey& o) -> Sql {
            return {Alter(o.key.table, "DROP FOREIGN KEY " + Name(o.key.name))};
          },
          [&](const AddCheckConstraint& o) -> Sql {
            return {Alter(o.check.table, "ADD " + CheckClause(o.check))};
          },
          [&](const DropCheckConstraint& o) -> Sql {
            return {Alter(o.check.table, "DROP CONSTRAINT " + Name(o.check.name))};
          },
          [&](const CreateIndex& o) -> Sql { return {IndexSql(o.index)}; },
          [&](const DropIndex& o) -> Sql {
            return {fmt::format("DROP INDEX {} ON {};", Name(o.index.name), Name(o.index.table))};
          },
          [&](const CreateView& o) -> Sql {
            return {fmt::format("CREATE VIEW {} AS\n{};", Name(o.view.name),
                                ViewBody(o.view.definition))};
          },
          [&](const DropView& o) -> Sql { return {"DROP VIEW " + Name(o.view.name) + ";"}; },
          [&](const CreateTrigger& o) -> Sql { return {ViewBody(o.trigger.definition) + ";"}; },
          [&](const DropTrigger& o) -> Sql {
            return {"DROP TRIGGER " + Name(o.trigger.name) + ";"};
          },
          [&](const CreateSequence&) -> Sql { NotOnMysql("a sequence"); },
          [&](const DropSequence&) -> Sql { NotOnMysql("a sequence"); },
          [&](const AlterSequence&) -> Sql { NotOnMysql("a sequence"); },
          [&](const CreateEnum&) -> Sql { NotOnMysql("an enum type (MySQL's ENUM is inline)"); },
          [&](const DropEnum&) -> Sql { NotOnMysql("an enum type (MySQL's ENUM is inline)"); },
          [&](const AlterEnum&) -> Sql { NotOnMysql("an enum type (MySQL's ENUM is inline)"); },
          [&](const SetTableComment& o) -> Sql {
            return {Alter(o.table, "COMMENT = " + Literal(o.to.value_or("")))};
          },
          [&](const SetViewComment&) -> Sql { NotOnMysql("a view comment"); },
          [&](const RenameConstraint&) -> Sql { NotOnMysql("a constraint rename"); },
          [&](const RenameIndex& o) -> Sql {
            return {Alter(o.table, fmt::format("RENAME INDEX {} TO {}", Name(o.from), Name(o.to)))};
          },
          [&](const ObjectChange& o) -> Sql {
            const schema::SchemaObject& object = o.to ? *o.to : *o.from;
            // PostgreSQL's renderable kinds never come from a MySQL snapshot.
            if (RendersObjectKind(object.kind)) NotOnMysql("a PostgreSQL " + object.kind);
            return NotRendered(o);
          },
          [&](const AlterTableOptions&) -> Sql { NotOnMysql("PostgreSQL table options"); },
      },
      op);
}

}  // namespace

std::vector<RenderedStatement> RenderMysql(const std::vector<Operation>& operations,
                                           const schema::Snapshot& from,
                                           const schema::Snapshot& to) {
  // Every operation carries the state it needs.
  (void)from;
  (void)to;
  std::vector<RenderedStatement> out;
  for (const Operation& op : operations) {
    std::optional<std::string> reason = DestructiveReason(op);
    bool first = true;
    for (std::string& sql : Statements(op)) {
      RenderedStatement statement{.sql = std::move(sql), .comment = {}};
      if (first && reason) statement.comment = "DESTRUCTIVE: " + *reason;
      first = false;
      out.push_back(std::move(statement));
    }
  }
  return out;
}

}  // namespace retort::autogen
