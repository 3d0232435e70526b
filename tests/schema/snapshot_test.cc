#include "schema/snapshot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "driver/connection.h"
#include "retort/database_url.h"
#include "testing/postgres_server.h"

namespace retort::schema {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A fresh database of `dialect` holding `sql`, inspected.
class Inspector {
 public:
  explicit Inspector(const std::string& server_url) : server_url_(server_url) {}

  Snapshot Take(const std::string& sql, const std::vector<std::string>& exclude = {}) {
    if (server_url_.empty()) {
      auto connection = driver::Connect(DatabaseUrl::Parse("sqlite://"));
      connection->ExecuteScript(sql);
      return TakeSnapshot(*connection, exclude);
    }
    test::ScratchPostgresDatabase database(server_url_);
    auto connection = driver::Connect(DatabaseUrl::Parse(database.url()));
    connection->ExecuteScript(sql);
    Snapshot snapshot = TakeSnapshot(*connection, exclude);
    connection.reset();
    return snapshot;
  }

  std::vector<std::string> DiffOf(const std::string& expected, const std::string& actual) {
    return Diff(Take(expected), Take(actual));
  }

 private:
  std::string server_url_;
};

constexpr const char* kSqliteSchema = R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,
                    age INT DEFAULT 0 CHECK (age >= 0));
CREATE TABLE posts (id INTEGER PRIMARY KEY,
                    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, title TEXT);
CREATE INDEX ix_posts_title ON posts (lower(title)) WHERE title IS NOT NULL;
CREATE VIEW adults AS SELECT id FROM users WHERE age >= 18;
CREATE TRIGGER tr_posts AFTER INSERT ON posts BEGIN SELECT 1; END;
)sql";

TEST(SqliteSnapshotTest, SameSchemaWrittenDifferentlyComparesEqual) {
  Inspector inspector("");
  const char* other = R"sql(
create table "users" (
  id integer primary key,
  email text not null unique,
  age int default 0 check(age>=0)
);
create table posts (id integer primary key, user_id integer references "users"(id) on delete cascade,
  title text);
create index ix_posts_title on posts(LOWER(title)) where title is not null;
create view adults as select id from users where age>=18;
create trigger tr_posts after insert on posts begin select 1; end;
)sql";
  EXPECT_THAT(inspector.DiffOf(kSqliteSchema, other), IsEmpty());
  Snapshot snapshot = inspector.Take(kSqliteSchema);
  EXPECT_EQ(snapshot.tables.size(), 2u);
  EXPECT_EQ(snapshot.columns.size(), 6u);
  ASSERT_EQ(snapshot.foreign_keys.size(), 1u);
  EXPECT_EQ(snapshot.foreign_keys[0].on_delete, "CASCADE");
  ASSERT_EQ(snapshot.checks.size(), 1u);
  EXPECT_EQ(snapshot.checks[0].expression, "(age >= 0)");
  EXPECT_EQ(snapshot.unique_constraints.size(), 1u);
}

TEST(SqliteSnapshotTest, ExcludedTablesAreLeftOut) {
  Inspector inspector("");
  Snapshot snapshot = inspector.Take(
      "CREATE TABLE retort_version (version_num TEXT PRIMARY KEY);"
      "CREATE TABLE retort_version_history (id INTEGER PRIMARY KEY);",
      {"retort_version", "retort_version_history"});
  EXPECT_TRUE(snapshot.empty()) << fmt::format("{}", fmt::join(Describe(snapshot), "\n"));
}

// PRAGMA user_version / application_id: recorded when non-zero, and a
// difference only where `expected` (the declared schema) sets them: an
// application's own user_version is not drift.
TEST(SqliteSnapshotTest, PragmasCountOnlyWhereExpectedSetsThem) {
  Inspector inspector("");
  const std::string base = "CREATE TABLE t (id INTEGER PRIMARY KEY);";
  Snapshot plain = inspector.Take(base);
  EXPECT_THAT(plain.objects, IsEmpty());
  Snapshot set = inspector.Take(base + "PRAGMA user_version = 3; PRAGMA application_id = 7;");
  ASSERT_EQ(set.objects.size(), 2u);
  EXPECT_EQ(set.objects[0].kind, "pragma");
  EXPECT_EQ(set.objects[0].name, "application_id");
  EXPECT_EQ(set.objects[0].definition, "7");
  EXPECT_EQ(set.objects[1].name, "user_version");
  EXPECT_EQ(set.objects[1].definition, "3");

  EXPECT_THAT(Diff(plain, set), IsEmpty());
  EXPECT_THAT(Diff(set, plain), ElementsAre("missing in database: pragma application_id 7",
                                            "missing in database: pragma user_version 3"));
  EXPECT_THAT(inspector.DiffOf(base + "PRAGMA user_version = 3;",
                               base + "PRAGMA user_version = 4; PRAGMA application_id = 7;"),
              ElementsAre("differs: pragma user_version: 3 vs 4"));
}

struct DiffCase {
  std::string name;
  std::string expected;
  std::string actual;
  std::vector<std::string> lines;
};

TEST(SqliteSnapshotTest, EachKindOfDifferenceIsNamed) {
  const std::string base = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);";
  const std::vector<DiffCase> cases = {
      {"table",
       base,
       base + "CREATE TABLE u (x INT);",
       {"unexpected in database: table u", "unexpected in database: column u.x INTEGER"}},
      {"column",
       "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT NOT NULL);",
       base,
       {"missing in database: column t.b TEXT NOT NULL"}},
      {"column type",
       base,
       "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(5));",
       {"differs: column t.a: TEXT vs VARCHAR(5)"}},
      {"default",
       base,
       "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'x');",
       {"differs: column t.a: TEXT vs TEXT DEFAULT 'x'"}},
      {"primary key",
       base,
       "CREATE TABLE t (id INTEGER, a TEXT, PRIMARY KEY (id, a));",
       {"differs: primary key on t: (id) vs (id, a)"}},
      {"unique",
       base,
       "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE);",
       {"unexpected in database: unique constraint on t (a)"}},
      {"index",
       base + "CREATE INDEX ix ON t (a);",
       base + "CREATE INDEX ix ON t (a) WHERE a > 1;",
       {"differs: index ix ON t: (a) vs (a) where a > 1"}},
      {"foreign key",
       base + "CREATE TABLE c (t_id INT REFERENCES t (id));",
       base + "CREATE TABLE c (t_id INT REFERENCES t (id) ON DELETE SET NULL);",
       {"differs: foreign key on c: (t_id) REFERENCES t (id) ON DELETE NO ACTION ON UPDATE NO "
        "ACTION vs (t_id) REFERENCES t (id) ON DELETE SET NULL ON UPDATE NO ACTION"}},
      {"check",
       base,
       "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, CONSTRAINT ck CHECK (a <> ''));",
       {"unexpected in database: check constraint ck on t CHECK (a <> '')"}},
      {"view",
       base + "CREATE VIEW v AS SELECT id FROM t;",
       base + "CREATE VIEW v AS SELECT a FROM t;",
       {"differs: view v: AS select id from t vs AS select a from t"}},
      {"trigger",
       base,
       base + "CREATE TRIGGER tr AFTER DELETE ON t BEGIN SELECT 1; END;",
       {"unexpected in database: trigger tr on t create trigger tr after delete on t begin select "
        "1; end"}},
  };
  Inspector inspector("");
  for (const DiffCase& c : cases) {
    EXPECT_THAT(inspector.DiffOf(c.expected, c.actual), ::testing::ElementsAreArray(c.lines))
        << c.name;
  }
}

constexpr const char* kPostgresSchema = R"sql(
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE SEQUENCE counter START 10;
CREATE TABLE users (id serial PRIMARY KEY, email varchar(50) NOT NULL UNIQUE,
                    age integer DEFAULT 0 CHECK (age >= 0), feeling mood);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    user_id integer REFERENCES users (id) ON DELETE CASCADE, title text);
CREATE INDEX ix_posts_title ON posts (lower(title)) WHERE title IS NOT NULL;
CREATE VIEW adults AS SELECT id FROM users WHERE age >= 18;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr_posts BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION touch();
)sql";

TEST(PostgresSnapshotTest, SameSchemaWrittenDifferentlyComparesEqual) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  Inspector inspector(url);
  const char* other = R"sql(
create type mood as enum ('sad', 'happy');
create sequence counter start with 10 increment by 1;
create table users (
  id SERIAL,
  email CHARACTER VARYING(50) not null,
  age INT default (0),
  feeling mood,
  constraint users_pkey primary key (id),
  constraint users_email_key unique (email),
  constraint users_age_check check (age>=0));
comment on table users is 'people';
comment on column users.email is 'login';
create table posts (id int8 generated always as identity primary key,
  user_id int4 references users on delete cascade, title TEXT);
create index ix_posts_title on posts (LOWER(title)) where (title is not null);
create view adults as select id from users where age>=18;
create function touch() returns trigger language plpgsql as $$ BEGIN RETURN NEW; END $$;
create trigger tr_posts before insert on posts for each row execute function touch();
)sql";
  EXPECT_THAT(inspector.DiffOf(kPostgresSchema, other), IsEmpty());
  Snapshot snapshot = inspector.Take(kPostgresSchema);
  EXPECT_EQ(snapshot.tables.size(), 2u);
  EXPECT_EQ(snapshot.enums.size(), 1u);
  EXPECT_EQ(snapshot.sequences.size(), 3u);  // counter, users_id_seq, posts_id_seq
  // Functions are objects (postgres_objects.cc), with the rest that is not a table.
  ASSERT_EQ(snapshot.objects.size(), 1u);
  EXPECT_EQ(snapshot.objects[0].kind, "function");
  EXPECT_EQ(snapshot.objects[0].name, "touch()");
}

TEST(PostgresSnapshotTest, EachKindOfDifferenceIsNamed) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  const std::string base = "CREATE TABLE t (id integer PRIMARY KEY, a text);";
  const std::vector<DiffCase> cases = {
      {"column type",
       base,
       "CREATE TABLE t (id integer PRIMARY KEY, a varchar(5));",
       {"differs: column t.a: text vs character varying(5)"}},
      {"nullability",
       base,
       "CREATE TABLE t (id integer PRIMARY KEY, a text NOT NULL);",
       {"differs: column t.a: text vs text NOT NULL"}},
      {"default",
       base,
       "CREATE TABLE t (id integer PRIMARY KEY, a text DEFAULT 'x');",
       {"differs: column t.a: text vs text DEFAULT 'x'::text"}},
      {"index",
       base,
       base + "CREATE UNIQUE INDEX ix ON t (lower(a));",
       {"unexpected in database: index ix ON t UNIQUE USING btree (lower(a))"}},
      {"foreign key",
       base + "CREATE TABLE c (t_id integer REFERENCES t);",
       base + "CREATE TABLE c (t_id integer REFERENCES t ON UPDATE CASCADE);",
       {"differs: foreign key c_t_id_fkey on c: (t_id) REFERENCES t (id) ON DELETE NO ACTION ON "
        "UPDATE NO ACTION vs (t_id) REFERENCES t (id) ON DELETE NO ACTION ON UPDATE CASCADE"}},
      {"check",
       base + "ALTER TABLE t ADD CONSTRAINT ck CHECK (a <> '');",
       base + "ALTER TABLE t ADD CONSTRAINT ck CHECK (a <> 'x');",
       {"differs: check constraint ck on t: CHECK CHECK (a <> ''::text) vs CHECK CHECK (a <> "
        "'x'::text)"}},
      {"enum",
       "CREATE TYPE m AS ENUM ('a');",
       "CREATE TYPE m AS ENUM ('a', 'b');",
       {"differs: enum type m: ('a') vs ('a', 'b')"}},
      {"sequence",
       "CREATE SEQUENCE s;",
       "CREATE SEQUENCE s INCREMENT 2;",
       {"differs: sequence s: AS bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE "
        "9223372036854775807 vs AS bigint START 1 INCREMENT 2 MINVALUE 1 MAXVALUE "
        "9223372036854775807"}},
      {"comment", base, base + "COMMENT ON TABLE t IS 'x';", {"differs: table t:  vs COMMENT 'x'"}},
      {"view",
       base,
       base + "CREATE VIEW v AS SELECT a FROM t;",
       {"unexpected in database: view v AS SELECT t.a FROM t;"}},
  };
  Inspector inspector(url);
  for (const DiffCase& c : cases) {
    EXPECT_THAT(inspector.DiffOf(c.expected, c.actual), ::testing::ElementsAreArray(c.lines))
        << c.name;
  }
}

}  // namespace
}  // namespace retort::schema
