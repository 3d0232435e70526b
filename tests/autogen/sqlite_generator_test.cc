// The seeded SQLite schema generator and mutator (sqlite_schema_generator.h)
// and its own tests. Schemas are kept as a small model and printed as SQL, so
// a rename or a drop updates every index, view, trigger and key that names
// the object and b is always a valid schema.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "autogen/sqlite_schema_generator.h"

namespace retort::autogen::testing {
namespace {

struct GColumn {
  std::string name{}, type{};
  bool not_null = false;
  std::optional<std::string> default_sql{};
  bool unique = false;
  bool check = false;    // CHECK (length(name) < 100): every generated value passes
  std::string origin{};  // its name in a; empty when added by the mutator
};

struct GForeignKey {
  std::string column, parent, on_delete;
};

struct GTable {
  std::string name{}, origin{};
  std::vector<GColumn> columns{};  // columns[0] is id INTEGER
  bool composite_key = false;      // PRIMARY KEY (id, columns[1]) instead of id alone
  std::vector<GForeignKey> foreign_keys{};
};

struct GIndex {
  std::string name, table, column;
  int kind = 0;  // plain, unique, partial, expression
};

// SELECT id, column FROM table, where table may be another view.
struct GView {
  std::string name, table, column;
};

struct GTrigger {
  std::string name, table, other;
};

bool Numeric(const std::string& type) {
  return type.find("INT") != std::string::npos || type == "REAL" || type == "NUMERIC";
}

struct GSchema {
  std::vector<GTable> tables;
  std::vector<GIndex> indexes;
  std::vector<GView> views;
  std::vector<GTrigger> triggers;

  GTable* Find(const std::string& name) {
    for (GTable& table : tables) {
      if (table.name == name) return &table;
    }
    return nullptr;
  }

  std::string Sql() const {
    std::string out;
    for (const GTable& table : tables) {
      std::vector<std::string> parts;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        const GColumn& c = table.columns[i];
        std::string part = c.name + " " + c.type;
        if (i == 0 && !table.composite_key) part += " PRIMARY KEY";
        if (c.not_null) part += " NOT NULL";
        if (c.default_sql) part += " DEFAULT " + *c.default_sql;
        if (c.unique) part += " UNIQUE";
        if (c.check) part += fmt::format(" CHECK (length({}) < 100)", c.name);
        parts.push_back(part);
      }
      if (table.composite_key) {
        parts.push_back(fmt::format("PRIMARY KEY (id, {})", table.columns[1].name));
      }
      for (const GForeignKey& key : table.foreign_keys) {
        parts.push_back(fmt::format("FOREIGN KEY ({}) REFERENCES {} (id) ON DELETE {}", key.column,
                                    key.parent, key.on_delete));
      }
      out += fmt::format("CREATE TABLE {} (\n  {}\n);\n", table.name, fmt::join(parts, ",\n  "));
    }
    for (const GIndex& index : indexes) {
      static const char* kForms[] = {"CREATE INDEX {0} ON {1} ({2});\n",
                                     "CREATE UNIQUE INDEX {0} ON {1} ({2});\n",
                                     "CREATE INDEX {0} ON {1} ({2}) WHERE {2} IS NOT NULL;\n",
                                     "CREATE INDEX {0} ON {1} (lower({2}));\n"};
      out += fmt::format(fmt::runtime(kForms[index.kind]), index.name, index.table, index.column);
    }
    for (const GView& view : views) {
      out += fmt::format("CREATE VIEW {} AS SELECT id, {} FROM {};\n", view.name, view.column,
                         view.table);
    }
    for (const GTrigger& trigger : triggers) {
      out +=
          fmt::format("CREATE TRIGGER {} AFTER INSERT ON {} BEGIN SELECT count(*) FROM {}; END;\n",
                      trigger.name, trigger.table, trigger.other);
    }
    return out;
  }

  // Three rows per table: every value distinct and non-null, numbers for
  // numeric columns, foreign keys pointing at ids 1 to 3.
  std::string Rows() const {
    std::string out;
    for (const GTable& table : tables) {
      for (int row = 1; row <= 3; ++row) {
        std::vector<std::string> values;
        for (const GColumn& c : table.columns) {
          if (c.name == "id") {
            values.push_back(std::to_string(row));
          } else if (Numeric(c.type)) {
            values.push_back(std::to_string(row));
          } else {
            values.push_back(fmt::format("'v{}_{}'", row, c.name));
          }
        }
        out += fmt::format("INSERT INTO {} VALUES ({});\n", table.name, fmt::join(values, ", "));
      }
    }
    return out;
  }
};

class Generator {
 public:
  explicit Generator(unsigned seed) : random_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T>
  T& Any(std::vector<T>& items) {
    return items[Pick(static_cast<int>(items.size()))];
  }

  std::string Name(const std::string& prefix) { return prefix + std::to_string(++counter_); }

  std::string Type() {
    static const std::vector<std::string> kTypes = {"TEXT", "INTEGER", "INT",
                                                    "REAL", "NUMERIC", "VARCHAR(20)"};
    return kTypes[Pick(static_cast<int>(kTypes.size()))];
  }

  std::optional<std::string> Default(bool not_null) {
    static const std::vector<std::string> kDefaults = {"'x'", "0", "-1", "(abs(-2))",
                                                       "CURRENT_TIMESTAMP"};
    if (!not_null && Chance(60)) return std::nullopt;
    return kDefaults[Pick(static_cast<int>(kDefaults.size()))];
  }

  GColumn Column(bool in_a) {
    GColumn c{.name = Name("c"), .type = Type()};
    // Rows fill a's columns, so a's may be NOT NULL and UNIQUE; a column
    // added to b has no values: NOT NULL needs a default, UNIQUE no default.
    c.not_null = Chance(30);
    c.default_sql = Default(c.not_null && !in_a);
    c.unique = !c.default_sql && Chance(15);
    c.check = Chance(15);
    if (in_a) c.origin = c.name;
    return c;
  }

  GTable Table(const GSchema& schema, bool in_a) {
    GTable table{.name = Name("t")};
    if (in_a) table.origin = table.name;
    table.columns.push_back({.name = "id", .type = "INTEGER", .origin = "id"});
    int n = 1 + Pick(4);
    for (int i = 0; i < n; ++i) table.columns.push_back(Column(in_a));
    table.composite_key = Chance(15);
    if (table.composite_key) table.columns[1].unique = false;
    if (!schema.tables.empty() && Chance(50)) {
      GColumn column{.name = Name("fk"), .type = "INTEGER"};
      if (in_a) column.origin = column.name;
      table.columns.push_back(column);
      table.foreign_keys.push_back(
          {column.name, schema.tables[Pick(static_cast<int>(schema.tables.size()))].name,
           OnDelete()});
    }
    return table;
  }

  std::string OnDelete() {
    static const std::vector<std::string> kActions = {"NO ACTION", "CASCADE", "SET NULL",
                                                      "RESTRICT"};
    return kActions[Pick(static_cast<int>(kActions.size()))];
  }

  // Whether the downgrade can add `column` of b's `table` back as a had it
  // to rows that lost its values: it takes NULL or its default there, and
  // no unique constraint or index of a repeats the default.
  bool Restorable(const GTable& table, const GColumn& column) const {
    if (column.origin.empty()) return true;  // not in a
    for (const GTable& t : a_->tables) {
      if (t.name != table.origin) continue;
      for (const GColumn& c : t.columns) {
        if (c.name != column.origin) continue;
        if (c.not_null && !c.default_sql) return false;
        bool unique_index =
            std::any_of(a_->indexes.begin(), a_->indexes.end(), [&](const GIndex& i) {
              return i.kind == 1 && i.table == t.name && i.column == c.name;
            });
        return !(c.default_sql && (c.unique || unique_index));
      }
    }
    return true;
  }

  void SetA(const GSchema* a) { a_ = a; }

  // A column of `table` other than id, or nullptr.
  GColumn* OtherColumn(GTable& table, bool from_a_only = false) {
    std::vector<GColumn*> candidates;
    for (size_t i = 1; i < table.columns.size(); ++i) {
      if (!from_a_only || !table.columns[i].origin.empty()) candidates.push_back(&table.columns[i]);
    }
    if (candidates.empty()) return nullptr;
    return candidates[Pick(static_cast<int>(candidates.size()))];
  }

  void AddDependents(GSchema& schema) {
    for (int i = Pick(3); i > 0; --i) {
      GTable& table = Any(schema.tables);
      if (GColumn* column = OtherColumn(table)) {
        int kind = Pick(4);
        // A unique index needs distinct values: a's rows have them, b's
        // added columns are all NULL, which SQLite counts as distinct.
        schema.indexes.push_back({Name("ix"), table.name, column->name, kind});
      }
    }
    for (int i = Pick(3); i > 0; --i) AddView(schema);
    for (int i = Pick(3); i > 0; --i) {
      schema.triggers.push_back({Name("tr"), Any(schema.tables).name, Any(schema.tables).name});
    }
  }

  // A view of a table, or now and then of another view.
  void AddView(GSchema& schema) {
    if (!schema.views.empty() && Chance(30)) {
      GView base = Any(schema.views);
      schema.views.push_back({Name("v"), base.name, base.column});
      return;
    }
    GTable& table = Any(schema.tables);
    if (GColumn* column = OtherColumn(table)) {
      schema.views.push_back({Name("v"), table.name, column->name});
    }
  }

  // Views whose table or view is gone, or lacks their column, go too.
  static void Prune(GSchema& s) {
    for (bool again = true; again;) {
      again = false;
      for (auto it = s.views.begin(); it != s.views.end(); ++it) {
        bool ok = false;
        if (GTable* t = s.Find(it->table)) {
          ok = std::any_of(t->columns.begin(), t->columns.end(),
                           [&](const GColumn& c) { return c.name == it->column; });
        }
        for (const GView& w : s.views) ok = ok || (w.name == it->table && w.column == it->column);
        if (!ok) {
          s.views.erase(it);
          again = true;
          break;
        }
      }
    }
  }

  GSchema Schema() {
    GSchema schema;
    for (int n = 1 + Pick(3); n > 0; --n) schema.tables.push_back(Table(schema, true));
    AddDependents(schema);
    return schema;
  }

  // Everything that names `table.column` goes with it.
  static void ForgetColumn(GSchema& s, const std::string& table, const std::string& column) {
    std::erase_if(s.indexes,
                  [&](const GIndex& i) { return i.table == table && i.column == column; });
    std::erase_if(s.views, [&](const GView& v) { return v.table == table && v.column == column; });
    if (GTable* t = s.Find(table)) {
      std::erase_if(t->foreign_keys, [&](const GForeignKey& k) { return k.column == column; });
    }
  }

  static void ForgetTable(GSchema& s, const std::string& table) {
    std::erase_if(s.indexes, [&](const GIndex& i) { return i.table == table; });
    std::erase_if(s.views, [&](const GView& v) { return v.table == table; });
    std::erase_if(s.triggers,
                  [&](const GTrigger& t) { return t.table == table || t.other == table; });
    for (GTable& t : s.tables) {
      std::erase_if(t.foreign_keys, [&](const GForeignKey& k) { return k.parent == table; });
    }
  }

  // One random change; false when it did not apply to this schema.
  bool Mutate(GSchema& s) {
    GTable& table = Any(s.tables);
    GColumn* column = OtherColumn(table);
    switch (Pick(17)) {
      case 0:
        s.tables.push_back(Table(s, false));
        return true;
      case 1: {
        if (s.tables.size() < 2) return false;
        std::string name = table.name;
        ForgetTable(s, name);
        std::erase_if(s.tables, [&](const GTable& t) { return t.name == name; });
        return true;
      }
      case 2: {  // rename a table of a, with its hint
        if (table.origin.empty() || table.origin != table.name) return false;
        std::string old_name = table.name, new_name = Name("renamed_t");
        table.name = new_name;
        for (GIndex& i : s.indexes) i.table = i.table == old_name ? new_name : i.table;
        for (GView& v : s.views) v.table = v.table == old_name ? new_name : v.table;
        for (GTrigger& t : s.triggers) {
          if (t.table == old_name) t.table = new_name;
          if (t.other == old_name) t.other = new_name;
        }
        for (GTable& t : s.tables) {
          for (GForeignKey& k : t.foreign_keys)
            k.parent = k.parent == old_name ? new_name : k.parent;
        }
        return true;
      }
      case 3:
        table.columns.push_back(Column(false));
        return true;
      case 4: {
        if (column == nullptr || (table.composite_key && column == &table.columns[1])) return false;
        if (table.columns.size() < 3) return false;
        if (!Restorable(table, *column)) return false;
        std::string name = column->name;
        ForgetColumn(s, table.name, name);
        std::erase_if(table.columns, [&](const GColumn& c) { return c.name == name; });
        return true;
      }
      case 5: {  // rename a column of a, with its hint
        column = OtherColumn(table, true);
        if (column == nullptr || column->origin != column->name) return false;
        std::string old_name = column->name, new_name = Name("renamed_c");
        column->name = new_name;
        for (GIndex& i : s.indexes) {
          if (i.table == table.name && i.column == old_name) i.column = new_name;
        }
        // The views that select it, and the views of those views.
        std::vector<std::string> sources = {table.name};
        for (bool again = true; again;) {
          again = false;
          for (GView& v : s.views) {
            if (v.column == old_name &&
                std::find(sources.begin(), sources.end(), v.table) != sources.end()) {
              v.column = new_name;
              sources.push_back(v.name);
              again = true;
            }
          }
        }
        for (GForeignKey& k : table.foreign_keys)
          k.column = k.column == old_name ? new_name : k.column;
        return true;
      }
      case 6:
        if (column == nullptr) return false;
        column->type = Type();
        return true;
      case 7:  // NOT NULL only where a's rows have values
        if (column == nullptr || (column->origin.empty() && !column->not_null)) return false;
        column->not_null = !column->not_null;
        return true;
      case 8:
        if (column == nullptr) return false;
        column->default_sql = Default(column->not_null && column->origin.empty());
        if (column->default_sql) column->unique = false;
        return true;
      case 9:
        if (table.columns.size() < 2 || table.columns[1].origin.empty()) return false;
        table.composite_key = !table.composite_key;
        table.columns[1].unique = false;
        return true;
      case 10:
        if (column == nullptr || column->default_sql) return false;
        if (column->origin.empty() && column->not_null) return false;
        column->unique = !column->unique;
        return true;
      case 11:
        if (s.indexes.empty() || Chance(50)) {
          AddDependents(s);
        } else {
          s.indexes.erase(s.indexes.begin() + Pick(static_cast<int>(s.indexes.size())));
        }
        return true;
      case 12:
        if (!table.foreign_keys.empty() && Chance(50)) {
          table.foreign_keys.pop_back();
        } else if (column != nullptr) {
          std::erase_if(table.foreign_keys,
                        [&](const GForeignKey& k) { return k.column == column->name; });
          table.foreign_keys.push_back({column->name, Any(s.tables).name, OnDelete()});
        }
        return true;
      case 13:
        if (table.foreign_keys.empty()) return false;
        table.foreign_keys.back().on_delete = OnDelete();
        return true;
      case 14:
        if (column == nullptr) return false;
        column->check = !column->check;
        return true;
      case 15:
        if (!s.views.empty() && Chance(50)) {
          s.views.erase(s.views.begin() + Pick(static_cast<int>(s.views.size())));
        } else {
          AddView(s);
        }
        return true;
      default:
        if (!s.triggers.empty() && Chance(50)) {
          s.triggers.erase(s.triggers.begin() + Pick(static_cast<int>(s.triggers.size())));
        } else {
          s.triggers.push_back({Name("tr"), table.name, Any(s.tables).name});
        }
        return true;
    }
  }

 private:
  std::mt19937 random_;
  int counter_ = 0;
  const GSchema* a_ = nullptr;
};

}  // namespace

SchemaPair GenerateSqlitePair(unsigned seed) {
  Generator generator(seed);
  GSchema a = generator.Schema();
  GSchema b = a;
  generator.SetA(&a);
  for (int changes = 1 + generator.Pick(4); changes > 0;) {
    if (generator.Mutate(b)) --changes;
    Generator::Prune(b);
  }
  // b's added columns hold their default in every row: no unique index on
  // those.
  for (const GTable& table : b.tables) {
    for (const GColumn& column : table.columns) {
      if (!column.origin.empty() || !column.default_sql) continue;
      std::erase_if(b.indexes, [&](const GIndex& i) {
        return i.kind == 1 && i.table == table.name && i.column == column.name;
      });
    }
  }
  SchemaPair pair{fmt::format("seed {}", seed), a.Sql(), a.Rows(), b.Sql()};
  for (const GTable& table : b.tables) {
    if (!table.origin.empty() && table.origin != table.name) {
      pair.hints.tables[table.name] = table.origin;
    }
    for (const GColumn& column : table.columns) {
      if (!column.origin.empty() && column.origin != column.name) {
        pair.hints.columns[{table.name, column.name}] = column.origin;
      }
    }
  }
  return pair;
}

namespace {

TEST(SqliteGeneratorTest, SameSeedSamePairAndBothSchemasLoad) {
  int changed = 0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    SchemaPair pair = GenerateSqlitePair(seed);
    SchemaPair again = GenerateSqlitePair(seed);
    EXPECT_EQ(pair.a + pair.rows + pair.b, again.a + again.rows + again.b) << pair.name;
    EXPECT_NO_THROW(SnapshotOf(pair.a + pair.rows)) << pair.name << "\n" << pair.a << pair.rows;
    EXPECT_NO_THROW(SnapshotOf(pair.b)) << pair.name << "\n" << pair.b;
    // Two changes can cancel out (a flag toggled twice): rarely.
    changed += pair.a != pair.b;
  }
  EXPECT_GE(changed, 18);
}

}  // namespace
}  // namespace retort::autogen::testing
