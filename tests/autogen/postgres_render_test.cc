// The PostgreSQL renderer's exact text for the changes a reviewer reads
// most (no database; the round-trip tests prove it runs).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "autogen/column_builder.h"
#include "autogen/render.h"

namespace retort::autogen {
namespace {

using test::Col;

std::string Sql(const std::vector<Operation>& ops, const schema::Snapshot& to = {}) {
  std::string out;
  for (const auto& statement : RenderPostgresql(ops, {}, to)) {
    if (!statement.comment.empty()) out += "-- " + statement.comment + "\n";
    out += statement.sql + "\n";
  }
  return out;
}

struct Case {
  std::string name;
  std::vector<Operation> ops;
  std::string sql;
};

TEST(PostgresRenderTest, StatementsReadAsAPersonWouldWriteThem) {
  schema::EnumType mood{.name = "mood", .values = {"sad", "ok"}};
  std::vector<Case> cases = {
      {"names quoted only when needed",
       {AddColumn{Col("user", "Order", "text", true, "'x'::text")}},
       "ALTER TABLE \"user\" ADD COLUMN \"Order\" text DEFAULT 'x'::text NOT NULL;\n"},
      {"destructive statements carry their reason",
       {DropColumn{Col("users", "email", "text")}},
       "-- DESTRUCTIVE: drops column users.email and its data\n"
       "ALTER TABLE users DROP COLUMN email;\n"},
      {"type change with a default",
       {AlterColumn{Col("t", "n", "integer", false, "0"), Col("t", "n", "bigint", false, "0")}},
       "ALTER TABLE t ALTER COLUMN n DROP DEFAULT;\n"
       "ALTER TABLE t ALTER COLUMN n TYPE bigint;\n"
       "ALTER TABLE t ALTER COLUMN n SET DEFAULT 0;\n"},
      {"a narrowing text change fails on a long value rather than cutting it (no USING)",
       {AlterColumn{Col("t", "s", "text"), Col("t", "s", "character varying(3)")}},
       "-- DESTRUCTIVE: changes the type of t.s from text to character varying(3): values may "
       "fail to convert or be cut\n"
       "ALTER TABLE t ALTER COLUMN s TYPE character varying(3);\n"},
      {"across families the cast is explicit",
       {AlterColumn{Col("t", "s", "text"), Col("t", "s", "integer")}},
       "-- DESTRUCTIVE: changes the type of t.s from text to integer: values may fail to "
       "convert or be cut\n"
       "ALTER TABLE t ALTER COLUMN s TYPE integer USING s::integer;\n"},
      {"nullability and comment",
       {AlterColumn{Col("t", "n", "text", true),
                    [] {
                      auto c = Col("t", "n", "text");
                      c.comment = "it's n";
                      return c;
                    }()}},
       "-- DESTRUCTIVE: drops NOT NULL on t.n: NULLs become possible\n"
       "ALTER TABLE t ALTER COLUMN n DROP NOT NULL;\n"
       "COMMENT ON COLUMN t.n IS 'it''s n';\n"},
      {"enum values added in order",
       {AlterEnum{mood, {.name = "mood", .values = {"bad", "sad", "fine", "ok", "happy"}}}},
       "ALTER TYPE mood ADD VALUE 'bad' BEFORE 'sad';\n"
       "ALTER TYPE mood ADD VALUE 'fine' AFTER 'sad';\n"
       "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';\n"},
      {"foreign key with actions",
       {AddForeignKey{{.table = "posts",
                       .name = "posts_user_id_fkey",
                       .columns = {"user_id"},
                       .referenced_table = "users",
                       .referenced_columns = {"id"},
                       .on_delete = "CASCADE"}}},
       "ALTER TABLE posts ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES "
       "users (id) ON DELETE CASCADE;\n"},
      {"renames",
       {RenameTable{"people", "persons"}, RenameColumn{"persons", "mail", "email"},
        RenameConstraint{"persons", "people_pkey", "persons_pkey"},
        RenameIndex{"persons", "app.ix_a", "app.ix_b"}},
       "ALTER TABLE people RENAME TO persons;\n"
       "ALTER TABLE persons RENAME COLUMN mail TO email;\n"
       "ALTER TABLE persons RENAME CONSTRAINT people_pkey TO persons_pkey;\n"
       "ALTER INDEX app.ix_a RENAME TO ix_b;\n"},
      {"index and view",
       {CreateIndex{{.table = "t",
                     .name = "ix_t",
                     .unique = true,
                     .definition = "USING btree (lower(a)) WHERE (b > 0)"}},
        CreateView{{.name = "v", .definition = " SELECT t.a\n   FROM t;"}}},
       "CREATE UNIQUE INDEX ix_t ON t USING btree (lower(a)) WHERE (b > 0);\n"
       "CREATE VIEW v AS\nSELECT t.a\n   FROM t;\n"},
      {"view comments: after the CREATE, and in place",
       {CreateView{
            {.name = "m", .materialized = true, .definition = " SELECT 1;", .comment = "it's m"}},
        SetViewComment{"v", false, std::nullopt, "open"},
        SetViewComment{"m", true, "it's m", std::nullopt}},
       "CREATE MATERIALIZED VIEW m AS\nSELECT 1;\n"
       "COMMENT ON MATERIALIZED VIEW m IS 'it''s m';\n"
       "COMMENT ON VIEW v IS 'open';\n"
       "COMMENT ON MATERIALIZED VIEW m IS NULL;\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(Sql(c.ops), c.sql) << c.name;
}

TEST(PostgresRenderTest, NewTableWithSerialKeyAndNamedConstraints) {
  schema::Snapshot to{.dialect = "postgresql"};
  to.columns = {Col("users", "id", "integer", true, "nextval('users_id_seq'::regclass)"),
                Col("users", "email", "text", true)};
  to.sequences = {{.name = "users_id_seq",
                   .type = "integer",
                   .start = 1,
                   .increment = 1,
                   .min = 1,
                   .max = 2147483647,
                   .owner = "users.id"}};
  TableDefinition users{
      .table = {.name = "users", .comment = "people"},
      .columns = to.columns,
      .primary_key = schema::PrimaryKey{.table = "users", .name = "users_pkey", .columns = {"id"}},
      .unique_constraints = {{.table = "users", .name = "users_email_key", .columns = {"email"}}},
      .checks = {
          {.table = "users", .name = "email_nonempty", .expression = "CHECK (email <> '')"}}};
  EXPECT_EQ(Sql({CreateTable{users}}, to),
            "CREATE TABLE users (\n"
            "    id serial,\n"
            "    email text NOT NULL,\n"
            "    CONSTRAINT users_pkey PRIMARY KEY (id),\n"
            "    CONSTRAINT users_email_key UNIQUE (email),\n"
            "    CONSTRAINT email_nonempty CHECK (email <> '')\n"
            ");\n"
            "COMMENT ON TABLE users IS 'people';\n");
  // A sequence with its own options is created before and owned after.
  to.sequences[0].increment = 10;
  EXPECT_EQ(Sql({CreateTable{users}}, to).substr(0, 120),
            std::string("CREATE SEQUENCE users_id_seq AS integer INCREMENT BY 10;\n"
                        "CREATE TABLE users (\n"
                        "    id integer DEFAULT nextval('users_id_seq'::regclass) NOT NULL,\n")
                .substr(0, 120));
  EXPECT_NE(Sql({CreateTable{users}}, to).find("ALTER SEQUENCE users_id_seq OWNED BY users.id;"),
            std::string::npos);
}

}  // namespace
}  // namespace retort::autogen
