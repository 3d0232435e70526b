// ImportAlembic on small projects written here: what retort.ini gets from
// alembic.ini and env.py (version table and schema, URL without password,
// version_locations in Alembic's order), and the rendered bodies' extras
// (autocommit blocks, irreversible downgrades).
#include "import/alembic_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "retort/error.h"
#include "testing/temp_dir.h"

namespace retort::import {
namespace {

namespace fs = std::filesystem;
using test::ReadFile;
using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Revision(const std::string& id, const std::string& down, const std::string& body,
                     const std::string& downgrade = "    op.drop_table('t')") {
  return "\"\"\"rev " + id + "\n\nRevision ID: " + id +
         "\n\"\"\"\nfrom alembic import op\nimport "
         "sqlalchemy as sa\n\nrevision = '" +
         id + "'\ndown_revision = " + down +
         "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n" + body +
         "\n\n\ndef downgrade():\n" + downgrade + "\n";
}

AlembicImportReport Import(const TempDir& dir, const std::string& dialect = "postgresql") {
  AlembicImportOptions options;
  options.ini = dir / "alembic.ini";
  options.dialect = dialect;
  return ImportAlembic(options);
}

TEST(AlembicImport, EnvPySettingsAndThePasswordlessUrlGoToRetortIni) {
  TempDir dir;
  dir.Write("alembic.ini",
            "[alembic]\nscript_location = db\nversion_locations = %(here)s/db/versions, "
            "%(here)s/../shared_versions\n"
            "sqlalchemy.url = postgresql+psycopg2://app:s3cret@db.internal/shop\n");
  dir.Write("db/env.py",
            "from alembic import context\ncontext.configure(url=url, "
            "version_table='schema_versions',\n    version_table_schema=\"ops\", "
            "transaction_per_migration=True)\n");
  dir.Write("db/versions/a1_t.py",
            Revision("a1", "None", "    op.create_table('t', sa.Column('id', sa.Integer))"));
  fs::create_directories(dir.path().parent_path() / "shared_versions");
  struct Cleanup {
    fs::path path;
    ~Cleanup() { fs::remove_all(path); }
  } cleanup{dir.path().parent_path() / "shared_versions"};

  AlembicImportReport report = Import(dir);
  EXPECT_EQ(report.revisions, 1);
  std::string ini = ReadFile(dir / "retort/retort.ini");
  EXPECT_THAT(ini, HasSubstr("script_location = db\n"));
  EXPECT_THAT(ini, HasSubstr("version_locations = db/versions shared_versions\n"));
  EXPECT_THAT(ini, HasSubstr("version_table = schema_versions\n"));
  EXPECT_THAT(ini, HasSubstr("version_table_schema = ops\n"));
  EXPECT_THAT(ini, HasSubstr("transaction_per_migration = true\n"));
  EXPECT_THAT(ini, Not(HasSubstr("s3cret")));
  EXPECT_THAT(ini, HasSubstr("# url = postgresql+psycopg2://app:***@db.internal/shop"));
  EXPECT_TRUE(fs::is_directory(dir / "retort/shared_versions"));
  EXPECT_THAT(ReadFile(dir / "retort/db/versions/a1_t.sql"),
              HasSubstr("-- migrate:upgrade\nCREATE TABLE t (\n    id INTEGER\n);\n"));
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_THAT(report.notes[0].text, HasSubstr("holds a password, which retort does not copy"));
}

TEST(AlembicImport, AutocommitBlocksAndIrreversibleDowngradesAreCarriedOver) {
  TempDir dir;
  dir.Write("alembic.ini", "[alembic]\nscript_location = migrations\n");
  dir.Write("migrations/versions/a1_enum.py",
            Revision("a1", "None",
                     "    with op.get_context().autocommit_block():\n"
                     "        op.execute(\"ALTER TYPE mood ADD VALUE 'soso'\")",
                     "    raise NotImplementedError('enum values stay')"));
  AlembicImportReport report = Import(dir);
  EXPECT_EQ(report.rendered, 1);
  EXPECT_TRUE(report.needs_hand.empty());
  std::string file = ReadFile(dir / "retort/migrations/versions/a1_enum.sql");
  EXPECT_THAT(file, HasSubstr("-- Transactional: no\n"));
  EXPECT_THAT(file, HasSubstr("ALTER TYPE mood ADD VALUE 'soso';"));
  EXPECT_THAT(file, Not(HasSubstr("COMMIT")));
  EXPECT_THAT(file, HasSubstr("-- migrate:downgrade\n-- Alembic's downgrade() raises "
                              "NotImplementedError: enum values stay: this revision is "
                              "irreversible.\n"));
  ASSERT_EQ(report.notes.size(), 2u);
}

TEST(AlembicImport, ARevisionMayAskTheBindForItsDialect) {
  for (const std::string dialect : {"postgresql", "sqlite"}) {
    TempDir dir;
    dir.Write("alembic.ini", "[alembic]\nscript_location = migrations\n");
    dir.Write("migrations/versions/a1_citext.py",
              Revision("a1", "None",
                       "    if op.get_bind().dialect.name == 'postgresql':\n"
                       "        op.execute('CREATE EXTENSION IF NOT EXISTS citext')",
                       "    pass"));
    AlembicImportReport report = Import(dir, dialect);
    EXPECT_EQ(report.rendered, 1) << dialect;
    std::string file = ReadFile(dir / "retort/migrations/versions/a1_citext.sql");
    if (dialect == "postgresql") {
      EXPECT_THAT(file, HasSubstr("CREATE EXTENSION IF NOT EXISTS citext;"));
    } else {
      EXPECT_THAT(file, Not(HasSubstr("citext;")));
    }
  }
}

TEST(AlembicImport, ADocstringWithoutABlankLineKeepsItsHeaderReadable) {
  TempDir dir;
  dir.Write("alembic.ini", "[alembic]\nscript_location = migrations\n");
  dir.Write("migrations/versions/a1_x.py",
            "\"\"\"add users\nRevision ID: a1\nRevises:\nCreate Date: 2024-01-01\n\"\"\"\n"
            "revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    pass\n\n"
            "def downgrade():\n    pass\n");
  Import(dir);
  std::string file = ReadFile(dir / "retort/migrations/versions/a1_x.sql");
  EXPECT_THAT(file, ::testing::StartsWith("-- add users\n--\n-- Revision ID: a1\n-- Revises:\n-- "
                                          "Create Date: 2024-01-01\n"));
}

TEST(AlembicImport, UnknownDialectIsAUsageError) {
  TempDir dir;
  dir.Write("alembic.ini", "[alembic]\nscript_location = migrations\n");
  try {
    Import(dir, "oracle");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "Unknown --dialect 'oracle' (expected sqlite or postgresql)");
  }
  EXPECT_FALSE(fs::exists(dir / "retort"));
}

}  // namespace
}  // namespace retort::import
