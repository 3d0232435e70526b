// RenderSqlite on hand-built operations, run against real SQLite files:
// which changes are native ALTERs, the table rebuild's statements, rows kept,
// foreign keys, dependent views and triggers, destructive comments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "autogen/render.h"
#include "autogen/sqlite_rebuild.h"
#include "autogen/sqlite_test_support.h"
#include "retort/error.h"
#include "testing/temp_dir.h"

namespace retort::autogen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Lines;
using testing::Script;
using testing::SnapshotOf;
using testing::SqliteFile;

const schema::Column& ColumnOf(const schema::Snapshot& snapshot, const std::string& table,
                               const std::string& name) {
  for (const schema::Column& column : snapshot.columns) {
    if (column.table == table && column.name == name) return column;
  }
  throw Error("no column " + table + "." + name);
}

std::vector<std::string> Sql(const std::vector<RenderedStatement>& statements) {
  std::vector<std::string> out;
  for (const RenderedStatement& statement : statements) out.push_back(statement.sql);
  return out;
}

// A database file at schema `a` with `rows` inserted; renders `ops` from a to
// b, applies them and checks the database now has b's schema.
class RenderSqliteTest : public ::testing::Test {
 protected:
  std::vector<RenderedStatement> Upgrade(const std::string& a, const std::string& rows,
                                         const std::string& b, const std::vector<Operation>& ops) {
    db_ = std::make_unique<SqliteFile>(dir_ / "app.db");
    db_->Exec(a);
    db_->Exec(rows);
    from_ = db_->Snapshot();
    to_ = SnapshotOf(b);
    std::vector<RenderedStatement> statements = RenderSqlite(ops, from_, to_);
    db_->Apply(statements);
    EXPECT_THAT(schema::Diff(to_, db_->Snapshot()), IsEmpty()) << Script(statements);
    return statements;
  }

  // Reverse(ops) from b back to a: the schema is a's again.
  void Downgrade(const std::vector<Operation>& ops) {
    std::vector<RenderedStatement> statements = RenderSqlite(Reverse(ops), to_, from_);
    db_->Apply(statements);
    EXPECT_THAT(schema::Diff(from_, db_->Snapshot()), IsEmpty()) << Script(statements);
  }

  test::TempDir dir_;
  std::unique_ptr<SqliteFile> db_;
  schema::Snapshot from_, to_;
};

TEST_F(RenderSqliteTest, AddColumnIsNativeWithTheDeclaredDefinition) {
  const std::string a = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);";
  const std::string b =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT,\n"
      "  b TEXT NOT NULL DEFAULT 'x' COLLATE NOCASE);";
  schema::Snapshot to = SnapshotOf(b);
  std::vector<Operation> ops = {AddColumn{ColumnOf(to, "t", "b")}};
  std::vector<RenderedStatement> statements =
      Upgrade(a, "INSERT INTO t VALUES (1, 'one');", b, ops);
  EXPECT_THAT(Sql(statements),
              ElementsAre("ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'x' COLLATE NOCASE;"));
  EXPECT_THAT(db_->Rows("t", {"id", "a", "b"}), ElementsAre("1|'one'|'x'"));
  Downgrade(ops);
  EXPECT_THAT(Sql(RenderSqlite(Reverse(ops), to_, from_)),
              ElementsAre("ALTER TABLE t DROP COLUMN b;"));
  EXPECT_THAT(db_->Rows("t", {"id", "a"}), ElementsAre("1|'one'"));
}

TEST_F(RenderSqliteTest, AddColumnSqliteCannotAddIsARebuild) {
  const std::string a = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);";
  // NOT NULL without a default and a non-constant default: ADD COLUMN refuses both.
  const std::string b =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, "
      "stamp TEXT DEFAULT CURRENT_TIMESTAMP, n INT NOT NULL DEFAULT (1 + 1));";
  schema::Snapshot to = SnapshotOf(b);
  std::vector<Operation> ops = {AddColumn{ColumnOf(to, "t", "stamp")},
                                AddColumn{ColumnOf(to, "t", "n")}};
  std::vector<RenderedStatement> statements =
      Upgrade(a, "INSERT INTO t VALUES (1, 'one'), (2, NULL);", b, ops);
  EXPECT_THAT(Sql(statements),
              ElementsAre("CREATE TABLE _retort_new_t (id INTEGER PRIMARY KEY, a TEXT, stamp TEXT "
                          "DEFAULT CURRENT_TIMESTAMP, n INT NOT NULL DEFAULT (1 + 1));",
                          "INSERT INTO _retort_new_t (id, a) SELECT id, a FROM t;", "DROP TABLE t;",
                          "ALTER TABLE _retort_new_t RENAME TO t;"));
  EXPECT_THAT(db_->Rows("t", {"id", "a", "n"}), ElementsAre("1|'one'|2", "2|NULL|2"));
  Downgrade(ops);
  EXPECT_THAT(db_->Rows("t", {"id", "a"}), ElementsAre("1|'one'", "2|NULL"));
}

TEST_F(RenderSqliteTest, ManyChangesToOneTableAreOneRebuild) {
  const std::string a =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INT, old_name TEXT);"
      "CREATE INDEX ix_t_a ON t (a);"
      "CREATE TRIGGER tr_t AFTER INSERT ON t BEGIN SELECT 1; END;";
  const std::string b =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL UNIQUE, b TEXT DEFAULT 'z',\n"
      "  new_name TEXT CHECK (length(new_name) < 100));"
      "CREATE INDEX ix_t_a ON t (a) WHERE a <> '';"
      "CREATE TRIGGER tr_t AFTER INSERT ON t BEGIN SELECT 1; END;";
  schema::Snapshot from = SnapshotOf(a), to = SnapshotOf(b);
  std::vector<Operation> ops = {
      DropIndex{from.indexes[0]},
      RenameColumn{"t", "old_name", "new_name"},
      AlterColumn{ColumnOf(from, "t", "a"), ColumnOf(to, "t", "a")},
      AlterColumn{ColumnOf(from, "t", "b"), ColumnOf(to, "t", "b")},
      AddUniqueConstraint{to.unique_constraints[0]},
      AddCheckConstraint{to.checks[0]},
      CreateIndex{to.indexes[0]},
  };
  std::vector<RenderedStatement> statements =
      Upgrade(a, "INSERT INTO t VALUES (1, 'x', 5, 'keep'), (2, 'y', NULL, NULL);", b, ops);
  std::vector<std::string> sql = Sql(statements);
  EXPECT_EQ(std::count_if(sql.begin(), sql.end(),
                          [](const std::string& s) { return s.starts_with("CREATE TABLE"); }),
            1)
      << Script(statements);
  EXPECT_THAT(sql, ::testing::Contains(
                       "INSERT INTO _retort_new_t (id, a, b, new_name) SELECT id, a, b, old_name "
                       "FROM t;"));
  EXPECT_THAT(sql, ::testing::Contains("CREATE INDEX ix_t_a ON t (a) WHERE a <> '';"));
  EXPECT_THAT(sql,
              ::testing::Contains("CREATE TRIGGER tr_t AFTER INSERT ON t BEGIN SELECT 1; END;"));
  EXPECT_THAT(db_->Rows("t", {"id", "a", "b", "new_name"}),
              ElementsAre("1|'x'|'5'|'keep'", "2|'y'|NULL|NULL"));
  Downgrade(ops);
  EXPECT_THAT(db_->Rows("t", {"id", "a", "b", "old_name"}),
              ElementsAre("1|'x'|5|'keep'", "2|'y'|NULL|NULL"));
}

TEST_F(RenderSqliteTest, ViewsAndOtherTablesTriggersThatNameTheTableAreRecreated) {
  const std::string common =
      "CREATE TABLE log (msg TEXT);"
      "CREATE VIEW v AS SELECT id, a FROM t;"
      "CREATE VIEW v2 AS SELECT a FROM v WHERE id > 0;"
      "CREATE TRIGGER tr_log AFTER INSERT ON log BEGIN UPDATE t SET a = new.msg; END;"
      "CREATE TRIGGER tr_v INSTEAD OF DELETE ON v2 BEGIN DELETE FROM log; END;";
  const std::string a = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);" + common;
  const std::string b = "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(10) NOT NULL);" + common;
  schema::Snapshot from = SnapshotOf(a), to = SnapshotOf(b);
  std::vector<Operation> ops = {AlterColumn{ColumnOf(from, "t", "a"), ColumnOf(to, "t", "a")}};
  std::vector<RenderedStatement> statements = Upgrade(a, "INSERT INTO t VALUES (1, 'x');", b, ops);
  std::vector<std::string> sql = Sql(statements);
  ASSERT_GE(sql.size(), 4u);
  // Dropped before the old table goes: SQLite's RENAME refuses to run while
  // any of them names a missing table.
  EXPECT_THAT(std::vector<std::string>(sql.begin(), sql.begin() + 4),
              ::testing::UnorderedElementsAre("DROP TRIGGER tr_log;", "DROP TRIGGER tr_v;",
                                              "DROP VIEW v;", "DROP VIEW v2;"));
  EXPECT_THAT(db_->Column("SELECT a FROM v2"), ElementsAre("x"));
  Downgrade(ops);
  EXPECT_THAT(db_->Column("SELECT a FROM v2"), ElementsAre("x"));
}

constexpr const char* kParent = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);";
constexpr const char* kParentNotNull =
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);";
constexpr const char* kChild =
    "CREATE TABLE child (id INTEGER PRIMARY KEY,"
    " parent_id INT REFERENCES parent (id) ON DELETE CASCADE);";
constexpr const char* kRows =
    "INSERT INTO parent VALUES (1, 'p'); INSERT INTO child VALUES (10, 1), (11, 1);";

TEST_F(RenderSqliteTest, RebuildOfAReferencedTableKeepsTheChildRows) {
  const std::string a = std::string(kParent) + kChild;
  const std::string b = std::string(kParentNotNull) + kChild;
  schema::Snapshot from = SnapshotOf(a), to = SnapshotOf(b);
  std::vector<Operation> ops = {
      AlterColumn{ColumnOf(from, "parent", "name"), ColumnOf(to, "parent", "name")}};
  std::vector<RenderedStatement> statements = Upgrade(a, kRows, b, ops);
  EXPECT_THAT(statements.front().sql, HasSubstr("CREATE TEMP TABLE _retort_rebuild_guard"));
  EXPECT_THAT(db_->Rows("child", {"id", "parent_id"}), ElementsAre("10|1", "11|1"));
  Downgrade(ops);
  EXPECT_THAT(db_->Rows("child", {"id", "parent_id"}), ElementsAre("10|1", "11|1"));
  EXPECT_THAT(db_->Column("PRAGMA foreign_key_check"), IsEmpty());
}

// With PRAGMA foreign_keys on, the rebuild's DROP TABLE would delete the
// children (CASCADE) or fail at COMMIT (NO ACTION, even deferred): the guard
// stops it first with a message that says why.
TEST_F(RenderSqliteTest, RebuildOfAReferencedTableRefusesToRunWithForeignKeysOn) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {" ON DELETE CASCADE", "run ON DELETE CASCADE on child"},
      {"", "break the foreign key of child"}};
  for (const auto& [action, consequence] : cases) {
    const std::string child =
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent (id)" +
        action + ");";
    test::TempDir dir;
    SqliteFile db(dir / "fk.db");
    db.Exec(kParent + child);
    db.Exec(kRows);
    schema::Snapshot from = db.Snapshot(), to = SnapshotOf(kParentNotNull + child);
    std::vector<Operation> ops = {
        AlterColumn{ColumnOf(from, "parent", "name"), ColumnOf(to, "parent", "name")}};
    db.Exec("PRAGMA foreign_keys = ON");
    try {
      db.Apply(RenderSqlite(ops, from, to));
      ADD_FAILURE() << "the rebuild ran with foreign_keys on";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "CHECK constraint failed: rebuilding parent needs PRAGMA foreign_keys = OFF: "
                "dropping the old parent would " +
                    consequence);
    }
    EXPECT_THAT(schema::Diff(from, db.Snapshot()), IsEmpty());
    EXPECT_THAT(db.Rows("child", {"id"}), ElementsAre("10", "11"));
  }
}

// A table nothing references rebuilds with foreign keys on too: its own
// keys are checked as its rows are copied.
TEST_F(RenderSqliteTest, ChildTableRebuildsWithForeignKeysOn) {
  const std::string a = std::string(kParent) + kChild;
  const std::string b = std::string(kParent) +
                        "CREATE TABLE child (id INTEGER PRIMARY KEY,"
                        " parent_id INT NOT NULL REFERENCES parent (id) ON DELETE CASCADE);";
  SqliteFile db(dir_ / "fk.db");
  db.Exec(a);
  db.Exec(kRows);
  schema::Snapshot from = db.Snapshot(), to = SnapshotOf(b);
  std::vector<Operation> ops = {
      AlterColumn{ColumnOf(from, "child", "parent_id"), ColumnOf(to, "child", "parent_id")}};
  db.Exec("PRAGMA foreign_keys = ON");
  db.Apply(RenderSqlite(ops, from, to));
  EXPECT_THAT(schema::Diff(to, db.Snapshot()), IsEmpty());
  EXPECT_THAT(db.Rows("child", {"id", "parent_id"}), ElementsAre("10|1", "11|1"));
}

TEST_F(RenderSqliteTest, DropColumnIsNativeUnlessSqliteRefusesIt) {
  const std::string a =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, free TEXT, indexed TEXT);"
      "CREATE INDEX ix_t ON t (indexed);";
  schema::Snapshot from = SnapshotOf(a);
  // Only the free column: native.
  std::vector<RenderedStatement> free_only =
      RenderSqlite({DropColumn{ColumnOf(from, "t", "free")}}, from,
                   SnapshotOf("CREATE TABLE t (id INTEGER PRIMARY KEY, indexed TEXT);"
                              "CREATE INDEX ix_t ON t (indexed);"));
  ASSERT_EQ(free_only.size(), 1u);
  EXPECT_EQ(free_only[0].sql, "ALTER TABLE t DROP COLUMN free;");
  EXPECT_EQ(free_only[0].comment,
            "DESTRUCTIVE: " + *DestructiveReason(DropColumn{ColumnOf(from, "t", "free")}));
  // The indexed one: SQLite refuses DROP COLUMN, so the table is rebuilt.
  std::vector<RenderedStatement> indexed =
      RenderSqlite({DropIndex{from.indexes[0]}, DropColumn{ColumnOf(from, "t", "indexed")}}, from,
                   SnapshotOf("CREATE TABLE t (id INTEGER PRIMARY KEY, free TEXT);"));
  EXPECT_THAT(Sql(indexed), ::testing::Contains("DROP TABLE t;"));
  EXPECT_THAT(indexed.front().comment, HasSubstr("DESTRUCTIVE: "));
}

TEST_F(RenderSqliteTest, DropColumnRoundTripKeepsOtherColumns) {
  const std::string a =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, free TEXT DEFAULT 'd', indexed TEXT);"
      "CREATE INDEX ix_t ON t (indexed);";
  const std::string b = "CREATE TABLE t (id INTEGER PRIMARY KEY);";
  schema::Snapshot from = SnapshotOf(a);
  std::vector<Operation> ops = {DropIndex{from.indexes[0]}, DropColumn{ColumnOf(from, "t", "free")},
                                DropColumn{ColumnOf(from, "t", "indexed")}};
  Upgrade(a, "INSERT INTO t VALUES (1, 'f', 'i');", b, ops);
  EXPECT_THAT(db_->Rows("t", {"id"}), ElementsAre("1"));
  Downgrade(ops);
  EXPECT_THAT(db_->Rows("t", {"id", "free", "indexed"}), ElementsAre("1|'d'|NULL"));
}

TEST_F(RenderSqliteTest, TablesIndexesViewsTriggersAndRenames) {
  const std::string a =
      "CREATE TABLE old_t (id INTEGER PRIMARY KEY, a TEXT);"
      "CREATE TABLE gone (x INT);";
  const std::string b =
      "-- the table users read\n"
      "CREATE TABLE new_t (id INTEGER PRIMARY KEY, b TEXT);"
      "CREATE TABLE made (y INT -- why y\n);"
      "CREATE INDEX ix_made ON made (y);"
      "CREATE VIEW v AS SELECT b FROM new_t;"
      "CREATE TRIGGER tr AFTER INSERT ON made BEGIN DELETE FROM new_t; END;";
  schema::Snapshot from = SnapshotOf(a), to = SnapshotOf(b);
  TableDefinition gone = sqlite::DefinitionOf(from, "gone");
  TableDefinition made = sqlite::DefinitionOf(to, "made");
  made.indexes.clear();
  made.triggers.clear();
  std::vector<Operation> ops = {RenameTable{"old_t", "new_t"},
                                RenameColumn{"new_t", "a", "b"},
                                DropTable{gone},
                                CreateTable{made},
                                CreateIndex{to.indexes[0]},
                                CreateView{to.views[0]},
                                CreateTrigger{to.triggers[0]}};
  std::vector<RenderedStatement> statements =
      Upgrade(a, "INSERT INTO old_t VALUES (1, 'x'); INSERT INTO gone VALUES (5);", b, ops);
  // The created table takes its final shape and indexes from the declared
  // schema at once; the separate operations on it have nothing left to do.
  // New views and triggers come last.
  EXPECT_THAT(
      Sql(statements),
      ElementsAre("ALTER TABLE old_t RENAME TO new_t;", "ALTER TABLE new_t RENAME COLUMN a TO b;",
                  "DROP TABLE gone;", "CREATE TABLE made (y INT -- why y\n);",
                  "CREATE INDEX ix_made ON made (y);", "CREATE VIEW v AS SELECT b FROM new_t;",
                  "CREATE TRIGGER tr AFTER INSERT ON made BEGIN DELETE FROM new_t; END;"));
  EXPECT_EQ(statements[2].comment, "DESTRUCTIVE: " + *DestructiveReason(DropTable{gone}));
  EXPECT_THAT(db_->Rows("new_t", {"id", "b"}), ElementsAre("1|'x'"));
  Downgrade(ops);
  EXPECT_THAT(db_->Rows("old_t", {"id", "a"}), ElementsAre("1|'x'"));
}

TEST_F(RenderSqliteTest, CreateTableCarriesItsIndexesAndTriggers) {
  const std::string b =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);"
      "CREATE UNIQUE INDEX ux_t ON t (lower(a));"
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;";
  schema::Snapshot to = SnapshotOf(b);
  std::vector<Operation> ops = {CreateTable{sqlite::DefinitionOf(to, "t")}};
  std::vector<RenderedStatement> statements = Upgrade("", "", b, ops);
  EXPECT_EQ(statements.size(), 3u);
  Downgrade(ops);
}

TEST_F(RenderSqliteTest, RenameColumnIsNativeAndViewsFollow) {
  const std::string a =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE VIEW v AS SELECT * FROM t;";
  const std::string b =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT); CREATE VIEW v AS SELECT * FROM t;";
  std::vector<Operation> ops = {RenameColumn{"t", "a", "b"}};
  EXPECT_THAT(Sql(Upgrade(a, "INSERT INTO t VALUES (1, 'x');", b, ops)),
              ElementsAre("ALTER TABLE t RENAME COLUMN a TO b;"));
  Downgrade(ops);
  EXPECT_THAT(db_->Rows("t", {"id", "a"}), ElementsAre("1|'x'"));
}

TEST_F(RenderSqliteTest, ModelIsRenderedWhenNoCreateTextIsKnown) {
  const std::string a =
      "CREATE TABLE p (id INTEGER PRIMARY KEY);"
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);";
  const std::string b =
      "CREATE TABLE p (id INTEGER PRIMARY KEY);"
      "CREATE TABLE t (id INTEGER, a TEXT NOT NULL DEFAULT (lower('X')), p_id INT,"
      " CONSTRAINT \"order\" CHECK (a <> ''), UNIQUE (a, p_id), PRIMARY KEY (id),"
      " FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE);";
  schema::Snapshot from = SnapshotOf(a), to = SnapshotOf(b);
  schema::Snapshot bare = to;
  for (schema::Table& table : bare.tables) table.sql.clear();
  std::vector<Operation> ops = {
      AlterColumn{ColumnOf(from, "t", "a"), ColumnOf(to, "t", "a")},
      AddColumn{ColumnOf(to, "t", "p_id")},
      AddCheckConstraint{to.checks[0]},
      AddUniqueConstraint{to.unique_constraints[0]},
      AddForeignKey{to.foreign_keys[0]},
  };
  SqliteFile db(dir_ / "model.db");
  db.Exec(a);
  db.Exec("INSERT INTO t VALUES (1, 'x')");
  std::vector<RenderedStatement> statements = RenderSqlite(ops, from, bare);
  EXPECT_EQ(statements[0].sql,
            "CREATE TABLE _retort_new_t (\n"
            "    id INTEGER,\n"
            "    a TEXT NOT NULL DEFAULT (lower('X')),\n"
            // The snapshot spells a non-key INT as INTEGER (the same column).
            "    p_id INTEGER,\n"
            "    PRIMARY KEY (id),\n"
            "    UNIQUE (a, p_id),\n"
            "    FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE,\n"
            "    CONSTRAINT \"order\" CHECK (a <> '')\n"
            ");");
  db.Apply(statements);
  EXPECT_THAT(schema::Diff(to, db.Snapshot()), IsEmpty());
  EXPECT_THAT(db.Rows("t", {"id", "a", "p_id"}), ElementsAre("1|'x'|NULL"));
}

TEST(RenderSqliteErrorsTest, PostgresOnlyOperationsAreRefused) {
  schema::Snapshot empty{.dialect = "sqlite"};
  try {
    RenderSqlite({CreateEnum{schema::EnumType{.name = "mood", .values = {"sad"}}}}, empty, empty);
    FAIL() << "an enum was rendered for SQLite";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("SQLite has no"));
    EXPECT_THAT(e.what(), HasSubstr("mood"));
  }
  EXPECT_THROW(RenderSqlite({SetTableComment{"t", std::nullopt, "x"}}, empty, empty), Error);
  EXPECT_THROW(RenderSqlite({CreateSequence{schema::Sequence{.name = "s"}}}, empty, empty), Error);
}

TEST(SqliteSqlTextTest, CreatedNameIsReplacedTokenAware) {
  using sqlite::WithCreatedName;
  EXPECT_EQ(WithCreatedName("CREATE TABLE \"t\" (t INT) -- t", "n"), "CREATE TABLE n (t INT) -- t");
  EXPECT_EQ(WithCreatedName("create table if not exists main.t(a)", "_retort_new_t"),
            "create table if not exists _retort_new_t(a)");
  EXPECT_EQ(WithCreatedName("CREATE TABLE [my t] (a)", "my t2"), "CREATE TABLE \"my t2\" (a)");
  EXPECT_EQ(sqlite::QuoteName("order"), "\"order\"");
  EXPECT_EQ(sqlite::QuoteName("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(sqlite::QuoteName("users_2"), "users_2");
}

TEST(SqliteSqlTextTest, ColumnDefinitionIsFoundAsWritten) {
  const std::string sql =
      "CREATE TABLE t (\n  id INTEGER PRIMARY KEY, -- the key\n  \"Name\" TEXT DEFAULT ('a,b'),\n"
      "  n NUMERIC(10, 2) CHECK (n > 0),\n  CONSTRAINT c CHECK (id > 0))";
  EXPECT_EQ(sqlite::ColumnDefinitionText(sql, "name"), "\"Name\" TEXT DEFAULT ('a,b')");
  EXPECT_EQ(sqlite::ColumnDefinitionText(sql, "n"), "n NUMERIC(10, 2) CHECK (n > 0)");
  EXPECT_EQ(sqlite::ColumnDefinitionText(sql, "c"), std::nullopt);
}

TEST(SqliteSnapshotNormalisationTest, DefaultsWrittenDifferentlyCompareEqual) {
  schema::Snapshot a = SnapshotOf(
      "CREATE TABLE t (a TEXT DEFAULT 'x', b TEXT DEFAULT CURRENT_TIMESTAMP, c INT DEFAULT -1,"
      " d INT DEFAULT TRUE, e INT DEFAULT (lower('A')), f REAL DEFAULT 1.5);"
      "CREATE TABLE u (t_a TEXT REFERENCES t (a));");
  schema::Snapshot b = SnapshotOf(
      "create table t (a text default ('x'), b text default (current_timestamp),"
      " c int default (- 1), d int default 1, e int default ((lower('A'))), f real default +1.5);"
      "create table u (t_a text references T (A));");
  EXPECT_THAT(schema::Diff(a, b), IsEmpty());
  EXPECT_EQ(*ColumnOf(a, "t", "c").default_value, "-1");
  EXPECT_EQ(*ColumnOf(a, "t", "a").default_value, "'x'");
  EXPECT_THAT(
      Lines(schema::Diff(a, SnapshotOf("CREATE TABLE t (a TEXT DEFAULT 'y', b TEXT DEFAULT "
                                       "CURRENT_TIMESTAMP, c INT DEFAULT -1, d INT DEFAULT "
                                       "TRUE, e INT DEFAULT (lower('A')), f REAL DEFAULT "
                                       "1.5); CREATE TABLE u (t_a TEXT REFERENCES t (a));"))),
      HasSubstr("differs: column t.a: TEXT DEFAULT 'x' vs TEXT DEFAULT 'y'"));
}

}  // namespace
}  // namespace retort::autogen
