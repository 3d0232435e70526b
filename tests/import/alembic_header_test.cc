// Reading Alembic revision headers natively: the forms Alembic's templates
// (old and new) and people write, and the errors for what cannot be read
// without running the file.
#include "import/alembic_header.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "retort/error.h"

namespace retort::import {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

AlembicHeader Read(const std::string& text, const std::string& name = "x_rev.py") {
  return ReadAlembicHeader(name, text);
}

std::string ErrorOf(const std::string& text, const std::string& name = "x_rev.py") {
  try {
    Read(text, name);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(AlembicHeader, ClassicTemplate) {
  AlembicHeader h = Read(R"("""add users

Revision ID: 5cd038a8f131
Revises: 1a2b3c4d5e6f
Create Date: 2025-10-24 17:40:12.345678

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5cd038a8f131'
down_revision = '1a2b3c4d5e6f'
branch_labels = None
depends_on = None


def upgrade():
    pass
)");
  EXPECT_EQ(h.revision, "5cd038a8f131");
  EXPECT_THAT(h.down_revisions, ElementsAre("1a2b3c4d5e6f"));
  EXPECT_THAT(h.branch_labels, IsEmpty());
  EXPECT_THAT(h.depends_on, IsEmpty());
  EXPECT_EQ(h.message, "add users");
  EXPECT_EQ(h.create_date, "2025-10-24 17:40:12.345678");
}

TEST(AlembicHeader, AnnotatedAssignmentsOfTheNewTemplate) {
  AlembicHeader h = Read(R"("""orders

Revision ID: 2b3c
Revises: 1a2b
Create Date: 2024-01-01 00:00:00

"""
from typing import Sequence, Union

revision: str = "2b3c"
down_revision: Union[str, None] = "1a2b"
branch_labels: Union[str, Sequence[str], None] = ("shop",)
depends_on: Union[str, Sequence[str], None] = None
)");
  EXPECT_EQ(h.revision, "2b3c");
  EXPECT_THAT(h.down_revisions, ElementsAre("1a2b"));
  EXPECT_THAT(h.branch_labels, ElementsAre("shop"));
}

TEST(AlembicHeader, MergesLabelsAndDependenciesInEveryLiteralForm) {
  struct Case {
    std::string value;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"None", {}},
      {"'a1'", {"a1"}},
      {"(\"a1\")", {"a1"}},
      {"('a1',)", {"a1"}},
      {"('a1', 'b2')", {"a1", "b2"}},
      {"'a1', 'b2'", {"a1", "b2"}},
      {"['a1', 'b2']", {"a1", "b2"}},
      {"[\n    'a1',  # first\n    \"b2\",\n]", {"a1", "b2"}},
      {"()", {}},
      {"[]", {}},
      {"{'a1'}", {"a1"}},
      {"r'a1'", {"a1"}},
      {"u'a' 'b1'", {"ab1"}},
      {"('a1', \\\n 'b2')", {"a1", "b2"}},
  };
  for (const Case& c : cases) {
    AlembicHeader h =
        Read("revision = 'z9'\ndown_revision = " + c.value + "\ndepends_on = " + c.value + "\n");
    EXPECT_EQ(h.down_revisions, c.expected) << c.value;
    EXPECT_EQ(h.depends_on, c.expected) << c.value;
  }
}

TEST(AlembicHeader, OnlyTopLevelAssignmentsCountAndTheLastWins) {
  AlembicHeader h = Read(R"('''one line docstring'''
revision = "first"
down_revision = None
text = """
revision = 'in_a_string'
"""

def upgrade():
    revision = 'in_a_function'
    op.execute("down_revision = 'x'")

if revision == "first":
    pass
revision = "second"
)");
  EXPECT_EQ(h.revision, "second");
  EXPECT_THAT(h.down_revisions, IsEmpty());
  EXPECT_EQ(h.message, "one line docstring");
}

TEST(AlembicHeader, MessageIsTheFirstParagraphAsAlembicShowsIt) {
  AlembicHeader h = Read(
      "# -*- coding: utf-8 -*-\n\"\"\"\n  customer status, with a lookup table\nfilled from "
      "notes\n\nRevision ID: ab\nRevises:\nCreate Date: 2023-04-12 08:30:00\n\"\"\"\nrevision = "
      "'ab'\ndown_revision = None\n");
  EXPECT_EQ(h.message, "customer status, with a lookup table\nfilled from notes");
  EXPECT_EQ(h.create_date, "2023-04-12 08:30:00");
}

TEST(AlembicHeader, LegacyFileNameGivesTheId) {
  AlembicHeader h = Read("down_revision = None\n", "ae1027a6acf.py");
  EXPECT_EQ(h.revision, "ae1027a6acf");
}

TEST(AlembicHeader, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(ErrorOf("down_revision = None\n"),
            "x_rev.py:1: no 'revision = ...' assignment (Alembic reads the revision id from it)");
  EXPECT_EQ(ErrorOf("revision = 'a'\n"), "x_rev.py:1: no 'down_revision = ...' assignment");
  EXPECT_EQ(ErrorOf("revision = 'a'\n\ndown_revision = compute()\n"),
            "x_rev.py:3: 'down_revision' is not a literal retort can read without running the "
            "file (a string, None, or a tuple or list of strings)");
  EXPECT_THAT(ErrorOf("revision = 'a-b'\ndown_revision = None\n"),
              HasSubstr("x_rev.py:1: revision id 'a-b' has characters retort does not allow"));
  EXPECT_EQ(ErrorOf("revision = 'a'\ndown_revision = None\nx = '''never closed\n"),
            "x_rev.py:3: unterminated string");
  EXPECT_THAT(ErrorOf("revision = 'a'\ndown_revision = None\nbranch_labels = 'a b'\n"),
              HasSubstr("x_rev.py:3: name 'a b' has characters retort does not allow"));
}

}  // namespace
}  // namespace retort::import
