// PostgreSQL: one or a few statements per operation, ALTER TABLE for every
// change to a table. Names are quoted only when PostgreSQL would; types,
// defaults and definitions are the server's own deparsed text from the
// snapshot, so what is rendered inspects back identical.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autogen/render.h"
#include "autogen/render_postgresql_objects.h"
#include "autogen/sql_text.h"

namespace retort::autogen {
namespace {

std::string Unqualified(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::string Columns(const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  for (const auto& c : columns) quoted.push_back(QuoteName(c));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

bool IsIdentity(const std::optional<std::string>& default_value) {
  return default_value && default_value->rfind("GENERATED ", 0) == 0 &&
         default_value->find("AS IDENTITY") != std::string::npos;
}

bool IsGenerated(const std::optional<std::string>& default_value) {
  return default_value && default_value->rfind("GENERATED ALWAYS AS (", 0) == 0;
}

// The sequences of one snapshot by owning column, and its columns, indexed
// once per render (a schema may have thousands of serial columns).
class Owners {
 public:
  explicit Owners(const schema::Snapshot& side) {
    for (const auto& s : side.sequences) {
      if (s.owner.empty()) continue;
      size_t dot = s.owner.rfind('.');
      sequences_[s.owner.substr(0, dot)].emplace_back(s.owner.substr(dot + 1), &s);
    }
    for (const auto& c : side.columns) columns_[{c.table, c.name}] = &c;
  }

  // Sequences owned by `column` of `table`, or by any of its columns when
  // `column` is empty.
  std::vector<const schema::Sequence*> Sequences(const std::string& table,
                                                 const std::string& column) const {
    std::vector<const schema::Sequence*> out;
    auto found = sequences_.find(table);
    if (found == sequences_.end()) return out;
    for (const auto& [owner, sequence] : found->second) {
      if (column.empty() || owner == column) out.push_back(sequence);
    }
    return out;
  }

  const schema::Column* Column(const std::string& table, const std::string& column) const {
    auto found = columns_.find({table, column});
    return found == columns_.end() ? nullptr : found->second;
  }

 private:
  std::map<std::string, std::vector<std::pair<std::string, const schema::Sequence*>>> sequences_;
  std::map<std::pair<std::string, std::string>, const schema::Column*> columns_;
};

// Every option, for ALTER SEQUENCE (which keeps what it is not told).
std::string SequenceOptions(const schema::Sequence& s) {
  return fmt::format("AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} {}", s.type,
                     s.increment, s.min, s.max, s.start, s.cycle ? "CYCLE" : "NO CYCLE");
}

long long TypeMax(const std::string& type) {
  if (type == "smallint") return 32767;
  if (type == "integer") return 2147483647;
  if (type == "bigint") return 9223372036854775807LL;
  return 0;
}

// The options CREATE SEQUENCE would not pick on its own, with a leading
// space, or nothing.
std::string CreateSequenceOptions(const schema::Sequence& s) {
  std::vector<std::string> parts;
  bool ascending = s.increment > 0;
  bool bounds = !ascending || s.min != 1 || s.max != TypeMax(s.type);
  if (s.type != "bigint") parts.push_back("AS " + s.type);
  if (s.increment != 1) parts.push_back(fmt::format("INCREMENT BY {}", s.increment));
  if (bounds) parts.push_back(fmt::format("MINVALUE {} MAXVALUE {}", s.min, s.max));
  if (s.start != (ascending ? s.min : s.max))
    parts.push_back(fmt::format("START WITH {}", s.start));
  if (s.cycle) parts.push_back("CYCLE");
  return parts.empty() ? "" : fmt::format(" {}", fmt::join(parts, " "));
}

std::string CreateSequenceSql(const schema::Sequence& s) {
  return fmt::format("CREATE SEQUENCE {}{};", QuoteName(s.name), CreateSequenceOptions(s));
}

// The sequence of a column that `serial` would have made exactly (its
// name, type, options and default), or nullptr: such a column is rendered
// as serial, which creates and owns the sequence.
const schema::Sequence* SerialSequence(const schema::Column& c, const Owners& side) {
  if (TypeMax(c.type) == 0 || !c.not_null || !c.default_value) return nullptr;
  for (const auto* s : side.Sequences(c.table, c.name)) {
    if (Unqualified(s->name) != Unqualified(c.table) + "_" + c.name + "_seq") continue;
    if (*c.default_value != "nextval('" + QuoteName(s->name) + "'::regclass)") continue;
    if (s->type == c.type && s->increment == 1 && s->min == 1 && s->max == TypeMax(c.type) &&
        s->start == 1 && !s->cycle) {
      return s;
    }
  }
  return nullptr;
}

std::string ColumnDefinition(const schema::Column& c, const Owners& side) {
  if (SerialSequence(c, side)) {
    return QuoteName(c.name) + (c.type == "smallint"  ? " smallserial"
                                : c.type == "integer" ? " serial"
                                                      : " bigserial");
  }
  std::string out = QuoteName(c.name) + " " + c.type;
  if (IsIdentity(c.default_value)) {
    out += " " + *c.default_value;
    // Only when the sequence is not the one PostgreSQL would name.
    for (const auto* s : side.Sequences(c.table, c.name)) {
      if (Unqualified(s->name) != Unqualified(c.table) + "_" + c.name + "_seq") {
        out += " (SEQUENCE NAME " + QuoteName(s->name) + ")";
      }
    }
  } else if (IsGenerated(c.default_value)) {
    out += " " + ReparsableDefinition(*c.default_value);
  } else if (c.default_value) {
    out += " DEFAULT " + ReparsableDefinition(*c.default_value);
  }
  if (c.not_null && !IsIdentity(c.default_value)) out += " NOT NULL";
  return out;
}

// The kind of value a type holds, for types PostgreSQL converts between
// by assignment ("" for any other).
std::string Family(const std::string& type) {
  for (const char* text : {"text", "character varying", "character", "varchar", "char"}) {
    if (type == text || type.rfind(std::string(text) + "(", 0) == 0) return "text";
  }
  for (const char* number :
       {"smallint", "integer", "bigint", "numeric", "real", "double precision"}) {
    if (type == number || type.rfind(std::string(number) + "(", 0) == 0) return "number";
  }
  return "";
}

bool SameFamily(const std::string& a, const std::string& b) {
  return !Family(a).empty() && Family(a) == Family(b);
}

std::string ForeignKeyClause(const schema::ForeignKey& f) {
  std::string out = fmt::format("FOREIGN KEY ({}) REFERENCES {} ({})", Columns(f.columns),
                                QuoteName(f.referenced_table), Columns(f.referenced_columns));
  if (f.on_delete != "NO ACTION") out += " ON DELETE " + f.on_delete;
  if (f.on_update != "NO ACTION") out += " ON UPDATE " + f.on_update;
  if (f.deferrable) out += " DEFERRABLE";
  if (f.initially_deferred) out += " INITIALLY DEFERRED";
  return out;
}

bool IsNotValid(const std::string& definition) {
  constexpr std::string_view kNotValid = " NOT VALID";
  return definition.size() > kNotValid.size() &&
         definition.compare(definition.size() - kNotValid.size(), kNotValid.size(), kNotValid) == 0;
}

std::string Named(const std::string& name) {
  return name.empty() ? std::string() : "CONSTRAINT " + QuoteName(Unqualified(name)) + " ";
}

std::string IndexSql(const schema::Index& i) {
  return fmt::format("CREATE {}INDEX {} ON {} {};", i.unique ? "UNIQUE " : "",
                     QuoteName(Unqualified(i.name)), QuoteName(i.table),
                     ReparsableDefinition(i.definition));
}

std::string ViewBody(const std::string& definition) {
  std::string body = definition;
  while (!body.empty() &&
         (body.back() == ';' || std::isspace(static_cast<unsigned char>(body.back()))))
    body.pop_back();
  size_t start = body.find_first_not_of(" \n\t");
  return start == std::string::npos ? body : body.substr(start);
}

std::string CommentOn(const std::string& what, const std::optional<std::string>& comment) {
  return fmt::format("COMMENT ON {} IS {};", what, comment ? QuoteLiteral(*comment) : "NULL");
}

// What COMMENT ON names a view as: a materialized view is not a VIEW.
std::string ViewKeyword(bool materialized) { return materialized ? "MATERIALIZED VIEW " : "VIEW "; }

std::string ColumnRef(const std::string& table, const std::string& column) {
  return QuoteName(table) + "." + QuoteName(column);
}

// The sequence `nextval('name'::regclass)` calls, as regclass prints it.
std::optional<std::string> NextvalSequence(const std::optional<std::string>& default_value) {
  constexpr std::string_view kStart = "nextval('", kEnd = "'::regclass)";
  if (!default_value || default_value->rfind(kStart, 0) != 0 ||
      default_value->size() <= kStart.size() + kEnd.size() ||
      default_value->compare(default_value->size() - kEnd.size(), kEnd.size(), kEnd) != 0)
    return std::nullopt;
  std::string name =
      default_value->substr(kStart.size(), default_value->size() - kStart.size() - kEnd.size());
  if (name.find_first_of("'\"") != std::string::npos) return std::nullopt;
  return name;
}

// The sequence behind a serial or identity column, found when it runs.
std::string PgGetSerial(const std::string& table, const std::string& column) {
  return fmt::format("pg_get_serial_sequence({}, {})", QuoteLiteral(QuoteName(table)),
                     QuoteLiteral(column));
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

class PostgresRenderer {
 public:
  // `to` is what the operations lead to: the owned sequences of created
  // tables and columns are looked up there.
  explicit PostgresRenderer(const schema::Snapshot& to) : owners_(to) {}

  // The enum change as a rebuild of the type, even where ADD VALUE would do.
  static std::vector<std::string> RebuiltEnum(const AlterEnum& o) {
    return AlterEnumSql(o.from, o.to, true);
  }

  std::vector<std::string> Statements(const Operation& op) {
    return std::visit(
        Overloaded{
            [&](const CreateTable& o) { return CreateTableSql(o.definition); },
            [&](const DropTable& o) -> Sql {
              // Owned sequences, indexes and triggers go with the table.
              return {"DROP TABLE " + QuoteName(o.definition.table.name) + ";"};
            },
            [&](const RenameTable& o) -> Sql {
              return {fmt::format("ALTER TABLE {} RENAME TO {};", QuoteName(o.from),
                                  QuoteName(Unqualified(o.to)))};
            },
            [&](const AddColumn& o) { return AddColumnSql(o.column); },
            [&](const DropColumn& o) -> Sql {
              return {fmt::format("ALTER TABLE {} DROP COLUMN {};", QuoteName(o.column.table),
                                  QuoteName(o.column.name))};
            },
            [&](const RenameColumn& o) -> Sql {
              return {fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {};", QuoteName(o.table),
                                  QuoteName(o.from), QuoteName(o.to))};
            },
            [&](const AlterColumn& o) { return AlterColumnSql(o.from, o.to); },
            [&](const AddPrimaryKey& o) -> Sql {
              return {fmt::format("ALTER TABLE {} ADD {}PRIMARY KEY ({});", QuoteName(o.key.table),
                                  Named(o.key.name), Columns(o.key.columns))};
            },
            [&](const DropPrimaryKey& o) -> Sql {
              return {DropConstraint(o.key.table, o.key.name)};
            },
            [&](const AddUniqueConstraint& o) -> Sql {
              return {fmt::format("ALTER TABLE {} ADD {}UNIQUE ({});",
                                  QuoteName(o.constraint.table), Named(o.constraint.name),
                                  Columns(o.constraint.columns))};
            },
            [&](const DropUniqueConstraint& o) -> Sql {
              return {DropConstraint(o.constraint.table, o.constraint.name)};
            },
            [&](const AddForeignKey& o) -> Sql {
              return {fmt::format("ALTER TABLE {} ADD {}{}{};", QuoteName(o.key.table),
                                  Named(o.key.name), ForeignKeyClause(o.key),
                                  o.key.valid ? "" : " NOT VALID")};
            },
            [&](const DropForeignKey& o) -> Sql {
              return {DropConstraint(o.key.table, o.key.name)};
            },
            [&](const AddCheckConstraint& o) -> Sql {
              return {fmt::format("ALTER TABLE {} ADD {}{};", QuoteName(o.check.table),
                                  Named(o.check.name), ReparsableDefinition(o.check.expression))};
            },
            [&](const DropCheckConstraint& o) -> Sql {
              return {DropConstraint(o.check.table, o.check.name)};
            },
            [&](const CreateIndex& o) -> Sql { return {IndexSql(o.index)}; },
            [&](const DropIndex& o) -> Sql {
              return {"DROP INDEX " + QuoteName(o.index.name) + ";"};
            },
            [&](const CreateView& o) {
              // WITH (...): check_option and security_barrier of a view,
              // storage parameters of a materialized view.
              Sql sql = {
                  fmt::format("CREATE {}VIEW {}{} AS\n{}{};",
                              o.view.materialized ? "MATERIALIZED " : "", QuoteName(o.view.name),
                              o.view.options.empty() ? "" : " WITH (" + o.view.options + ")",
                              ReparsableDefinition(ViewBody(o.view.definition)),
                              o.view.materialized && o.view.with_no_data ? "\nWITH NO DATA" : "")};
              if (o.view.comment) {
                sql.push_back(CommentOn(ViewKeyword(o.view.materialized) + QuoteName(o.view.name),
                                        o.view.comment));
              }
              return sql;
            },
            [&](const DropView& o) -> Sql {
              return {fmt::format("DROP {}VIEW {};", o.view.materialized ? "MATERIALIZED " : "",
                                  QuoteName(o.view.name))};
            },
            [&](const CreateTrigger& o) -> Sql {
              return {ReparsableDefinition(ViewBody(o.trigger.definition)) + ";"};
            },
            [&](const DropTrigger& o) -> Sql {
              return {fmt::format("DROP TRIGGER {} ON {};", QuoteName(o.trigger.name),
                                  QuoteName(o.trigger.table))};
            },
            [&](const CreateSequence& o) {
              Sql sql = {CreateSequenceSql(o.sequence)};
              if (!o.sequence.owner.empty()) sql.push_back(OwnedBy(o.sequence));
              return sql;
            },
            [&](const DropSequence& o) -> Sql {
              return {"DROP SEQUENCE " + QuoteName(o.sequence.name) + ";"};
            },
            [&](const AlterSequence& o) {
              Sql sql;
              if (o.from.name != o.to.name) {
                sql.push_back(fmt::format("ALTER SEQUENCE {} RENAME TO {};", QuoteName(o.from.name),
                                          QuoteName(Unqualified(o.to.name))));
              }
              schema::Sequence renamed = o.from;
              renamed.name = o.to.name;
              if (!(renamed == o.to)) {
                sql.push_back(fmt::format("ALTER SEQUENCE {} {};", QuoteName(o.to.name),
                                          SequenceOptions(o.to)));
              }
              return sql;
            },
            [&](const CreateEnum& o) -> Sql { return {CreateEnumSql(o.type)}; },
            [&](const DropEnum& o) -> Sql { return {"DROP TYPE " + QuoteName(o.type.name) + ";"}; },
            [&](const AlterEnum& o) { return AlterEnumSql(o.from, o.to); },
            [&](const SetTableComment& o) -> Sql {
              return {CommentOn("TABLE " + QuoteName(o.table), o.to)};
            },
            [&](const SetViewComment& o) -> Sql {
              return {CommentOn(ViewKeyword(o.materialized) + QuoteName(o.view), o.to)};
            },
            [&](const RenameConstraint& o) -> Sql {
              return {fmt::format("ALTER TABLE {} RENAME CONSTRAINT {} TO {};", QuoteName(o.table),
                                  QuoteName(Unqualified(o.from)), QuoteName(Unqualified(o.to)))};
            },
            [&](const RenameIndex& o) -> Sql {
              return {fmt::format("ALTER INDEX {} RENAME TO {};", QuoteName(o.from),
                                  QuoteName(Unqualified(o.to)))};
            },
            [&](const ObjectChange& o) { return ObjectChangeSql(o); },
            [&](const AlterTableOptions& o) { return TableOptionsSql(o.from, o.to); },
        },
        op);
  }

 private:
  using Sql = std::vector<std::string>;

  static std::string DropConstraint(const std::string& table, const std::string& name) {
    return fmt::format("ALTER TABLE {} DROP CONSTRAINT {};", QuoteName(table),
                       QuoteName(Unqualified(name)));
  }

  // -1 puts the column back on default_statistics_target.
  static std::string Statistics(const schema::Column& c) {
    return fmt::format("ALTER TABLE {} ALTER COLUMN {} SET STATISTICS {};", QuoteName(c.table),
                       QuoteName(c.name), c.statistics);
  }

  // UNLOGGED and WITH (...) storage parameters ("a=1,b=2") of a table.
  static Sql TableOptionsSql(const schema::Table& from, const schema::Table& to) {
    Sql sql;
    const std::string table = QuoteName(to.name);
    if (from.unlogged != to.unlogged) {
      sql.push_back(
          fmt::format("ALTER TABLE {} SET {};", table, to.unlogged ? "UNLOGGED" : "LOGGED"));
    }
    if (schema::SameStorageOptions(from.options, to.options)) return sql;
    // Ordered as written: SET lists every parameter of the new list, so the
    // server keeps them in the declared order (it appends what SET names
    // after the ones it keeps), as a table created from the declared schema.
    auto name_of = [](const std::string& item) { return item.substr(0, item.find('=')); };
    std::vector<std::string> set = schema::StorageOptionItems(to.options), reset;
    std::set<std::string> new_names;
    for (const std::string& item : set) new_names.insert(name_of(item));
    for (const std::string& item : schema::StorageOptionItems(from.options)) {
      if (!new_names.contains(name_of(item))) reset.push_back(name_of(item));
    }
    if (!reset.empty())
      sql.push_back(fmt::format("ALTER TABLE {} RESET ({});", table, fmt::join(reset, ", ")));
    if (!set.empty())
      sql.push_back(fmt::format("ALTER TABLE {} SET ({});", table, fmt::join(set, ", ")));
    return sql;
  }

  static std::string OwnedBy(const schema::Sequence& s) {
    size_t dot = s.owner.rfind('.');
    return fmt::format("ALTER SEQUENCE {} OWNED BY {};", QuoteName(s.name),
                       ColumnRef(s.owner.substr(0, dot), s.owner.substr(dot + 1)));
  }

  // Serial columns: their sequence exists before the default that calls it
  // and belongs to the column after, as `CREATE TABLE (id serial)` leaves it.
  Sql SerialSequences(const std::string& table, const std::string& column, bool owned_by) {
    Sql sql;
    for (const auto* s : owners_.Sequences(table, column)) {
      size_t dot = s->owner.rfind('.');
      const schema::Column* owner = owners_.Column(table, s->owner.substr(dot + 1));
      if (owner && (IsIdentity(owner->default_value) || SerialSequence(*owner, owners_))) continue;
      sql.push_back(owned_by ? OwnedBy(*s) : CreateSequenceSql(*s));
    }
    return sql;
  }

  Sql CreateTableSql(const TableDefinition& d) {
    const std::string table = QuoteName(d.table.name);
    Sql sql = SerialSequences(d.table.name, "", false);
    std::vector<std::string> lines;
    for (const auto& c : d.columns) lines.push_back(ColumnDefinition(c, owners_));
    if (d.primary_key) {
      lines.push_back(Named(d.primary_key->name) + "PRIMARY KEY (" +
                      Columns(d.primary_key->columns) + ")");
    }
    for (const auto& u : d.unique_constraints) {
      lines.push_back(Named(u.name) + "UNIQUE (" + Columns(u.columns) + ")");
    }
    // CREATE TABLE takes NOT VALID and validates anyway: such a check is
    // added after the table, where it stays NOT VALID.
    Sql not_valid;
    for (const auto& c : d.checks) {
      if (IsNotValid(c.expression)) {
        not_valid.push_back(fmt::format("ALTER TABLE {} ADD {}{};", table, Named(c.name),
                                        ReparsableDefinition(c.expression)));
      } else {
        lines.push_back(Named(c.name) + ReparsableDefinition(c.expression));
      }
    }
    for (const auto& f : d.foreign_keys) lines.push_back(Named(f.name) + ForeignKeyClause(f));
    sql.push_back(fmt::format("CREATE {}TABLE {} (\n    {}\n){};",
                              d.table.unlogged ? "UNLOGGED " : "", table,
                              fmt::join(lines, ",\n    "),
                              d.table.options.empty() ? "" : " WITH (" + d.table.options + ")"));
    for (const auto& c : d.columns) {
      if (c.statistics >= 0) sql.push_back(Statistics(c));
    }
    for (auto& s : not_valid) sql.push_back(std::move(s));
    for (auto& s : SerialSequences(d.table.name, "", true)) sql.push_back(std::move(s));
    for (const auto& i : d.indexes) sql.push_back(IndexSql(i));
    for (const auto& t : d.triggers)
      sql.push_back(ReparsableDefinition(ViewBody(t.definition)) + ";");
    if (d.table.comment) sql.push_back(CommentOn("TABLE " + table, d.table.comment));
    for (const auto& c : d.columns) {
      if (c.comment) sql.push_back(CommentOn("COLUMN " + ColumnRef(c.table, c.name), c.comment));
    }
    return sql;
  }

  Sql AddColumnSql(const schema::Column& c) {
    Sql sql = SerialSequences(c.table, c.name, false);
    sql.push_back(fmt::format("ALTER TABLE {} ADD COLUMN {};", QuoteName(c.table),
                              ColumnDefinition(c, owners_)));
    for (auto& s : SerialSequences(c.table, c.name, true)) sql.push_back(std::move(s));
    if (c.statistics >= 0) sql.push_back(Statistics(c));
    if (c.comment) sql.push_back(CommentOn("COLUMN " + ColumnRef(c.table, c.name), c.comment));
    return sql;
  }

  Sql AlterColumnSql(const schema::Column& from, const schema::Column& to) {
    Sql sql;
    const std::string alter =
        fmt::format("ALTER TABLE {} ALTER COLUMN {} ", QuoteName(to.table), QuoteName(to.name));
    bool type_changes = from.type != to.type;
    bool default_changes = from.default_value != to.default_value;
    bool from_identity = IsIdentity(from.default_value), to_identity = IsIdentity(to.default_value);
    // serial <-> identity: the sequence goes over with its position (the
    // old one must go, or the database keeps a leftover and the identity
    // gets "t_id_seq1").
    std::optional<std::string> old_serial;
    if (to_identity && !from_identity) {
      // Only the column's own sequence, whose name the identity takes.
      if (auto name = NextvalSequence(from.default_value)) {
        for (const auto* s : owners_.Sequences(to.table, to.name))
          if (Unqualified(s->name) == Unqualified(*name)) old_serial = name;
      }
    }
    const schema::Sequence* new_serial = nullptr;
    if (from_identity && !to_identity) {
      if (auto name = NextvalSequence(to.default_value)) {
        for (const auto* s : owners_.Sequences(to.table, to.name))
          if (s->name == Unqualified(*name) || s->name == *name) new_serial = s;
      }
    }
    std::string moved_sequence;
    if (new_serial) {
      moved_sequence = QuoteName(Unqualified(new_serial->name) + "__retort_new");
      sql.push_back(
          fmt::format("CREATE SEQUENCE {}{};", moved_sequence, CreateSequenceOptions(*new_serial)));
      sql.push_back(fmt::format("SELECT setval({}, nextval({}), false);",
                                QuoteLiteral(moved_sequence), PgGetSerial(to.table, to.name)));
    }
    if (from_identity && !to_identity) {
      sql.push_back(alter + "DROP IDENTITY;");
      if (new_serial) {
        sql.push_back(fmt::format("ALTER SEQUENCE {} RENAME TO {};", moved_sequence,
                                  QuoteName(Unqualified(new_serial->name))));
      }
    } else if (from.default_value && !from_identity && (default_changes || type_changes)) {
      // The old default may not cast to the new type: set it again after.
      sql.push_back(alter + "DROP DEFAULT;");
      if (old_serial) {
        moved_sequence = QuoteName(Unqualified(*old_serial) + "__retort_old");
        sql.push_back(fmt::format("ALTER SEQUENCE {} RENAME TO {};", *old_serial, moved_sequence));
        // Else pg_get_serial_sequence() would still find it.
        sql.push_back(fmt::format("ALTER SEQUENCE {} OWNED BY NONE;", moved_sequence));
      }
    }
    if (type_changes) {
      // Within a family PostgreSQL's own assignment cast is used: it fails
      // on a value that does not fit where an explicit cast would cut
      // 'abcdef'::varchar(3) to 'abc' without a word.
      std::string using_clause = SameFamily(from.type, to.type)
                                     ? ""
                                     : fmt::format(" USING {}::{}", QuoteName(to.name), to.type);
      sql.push_back(fmt::format("{}TYPE {}{};", alter, to.type, using_clause));
    }
    if (from.not_null != to.not_null && !(to_identity && !from_identity)) {
      sql.push_back(alter + (to.not_null ? "SET NOT NULL;" : "DROP NOT NULL;"));
    }
    if (to_identity && !from_identity) {
      sql.push_back(alter + "ADD " + *to.default_value + ";");
      if (old_serial) {
        sql.push_back(fmt::format("SELECT setval({}, last_value, is_called) FROM {};",
                                  PgGetSerial(to.table, to.name), moved_sequence));
        sql.push_back(fmt::format("DROP SEQUENCE {};", moved_sequence));
      }
    } else if (to_identity && from_identity && default_changes) {
      bool always = to.default_value->find("ALWAYS") != std::string::npos;
      sql.push_back(alter + (always ? "SET GENERATED ALWAYS;" : "SET GENERATED BY DEFAULT;"));
    } else if (to.default_value && (default_changes || type_changes)) {
      sql.push_back(alter + "SET DEFAULT " + ReparsableDefinition(*to.default_value) + ";");
      if (new_serial) sql.push_back(OwnedBy(*new_serial));
    }
    if (from.statistics != to.statistics) sql.push_back(Statistics(to));
    if (from.comment != to.comment) {
      sql.push_back(CommentOn("COLUMN " + ColumnRef(to.table, to.name), to.comment));
    }
    return sql;
  }

  static std::string CreateEnumSql(const schema::EnumType& type) {
    std::vector<std::string> values;
    for (const auto& v : type.values) values.push_back(QuoteLiteral(v));
    return fmt::format("CREATE TYPE {} AS ENUM ({});", QuoteName(type.name),
                       fmt::join(values, ", "));
  }

  // `rebuild` forces the rebuild below where ADD VALUE would do: a value
  // added by ALTER TYPE ... ADD VALUE cannot be used until the transaction
  // commits ("unsafe use of new value"), so a revision whose other
  // statements name the new value (a CHECK, a default) builds a new type,
  // whose values can be used at once.
  static Sql AlterEnumSql(const schema::EnumType& from, const schema::EnumType& to,
                          bool rebuild = false) {
    auto has = [](const std::vector<std::string>& values, const std::string& v) {
      return std::find(values.begin(), values.end(), v) != values.end();
    };
    // Values only added, order kept: ALTER TYPE ... ADD VALUE in place.
    size_t kept = 0;
    for (const auto& v : to.values)
      if (kept < from.values.size() && from.values[kept] == v) ++kept;
    if (kept == from.values.size() && !rebuild) {
      Sql sql;
      for (size_t i = 0; i < to.values.size(); ++i) {
        if (has(from.values, to.values[i])) continue;
        // Values go in order, so the one before exists by now; the first
        // goes before the first value the type already has.
        std::string where;
        if (i > 0) {
          where = " AFTER " + QuoteLiteral(to.values[i - 1]);
        } else if (!from.values.empty()) {
          where = " BEFORE " + QuoteLiteral(from.values.front());
        }
        sql.push_back(fmt::format("ALTER TYPE {} ADD VALUE {}{};", QuoteName(to.name),
                                  QuoteLiteral(to.values[i]), where));
      }
      return sql;
    }
    // PostgreSQL cannot remove an enum value: build the type again and move
    // every column over by text (failing if a row holds a removed value).
    // The columns are found in the catalog when the statement runs, so the
    // list is right whatever ran before it in the revision. So are what
    // would stop ALTER COLUMN ... TYPE or re-parse against the old type:
    // views and materialized views reading the type (and the views reading
    // those) are dropped and created again after, with their indexes and
    // comments; indexes and CHECK constraints whose text casts to the old
    // type (a partial index `WHERE status <> 'x'`) likewise. Only this
    // rebuild touches them: adding a value recreates nothing.
    const std::string old_name = Unqualified(to.name) + "__retort_old";
    const std::string old_ref =
        to.name.find('.') == std::string::npos
            ? QuoteName(old_name)
            : QuoteName(to.name.substr(0, to.name.rfind('.') + 1) + old_name);
    const std::string type = QuoteName(to.name);
    Sql sql;
    sql.push_back(fmt::format("ALTER TYPE {} RENAME TO {};", type, QuoteName(old_name)));
    sql.push_back(CreateEnumSql(to));
    sql.push_back(fmt::format(
        "DO $retort$\n"
        "DECLARE\n"
        "  c record;\n"
        "  old_type oid := {old}::regtype;\n"
        "  views text[] := '{{}}';\n"
        "  later text[] := '{{}}';\n"
        "  statement text;\n"
        "BEGIN\n"
        "  FOR c IN WITH RECURSIVE dep(oid, depth) AS (\n"
        "             SELECT r.ev_class, 1\n"
        "               FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid\n"
        "               LEFT JOIN pg_attribute AS a ON d.refclassid = 'pg_class'::regclass\n"
        "                    AND a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
        "              WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class <> d.refobjid\n"
        "                AND ((d.refclassid = 'pg_type'::regclass AND d.refobjid = old_type)\n"
        "                     OR a.atttypid = old_type)\n"
        "             UNION ALL\n"
        "             SELECT r.ev_class, dep.depth + 1\n"
        "               FROM dep JOIN pg_depend AS d ON d.refclassid = 'pg_class'::regclass\n"
        "                    AND d.refobjid = dep.oid AND d.classid = 'pg_rewrite'::regclass\n"
        "               JOIN pg_rewrite AS r ON r.oid = d.objid\n"
        "              WHERE r.ev_class <> dep.oid)\n"
        "           SELECT v.oid, v.oid::regclass AS name, v.relkind = 'm' AS mat,\n"
        "                  v.relispopulated AS populated, pg_get_viewdef(v.oid) AS def,\n"
        "                  array_to_string(v.reloptions, ', ') AS opts,\n"
        "                  obj_description(v.oid, 'pg_class') AS note\n"
        "             FROM dep JOIN pg_class AS v ON v.oid = dep.oid\n"
        "            GROUP BY v.oid ORDER BY max(dep.depth) DESC\n"
        "  LOOP\n"
        "    views := ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index AS i\n"
        "                    WHERE i.indrelid = c.oid) || views;\n"
        "    IF c.note IS NOT NULL THEN\n"
        "      views := format('COMMENT ON %sVIEW %s IS %L',\n"
        "                      CASE WHEN c.mat THEN 'MATERIALIZED ' ELSE '' END, c.name, c.note)\n"
        "               || views;\n"
        "    END IF;\n"
        "    views := format('CREATE %sVIEW %s%s AS %s%s', CASE WHEN c.mat THEN 'MATERIALIZED ' "
        "ELSE '' END,\n"
        "                    c.name, CASE WHEN c.opts IS NULL THEN '' ELSE ' WITH (' || c.opts || "
        "')' "
        "END,\n"
        "                    rtrim(c.def, E'; \\n'),\n"
        "                    CASE WHEN c.mat AND NOT c.populated THEN ' WITH NO DATA' ELSE '' "
        "END)\n"
        "             || views;\n"
        "    EXECUTE format('DROP %sVIEW %s', CASE WHEN c.mat THEN 'MATERIALIZED ' ELSE '' END, "
        "c.name);\n"
        "  END LOOP;\n"
        "  FOR c IN SELECT x.indexrelid::regclass AS name, pg_get_indexdef(x.indexrelid) AS def\n"
        "             FROM pg_index AS x JOIN pg_class AS t ON t.oid = x.indrelid\n"
        "             JOIN pg_namespace AS n ON n.oid = t.relnamespace\n"
        "            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')\n"
        "              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = "
        "x.indexrelid)\n"
        "              AND strpos(pg_get_indexdef(x.indexrelid), {old_cast}) > 0\n"
        "  LOOP\n"
        "    later := later || c.def;\n"
        "    EXECUTE format('DROP INDEX %s', c.name);\n"
        "  END LOOP;\n"
        "  FOR c IN SELECT k.conrelid::regclass AS tab, quote_ident(k.conname) AS name,\n"
        "                  pg_get_constraintdef(k.oid) AS def\n"
        "             FROM pg_constraint AS k JOIN pg_class AS t ON t.oid = k.conrelid\n"
        "             JOIN pg_namespace AS n ON n.oid = t.relnamespace\n"
        "            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')\n"
        "              AND k.contype IN ('c', 'x')\n"
        "              AND strpos(pg_get_constraintdef(k.oid), {old_cast}) > 0\n"
        "  LOOP\n"
        "    later := later || format('ALTER TABLE %s ADD CONSTRAINT %s %s', c.tab, c.name, "
        "c.def);\n"
        "    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %s', c.tab, c.name);\n"
        "  END LOOP;\n"
        "  FOR c IN SELECT a.attrelid::regclass AS tab, quote_ident(a.attname) AS col,\n"
        "                  pg_get_expr(d.adbin, d.adrelid) AS def\n"
        "             FROM pg_attribute AS a\n"
        "             JOIN pg_class AS r ON r.oid = a.attrelid AND r.relkind IN ('r', 'p')\n"
        "             LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
        "            WHERE a.atttypid = old_type AND a.attnum > 0 AND NOT a.attisdropped\n"
        "  LOOP\n"
        "    IF c.def IS NOT NULL THEN\n"
        "      EXECUTE format('ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT', c.tab, c.col);\n"
        "    END IF;\n"
        "    EXECUTE format('ALTER TABLE %s ALTER COLUMN %s TYPE {type} USING %s::text::{type}',\n"
        "                   c.tab, c.col, c.col);\n"
        "    IF c.def IS NOT NULL THEN\n"
        "      EXECUTE format('ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s', c.tab, c.col,\n"
        "                     replace(c.def, {old_cast}, {new_cast}));\n"
        "    END IF;\n"
        "  END LOOP;\n"
        "  FOREACH statement IN ARRAY later || views LOOP\n"
        // The server's text of a varchar IN list does not parse back to
        // the same expression: rewritten as ReparsableDefinition does.
        "    EXECUTE regexp_replace(replace(statement, {old_cast}, {new_cast}),\n"
        "      $re$\\)::text (= ANY|<> ALL) \\(\\((ARRAY\\[{element}(?:, {element})*\\])\\)"
        "::text\\[\\]\\)$re$,\n"
        "      ') \\1 ((\\2))', 'g');\n"
        "  END LOOP;\n"
        "END\n"
        "$retort$;",
        fmt::arg("old", QuoteLiteral(old_ref)), fmt::arg("type", type),
        fmt::arg("old_cast", QuoteLiteral("::" + old_ref)),
        fmt::arg("new_cast", QuoteLiteral("::" + type)),
        fmt::arg("element", "(?:'(?:[^']|'')*'|NULL)::character varying")));
    sql.push_back("DROP TYPE " + old_ref + ";");
    return sql;
  }

  const Owners owners_;
};

}  // namespace

std::vector<RenderedStatement> RenderPostgresql(const std::vector<Operation>& operations,
                                                const schema::Snapshot& from,
                                                const schema::Snapshot& to) {
  // `from` is not needed: every operation carries the old state it undoes.
  (void)from;
  PostgresRenderer renderer(to);
  std::vector<std::vector<std::string>> rendered;
  for (const Operation& op : operations) {
    rendered.push_back(renderer.Statements(op));
    AddPartitionKey(op, to, rendered.back());
  }
  // An enum value added with ADD VALUE that another statement of the section
  // names: the type is rebuilt instead (AlterEnumSql).
  for (size_t i = 0; i < operations.size(); ++i) {
    const auto* alter = std::get_if<AlterEnum>(&operations[i]);
    if (!alter || rendered[i].empty() || !rendered[i].front().starts_with("ALTER TYPE ")) continue;
    bool used = false;
    for (const std::string& value : alter->to.values) {
      if (std::find(alter->from.values.begin(), alter->from.values.end(), value) !=
          alter->from.values.end()) {
        continue;
      }
      for (size_t j = 0; j < rendered.size() && !used; ++j) {
        if (j == i) continue;
        for (const std::string& sql : rendered[j]) {
          if (sql.find(QuoteLiteral(value)) != std::string::npos) used = true;
        }
      }
    }
    if (used) rendered[i] = PostgresRenderer::RebuiltEnum(*alter);
  }
  std::vector<RenderedStatement> out;
  for (size_t i = 0; i < operations.size(); ++i) {
    const Operation& op = operations[i];
    std::optional<std::string> reason = DestructiveReason(op);
    bool first = true;
    std::vector<std::string>& statements = rendered[i];
    for (std::string& sql : statements) {
      RenderedStatement statement{.sql = std::move(sql), .comment = {}};
      if (first && reason) statement.comment = "DESTRUCTIVE: " + *reason;
      first = false;
      out.push_back(std::move(statement));
    }
  }
  MergeFunctionBodySettings(out);
  return out;
}

}  // namespace retort::autogen
