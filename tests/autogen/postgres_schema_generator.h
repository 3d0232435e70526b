#ifndef RETORT_TESTS_AUTOGEN_POSTGRES_SCHEMA_GENERATOR_H_
#define RETORT_TESTS_AUTOGEN_POSTGRES_SCHEMA_GENERATOR_H_

// A small seeded generator of PostgreSQL schemas and of mutations of them,
// for testing the autogenerate property on pairs nobody wrote by hand.
//
// Every row i (1..3) holds i in every integer column and '<i>' in every text
// column (enum columns: the i-th of 'a', 'b', 'c'), so that any foreign key
// between integer columns holds, any unique constraint holds, and the type
// changes the mutator makes (integer <-> bigint, integer -> text -> varchar)
// convert the values back and forth unchanged. NOT NULL columns other than
// key columns have a default, so that a downgrade can add them back to a
// table with rows.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "autogen/compare.h"

namespace retort::autogen::testing {

struct GenColumn {
  std::string name{};
  std::string type{};  // integer, bigint, text, character varying(20), an enum, serial
  bool not_null = false;
  std::optional<std::string> default_value{};
  std::optional<std::string> comment{};
  // Added by the mutator: its rows in B all get the default (or NULL), so
  // no key may be put on it.
  bool fresh = false;
};

struct GenIndex {
  std::string name{};
  std::string column{};
  int form = 0;  // 0 plain, 1 DESC, 2 partial, 3 expression (text only), 4 unique
};

struct GenForeignKey {
  std::string name{};
  std::string column{};
  std::string table{};  // referenced; its single-column integer primary key
  std::string on_delete = "NO ACTION";
};

struct GenTable {
  std::string name{};
  std::vector<GenColumn> columns{};
  std::optional<std::string> primary_key{};                    // column
  std::vector<std::pair<std::string, std::string>> uniques{};  // name, column
  std::vector<std::pair<std::string, std::string>> checks{};   // name, column
  std::vector<GenIndex> indexes{};
  std::vector<GenForeignKey> foreign_keys{};
  std::optional<std::string> comment{};
};

struct GenView {
  std::string name{};
  std::string table{};
  std::vector<std::string> columns{};
};

struct GenSchema {
  std::vector<GenTable> tables{};
  std::vector<GenView> views{};
  std::vector<std::pair<std::string, std::vector<std::string>>> enums{};
  std::vector<std::pair<std::string, int>> sequences{};  // name, increment
  int counter = 0;                                       // for fresh names
};

class SchemaGenerator {
 public:
  explicit SchemaGenerator(unsigned seed) : random_(seed) {}

  GenSchema Generate() {
    GenSchema s;
    if (Chance(50)) s.enums.push_back({Fresh(s, "e"), {"a", "b", "c"}});
    if (Chance(50)) s.sequences.push_back({Fresh(s, "seq"), 1 + Pick(3)});
    int tables = 2 + Pick(3);
    for (int i = 0; i < tables; ++i) s.tables.push_back(NewTable(s));
    for (int i = 0; i < 1 + Pick(2); ++i) AddView(s);
    return s;
  }

  // B: `s` changed in 1 to 4 ways; renames are recorded in `hints`.
  GenSchema Mutate(GenSchema s, RenameHints& hints) {
    int changes = 1 + Pick(4);
    for (int i = 0; i < changes; ++i) MutateOnce(s, hints);
    return s;
  }

  static std::string Sql(const GenSchema& s) {
    std::string out;
    for (const auto& [name, values] : s.enums) {
      std::vector<std::string> quoted;
      for (const auto& v : values) quoted.push_back("'" + v + "'");
      out += fmt::format("CREATE TYPE {} AS ENUM ({});\n", name, fmt::join(quoted, ", "));
    }
    for (const auto& [name, increment] : s.sequences) {
      out += fmt::format("CREATE SEQUENCE {} INCREMENT BY {};\n", name, increment);
    }
    for (const auto& t : s.tables) {
      std::vector<std::string> lines;
      for (const auto& c : t.columns) {
        std::string line = c.name + " " + c.type;
        if (c.default_value) line += " DEFAULT " + *c.default_value;
        if (c.not_null) line += " NOT NULL";
        lines.push_back(line);
      }
      if (t.primary_key)
        lines.push_back(fmt::format("CONSTRAINT pk_{} PRIMARY KEY ({})", t.name, *t.primary_key));
      for (const auto& [name, column] : t.uniques)
        lines.push_back(fmt::format("CONSTRAINT {} UNIQUE ({})", name, column));
      for (const auto& [name, column] : t.checks) {
        const GenColumn* c = Find(t, column);
        lines.push_back(
            fmt::format("CONSTRAINT {} CHECK ({})", name,
                        IsText(c->type) ? "length(" + column + ") < 100" : column + " >= 0"));
      }
      out += fmt::format("CREATE TABLE {} (\n  {}\n);\n", t.name, fmt::join(lines, ",\n  "));
      for (const auto& i : t.indexes) {
        static const char* kForms[] = {"INDEX {0} ON {1} ({2})", "INDEX {0} ON {1} ({2} DESC)",
                                       "INDEX {0} ON {1} ({2}) WHERE {2} IS NOT NULL",
                                       "INDEX {0} ON {1} (lower({2}))",
                                       "UNIQUE INDEX {0} ON {1} ({2})"};
        out +=
            "CREATE " + fmt::format(fmt::runtime(kForms[i.form]), i.name, t.name, i.column) + ";\n";
      }
      if (t.comment) out += fmt::format("COMMENT ON TABLE {} IS '{}';\n", t.name, *t.comment);
      for (const auto& c : t.columns) {
        if (c.comment)
          out += fmt::format("COMMENT ON COLUMN {}.{} IS '{}';\n", t.name, c.name, *c.comment);
      }
    }
    for (const auto& t : s.tables) {
      for (const auto& f : t.foreign_keys) {
        out += fmt::format(
            "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ON DELETE {};\n",
            t.name, f.name, f.column, f.table, f.on_delete);
      }
    }
    for (const auto& v : s.views) {
      out += fmt::format("CREATE VIEW {} AS SELECT {} FROM {};\n", v.name,
                         fmt::join(v.columns, ", "), v.table);
    }
    return out;
  }

  // Three rows per table, in an order where referenced rows come first.
  // Foreign keys to a table that is not in `keeps` (B's tables, under A's
  // names) are NULL: once the table is dropped its rows are gone, and a
  // downgrade could not restore a key to them.
  static std::string Rows(const GenSchema& s, const std::set<std::string>& keeps) {
    std::string out;
    std::set<std::string> done;
    std::vector<const GenTable*> pending;
    for (const auto& t : s.tables) pending.push_back(&t);
    while (!pending.empty()) {
      auto ready = std::find_if(pending.begin(), pending.end(), [&](const GenTable* t) {
        for (const auto& f : t->foreign_keys)
          if (f.table != t->name && !done.contains(f.table)) return false;
        return true;
      });
      if (ready == pending.end()) ready = pending.begin();
      const GenTable* t = *ready;
      pending.erase(ready);
      done.insert(t->name);
      std::vector<std::string> columns;
      for (const auto& c : t->columns)
        if (c.type != "serial") columns.push_back(c.name);
      for (int i = 1; i <= 3; ++i) {
        std::vector<std::string> values;
        for (const auto& c : t->columns) {
          if (c.type == "serial") continue;
          bool dangling = false;
          for (const auto& f : t->foreign_keys)
            dangling |= f.column == c.name && !keeps.contains(f.table);
          if (dangling)
            values.push_back("NULL");
          else if (IsText(c.type))
            values.push_back(fmt::format("'{}'", i));
          else if (IsInteger(c.type))
            values.push_back(std::to_string(i));
          else
            values.push_back(fmt::format("'{}'", "abc"[i - 1]));
        }
        out += columns.empty() ? fmt::format("INSERT INTO {} DEFAULT VALUES;\n", t->name)
                               : fmt::format("INSERT INTO {} ({}) VALUES ({});\n", t->name,
                                             fmt::join(columns, ", "), fmt::join(values, ", "));
      }
    }
    return out;
  }

 private:
  static bool IsText(const std::string& type) {
    return type == "text" || type == "character varying(20)";
  }
  static bool IsInteger(const std::string& type) {
    return type == "integer" || type == "bigint" || type == "serial";
  }
  static const GenColumn* Find(const GenTable& t, const std::string& column) {
    for (const auto& c : t.columns)
      if (c.name == column) return &c;
    return nullptr;
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  std::string Fresh(GenSchema& s, const std::string& prefix) {
    return prefix + std::to_string(s.counter++);
  }
  template <typename T>
  T& Any(std::vector<T>& items) {
    return items[Pick(static_cast<int>(items.size()))];
  }

  GenColumn NewColumn(GenSchema& s, bool allow_enum) {
    GenColumn c{.name = Fresh(s, "c")};
    int kind = Pick(allow_enum && !s.enums.empty() ? 5 : 4);
    static const char* kTypes[] = {"integer", "bigint", "text", "character varying(20)"};
    c.type = kind < 4 ? kTypes[kind] : s.enums[0].first;
    if (Chance(40)) {
      if (IsInteger(c.type)) {
        c.default_value = !s.sequences.empty() && Chance(30)
                              ? fmt::format("nextval('{}'::regclass)", s.sequences[0].first)
                              : std::to_string(Pick(10));
      } else if (IsText(c.type)) {
        c.default_value = "'d'";
      } else {
        c.default_value = "'a'";
      }
      c.not_null = Chance(50);
    }
    if (Chance(10)) c.comment = "note " + c.name;
    return c;
  }

  GenTable NewTable(GenSchema& s) {
    GenTable t{.name = Fresh(s, "t")};
    if (Chance(70)) {
      GenColumn id{.name = "id", .type = Chance(40) ? "serial" : "integer", .not_null = true};
      t.columns.push_back(id);
      t.primary_key = "id";
    }
    int columns = 1 + Pick(4);
    for (int i = 0; i < columns; ++i) t.columns.push_back(NewColumn(s, true));
    if (Chance(40)) AddIndex(s, t);
    if (Chance(25)) AddUnique(s, t);
    if (Chance(25)) AddCheck(s, t);
    if (Chance(50)) AddForeignKey(s, t);
    if (Chance(15)) t.comment = "table " + t.name;
    return t;
  }

  // Columns no key, constraint or index uses: free to retype or drop.
  std::vector<GenColumn*> PlainColumns(GenSchema& s, GenTable& t) {
    std::vector<GenColumn*> out;
    for (auto& c : t.columns) {
      bool used = t.primary_key == c.name || c.type == "serial";
      for (const auto& u : t.uniques) used |= u.second == c.name;
      for (const auto& k : t.checks) used |= k.second == c.name;
      for (const auto& i : t.indexes) used |= i.column == c.name;
      for (const auto& f : t.foreign_keys) used |= f.column == c.name;
      for (const auto& v : s.views)
        if (v.table == t.name) used |= std::count(v.columns.begin(), v.columns.end(), c.name) > 0;
      if (!used) out.push_back(&c);
    }
    return out;
  }

  void AddIndex(GenSchema& s, GenTable& t) {
    const GenColumn& c = Any(t.columns);
    int form = Pick(5);
    if (form == 3 && !IsText(c.type)) form = 0;
    if (form == 4 && c.fresh) form = 0;
    t.indexes.push_back({Fresh(s, "ix"), c.name, form});
  }
  void AddUnique(GenSchema& s, GenTable& t) {
    const GenColumn& c = Any(t.columns);
    if (!c.fresh) t.uniques.push_back({Fresh(s, "uq"), c.name});
  }
  void AddCheck(GenSchema& s, GenTable& t) {
    const GenColumn& c = Any(t.columns);
    if (IsText(c.type) || IsInteger(c.type)) t.checks.push_back({Fresh(s, "ck"), c.name});
  }
  void AddForeignKey(GenSchema& s, GenTable& t) {
    std::vector<const GenTable*> targets;
    for (const auto& other : s.tables) {
      if (other.primary_key && other.name != t.name) targets.push_back(&other);
    }
    if (targets.empty()) return;
    const GenTable* target = targets[Pick(static_cast<int>(targets.size()))];
    GenColumn c{.name = Fresh(s, "ref"), .type = "integer", .fresh = true};
    t.columns.push_back(c);
    static const char* kActions[] = {"NO ACTION", "CASCADE", "SET NULL", "RESTRICT"};
    t.foreign_keys.push_back({Fresh(s, "fk"), c.name, target->name, kActions[Pick(4)]});
  }
  void AddView(GenSchema& s) {
    if (s.tables.empty()) return;
    GenTable& t = Any(s.tables);
    GenView v{.name = Fresh(s, "v"), .table = t.name};
    for (const auto& c : t.columns)
      if (Chance(60)) v.columns.push_back(c.name);
    if (v.columns.empty()) v.columns.push_back(t.columns[0].name);
    s.views.push_back(v);
  }

  void DropTable(GenSchema& s, const std::string& name) {
    std::erase_if(s.tables, [&](const GenTable& t) { return t.name == name; });
    for (auto& t : s.tables)
      std::erase_if(t.foreign_keys, [&](const GenForeignKey& f) { return f.table == name; });
    std::erase_if(s.views, [&](const GenView& v) { return v.table == name; });
  }

  void MutateOnce(GenSchema& s, RenameHints& hints) {
    if (s.tables.empty()) {
      s.tables.push_back(NewTable(s));
      return;
    }
    GenTable& t = Any(s.tables);
    switch (Pick(17)) {
      case 0:
        s.tables.push_back(NewTable(s));
        break;
      case 1: {
        std::string name = t.name;
        DropTable(s, name);
        break;
      }
      case 2: {
        GenColumn c = NewColumn(s, true);
        if (Chance(15)) c = GenColumn{.name = c.name, .type = "serial"};
        c.fresh = true;
        t.columns.push_back(c);
        break;
      }
      case 3: {
        auto plain = PlainColumns(s, t);
        if (plain.size() < 2) break;
        std::string name = plain[0]->name;
        std::erase_if(t.columns, [&](const GenColumn& c) { return c.name == name; });
        break;
      }
      case 4: {  // type change among convertible types
        auto plain = PlainColumns(s, t);
        if (plain.empty()) break;
        GenColumn& c = *plain[Pick(static_cast<int>(plain.size()))];
        if (c.type == "integer")
          c.type = Chance(50) ? "bigint" : "text";
        else if (c.type == "bigint")
          c.type = "integer";
        else if (c.type == "text")
          c.type = "character varying(20)";
        else if (c.type == "character varying(20)")
          c.type = "text";
        if (c.default_value && c.default_value->find("nextval") != std::string::npos &&
            !IsInteger(c.type)) {
          c.default_value = std::nullopt;
          c.not_null = false;
        }
        if (c.default_value && IsText(c.type) && *c.default_value != "'d'") c.default_value = "'7'";
        break;
      }
      case 5: {  // nullability
        GenColumn& c = Any(t.columns);
        if (t.primary_key == c.name || c.type == "serial") break;
        if (c.not_null)
          c.not_null = false;
        else if (c.default_value)
          c.not_null = true;
        break;
      }
      case 6: {  // default
        GenColumn& c = Any(t.columns);
        if (c.type == "serial") break;
        if (c.default_value && !c.not_null)
          c.default_value = std::nullopt;
        else if (IsInteger(c.type))
          c.default_value = std::to_string(10 + Pick(10));
        else if (IsText(c.type))
          c.default_value = "'e'";
        break;
      }
      case 7:
        if (!t.indexes.empty() && Chance(50)) {
          GenIndex& i = Any(t.indexes);
          if (Chance(50))
            i.form = i.form == 1 ? 0 : 1;
          else
            t.indexes.erase(t.indexes.begin());
        } else {
          AddIndex(s, t);
        }
        break;
      case 8:
        if (!t.uniques.empty() && Chance(50))
          t.uniques.pop_back();
        else
          AddUnique(s, t);
        break;
      case 9:
        if (!t.checks.empty() && Chance(50))
          t.checks.pop_back();
        else
          AddCheck(s, t);
        break;
      case 10:
        if (!t.foreign_keys.empty() && Chance(60)) {
          if (Chance(50))
            t.foreign_keys.pop_back();
          else
            t.foreign_keys.back().on_delete = "CASCADE";
        } else {
          AddForeignKey(s, t);
        }
        break;
      case 11: {  // primary key added or dropped
        if (t.primary_key) {
          bool referenced = false;
          for (const auto& other : s.tables)
            for (const auto& f : other.foreign_keys) referenced |= f.table == t.name;
          if (!referenced) t.primary_key = std::nullopt;
        } else {
          for (auto& c : t.columns) {
            if (IsInteger(c.type) && c.type != "serial" && !c.fresh) {
              t.primary_key = c.name;
              c.not_null = true;
              break;
            }
          }
        }
        break;
      }
      case 12:
        if (!s.views.empty() && Chance(50)) {
          GenView& v = Any(s.views);
          if (Chance(50))
            s.views.erase(s.views.begin());
          else if (v.columns.size() > 1)
            v.columns.pop_back();
        } else {
          AddView(s);
        }
        break;
      case 13:  // enums
        if (s.enums.empty()) {
          s.enums.push_back({Fresh(s, "e"), {"a", "b", "c"}});
          t.columns.push_back(
              GenColumn{.name = Fresh(s, "c"), .type = s.enums[0].first, .fresh = true});
        } else if (Chance(50)) {
          s.enums[0].second.insert(s.enums[0].second.begin() + Pick(4), Fresh(s, "x"));
        } else {
          s.enums.push_back({Fresh(s, "e"), {"p", "q"}});
        }
        break;
      case 14:  // sequences
        if (!s.sequences.empty() && Chance(50)) {
          s.sequences[0].second += 1;
        } else {
          s.sequences.push_back({Fresh(s, "seq"), 1});
        }
        break;
      case 15:  // comments
        if (Chance(50))
          t.comment = t.comment ? std::nullopt : std::optional<std::string>("c " + t.name);
        else
          Any(t.columns).comment = "changed";
        break;
      case 16: {  // renames, hinted
        bool referenced_by_view = false;
        for (const auto& v : s.views) referenced_by_view |= v.table == t.name;
        if (Chance(50) && !referenced_by_view) {
          std::string old_name = t.name;
          std::string new_name = Fresh(s, "r");
          for (auto& other : s.tables)
            for (auto& f : other.foreign_keys)
              if (f.table == old_name) f.table = new_name;
          t.name = new_name;
          // Renamed again: the hint still names the table A has.
          auto earlier = hints.tables.find(old_name);
          hints.tables[new_name] = earlier == hints.tables.end() ? old_name : earlier->second;
          if (earlier != hints.tables.end()) hints.tables.erase(earlier);
          std::map<std::pair<std::string, std::string>, std::string> columns;
          for (const auto& [key, old_column] : hints.columns)
            columns[{key.first == old_name ? new_name : key.first, key.second}] = old_column;
          hints.columns = columns;
        } else {
          auto plain = PlainColumns(s, t);
          if (plain.empty()) break;
          std::string old_name = plain[0]->name;
          plain[0]->name = Fresh(s, "n");
          auto earlier = hints.columns.find({t.name, old_name});
          hints.columns[{t.name, plain[0]->name}] =
              earlier == hints.columns.end() ? old_name : earlier->second;
          if (earlier != hints.columns.end()) hints.columns.erase(earlier);
        }
        break;
      }
    }
  }

  std::mt19937 random_;
};

}  // namespace retort::autogen::testing

#endif  // RETORT_TESTS_AUTOGEN_POSTGRES_SCHEMA_GENERATOR_H_
