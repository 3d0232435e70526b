#include <gtest/gtest.h>

#include "retort/error.h"
#include "script/script.h"
#include "testing/scoped_env.h"
#include "testing/temp_dir.h"

namespace retort::script {
namespace {

using test::TempDir;

constexpr char kSpecExample[] = R"(-- Add users table
--
-- Revision ID: 5cd038a8f131
-- Revises: 1a2b3c4d5e6f
-- Create Date: 2025-10-24 17:40:12.345678
-- Branch Labels: auth
-- Depends On: 0f9e8d7c6b5a
-- Transactional: yes

-- migrate:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);

-- migrate:downgrade
DROP TABLE users;
)";

class RevisionFileTest : public ::testing::Test {
 protected:
  Script Parse(const std::string& text) { return ParseRevisionFile(dir_.Write("r.sql", text)); }
  std::string ErrorOf(const std::string& text) {
    try {
      Parse(text);
    } catch (const Error& e) {
      EXPECT_EQ(e.ExitCode(), 1);
      return e.what();
    }
    return "(no error)";
  }
  std::string File() const { return (dir_.path() / "r.sql").string(); }

  TempDir dir_;
};

TEST_F(RevisionFileTest, ParsesTheSpecExample) {
  Script s = Parse(kSpecExample);
  EXPECT_EQ(s.path, dir_.path() / "r.sql");
  EXPECT_EQ(s.revision.id, "5cd038a8f131");
  EXPECT_EQ(s.revision.down_revisions, (std::vector<std::string>{"1a2b3c4d5e6f"}));
  EXPECT_EQ(s.revision.branch_labels, (std::vector<std::string>{"auth"}));
  EXPECT_EQ(s.revision.dependencies, (std::vector<std::string>{"0f9e8d7c6b5a"}));
  EXPECT_EQ(s.revision.doc, "Add users table");
  EXPECT_EQ(s.create_date, "2025-10-24 17:40:12.345678");
  EXPECT_TRUE(s.transactional);
  EXPECT_EQ(s.upgrade.first_line, 11);
  EXPECT_EQ(s.upgrade.sql,
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n\n");
  EXPECT_TRUE(s.upgrade.has_statements);
  EXPECT_EQ(s.downgrade.first_line, 14);
  EXPECT_EQ(s.downgrade.sql, "DROP TABLE users;\n");
  EXPECT_TRUE(s.downgrade.has_statements);
  EXPECT_EQ(s.header_text,
            "Add users table\n\nRevision ID: 5cd038a8f131\nRevises: 1a2b3c4d5e6f\n"
            "Create Date: 2025-10-24 17:40:12.345678\nBranch Labels: auth\n"
            "Depends On: 0f9e8d7c6b5a\nTransactional: yes");
}

TEST_F(RevisionFileTest, ReadsHeaderVariants) {
  Script s = Parse(
      "--Merge heads\n"
      "-- second line of message\n"
      "--\n"
      "-- Note: not a header key\n"
      "-- revision_id: m1\n"
      "--   REVISES :  b, a ,c\n"
      "-- branch-labels:\n"
      "-- Depends On: x.y-z, lbl\n"
      "-- transactional: No\n"
      "\r\n"
      "-- MIGRATE:Upgrade\r\n"
      "VACUUM;\r\n");
  EXPECT_EQ(s.revision.id, "m1");
  EXPECT_EQ(s.revision.down_revisions, (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_TRUE(s.revision.branch_labels.empty());
  EXPECT_EQ(s.revision.dependencies, (std::vector<std::string>{"x.y-z", "lbl"}));
  EXPECT_EQ(s.revision.doc, "Merge heads\nsecond line of message");
  EXPECT_FALSE(s.transactional);
  EXPECT_EQ(s.upgrade.sql, "VACUUM;\r\n");
  EXPECT_EQ(s.downgrade.first_line, 0);
  EXPECT_FALSE(s.downgrade.has_statements);
}

TEST_F(RevisionFileTest, EmptyValuesMeanNone) {
  Script s = Parse(
      "-- Revision ID: r1\n-- Revises:\n-- Branch Labels:\n-- Depends On:\n-- Transactional:\n"
      "-- migrate:upgrade\n-- migrate:downgrade\n");
  EXPECT_TRUE(s.revision.down_revisions.empty());
  EXPECT_TRUE(s.revision.branch_labels.empty());
  EXPECT_TRUE(s.revision.dependencies.empty());
  EXPECT_TRUE(s.transactional);
  EXPECT_EQ(s.revision.doc, "");
  EXPECT_EQ(s.upgrade.sql, "");
  EXPECT_EQ(s.upgrade.first_line, 7);
  EXPECT_FALSE(s.upgrade.has_statements);
}

TEST_F(RevisionFileTest, PythonNoneMeansNone) {
  // `down_revision = None` transcribed from an Alembic script.
  Script s = Parse(
      "-- Revision ID: r1\n-- Revises: None\n-- Branch Labels: None\n-- Depends On: None\n"
      "-- migrate:upgrade\n");
  EXPECT_TRUE(s.revision.down_revisions.empty());
  EXPECT_TRUE(s.revision.branch_labels.empty());
  EXPECT_TRUE(s.revision.dependencies.empty());
}

TEST_F(RevisionFileTest, TransactionalValues) {
  struct Case {
    const char* value;
    bool want;
  };
  const Case cases[] = {{"yes", true},    {"YES", true},  {"true", true}, {"no", false},
                        {"false", false}, {"off", false}, {"0", false}};
  for (const Case& c : cases) {
    Script s = Parse(std::string("-- Revision ID: r\n-- Transactional: ") + c.value +
                     "\n-- migrate:upgrade\n");
    EXPECT_EQ(s.transactional, c.want) << c.value;
  }
}

TEST_F(RevisionFileTest, DetectsSectionsWithoutStatements) {
  struct Case {
    const char* body;
    bool want;
  };
  const Case cases[] = {
      {"", false},
      {"\n  \n\t\n", false},
      {"-- nothing to undo\n", false},
      {"/* block\n comment */\n-- and a line\n", false},
      {"SELECT 1;", true},
      {"-- comment\nDROP TABLE t;\n", true},
      {"/* unterminated", true},
      {"  /* c */ x", true},
  };
  for (const Case& c : cases) {
    Script s = Parse(std::string("-- Revision ID: r\n-- migrate:upgrade\nSELECT 1;\n"
                                 "-- migrate:downgrade\n") +
                     c.body);
    EXPECT_EQ(s.downgrade.has_statements, c.want) << c.body;
    EXPECT_EQ(s.downgrade.sql, c.body);
  }
}

TEST_F(RevisionFileTest, SectionsMayComeInAnyOrderAndLaterCommentsAreSql) {
  Script s = Parse(
      "-- Revision ID: r\n"
      "-- migrate:downgrade\n"
      "DROP TABLE t;\n"
      "-- migrate:upgrade\n"
      "-- Revision ID: not-a-header\n"
      "CREATE TABLE t (x int);\n");
  EXPECT_EQ(s.revision.id, "r");
  EXPECT_EQ(s.downgrade.sql, "DROP TABLE t;\n");
  EXPECT_EQ(s.downgrade.first_line, 3);
  EXPECT_EQ(s.upgrade.sql, "-- Revision ID: not-a-header\nCREATE TABLE t (x int);\n");
  EXPECT_EQ(s.upgrade.first_line, 5);
}

TEST_F(RevisionFileTest, ToleratesByteOrderMark) {
  EXPECT_EQ(Parse("\xEF\xBB\xBF-- Revision ID: r\n-- migrate:upgrade\n").revision.id, "r");
}

TEST_F(RevisionFileTest, ReportsErrorsWithFileAndLine) {
  struct Case {
    const char* name;
    const char* text;
    const char* want;  // after "FILE:"
  };
  const Case cases[] = {
      {"no revision id", "-- Hello\n-- migrate:upgrade\nSELECT 1;\n", "1: no 'Revision ID' header"},
      {"empty revision id", "-- Revision ID:\n-- migrate:upgrade\n", "1: empty 'Revision ID'"},
      {"illegal id", "-- x\n-- Revision ID: ab-12@\n-- migrate:upgrade\n",
       "2: Character(s) '-, @' not allowed in revision identifier 'ab-12@' (ids are "
       "[A-Za-z0-9_]+)"},
      {"illegal parent", "-- Revision ID: a\n-- Revises: b c\n-- migrate:upgrade\n",
       "2: Character(s) ' ' not allowed in revision identifier 'b c' (ids are [A-Za-z0-9_]+)"},
      {"empty list item", "-- Revision ID: a\n-- Revises: b,,c\n-- migrate:upgrade\n",
       "2: empty item in 'Revises: b,,c'"},
      {"python tuple", "-- Revision ID: a\n-- Revises: ('b', 'c')\n-- migrate:upgrade\n",
       "2: 'Revises: ('b', 'c')' is Python syntax; write them separated by commas: "
       "'Revises: b, c'"},
      {"python list", "-- Revision ID: a\n-- Depends On: [\"x\"]\n-- migrate:upgrade\n",
       "2: 'Depends On: [\"x\"]' is Python syntax; write them separated by commas: "
       "'Depends On: x'"},
      {"bad label", "-- Revision ID: a\n-- Branch Labels: x@y\n-- migrate:upgrade\n",
       "2: bad name 'x@y' in 'Branch Labels' (names are [A-Za-z0-9_.-]+)"},
      {"garbled transactional",
       "-- Revision ID: a\n\n-- Transactional: maybe\n-- migrate:upgrade\n",
       "3: bad 'Transactional' value 'maybe' (expected yes or no)"},
      {"duplicate header", "-- Revision ID: a\n-- Revision ID: b\n-- migrate:upgrade\n",
       "2: second 'Revision ID' header (first at line 1)"},
      {"no upgrade", "-- Revision ID: a\n-- migrate:downgrade\nDROP TABLE t;\n",
       "1: no '-- migrate:upgrade' section"},
      {"two upgrades", "-- Revision ID: a\n-- migrate:upgrade\nx;\n-- migrate:upgrade\ny;\n",
       "4: second '-- migrate:upgrade' section (first at line 2)"},
      {"two downgrades",
       "-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n\n--migrate:downgrade\n",
       "5: second '-- migrate:downgrade' section (first at line 3)"},
      {"unknown marker", "-- Revision ID: a\n-- migrate:upgrade\n-- migrate:sideways\n",
       "3: unknown section marker '-- migrate:sideways' (expected '-- migrate:upgrade' or "
       "'-- migrate:downgrade')"},
      {"sql before sections", "-- Revision ID: a\nCREATE TABLE t (x int);\n-- migrate:upgrade\n",
       "2: SQL before '-- migrate:upgrade' (the header is '-- ' comment lines)"},
  };
  for (const Case& c : cases) EXPECT_EQ(ErrorOf(c.text), File() + ":" + c.want) << c.name;
}

TEST_F(RevisionFileTest, ReportsUnreadableFiles) {
  std::filesystem::path missing = dir_.path() / "missing.sql";
  try {
    ParseRevisionFile(missing);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              missing.string() + ": cannot read revision file: No such file or directory");
  }
  try {
    ParseRevisionFile(dir_.path());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              dir_.path().string() + ": cannot read revision file: Is a directory");
  }
}

}  // namespace
}  // namespace retort::script
