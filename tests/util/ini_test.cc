#include "util/ini.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/scoped_env.h"
#include "testing/temp_dir.h"

namespace retort::util {
namespace {

using Values = std::map<std::string, std::string>;

Values Read(const std::string& text, const std::string& section = "retort",
            const Values& defaults = {}) {
  return IniFile::Parse(text, "retort.ini").Interpolated(section, defaults);
}

std::string ErrorOf(const std::string& text, const std::string& section = "retort",
                    const Values& defaults = {}) {
  try {
    Read(text, section, defaults);
  } catch (const IniError& e) {
    EXPECT_EQ(e.ExitCode(), 2);
    return e.what();
  }
  return "(no error)";
}

TEST(IniTest, ParsesValues) {
  struct Case {
    const char* name;
    const char* text;
    Values want;
  };
  const Case cases[] = {
      {"equals and colon", "[retort]\na = 1\nB: two\n", {{"a", "1"}, {"b", "two"}}},
      {"first delimiter wins", "[retort]\nurl = x=y:z\n", {{"url", "x=y:z"}}},
      {"empty value", "[retort]\nschema =\n", {{"schema", ""}}},
      {"comments", "# top\n[retort]\n; semi\n  # indented\na = 1\n", {{"a", "1"}}},
      {"no inline comments", "[retort]\na = b # c\n", {{"a", "b # c"}}},
      {"continuation",
       "[retort]\nv = one\n  two\n\n  three\nw = 2\n",
       {{"v", "one\ntwo\n\nthree"}, {"w", "2"}}},
      {"trailing blank lines dropped", "[retort]\nv = one\n  two\n\n\n", {{"v", "one\ntwo"}}},
      {"crlf", "[retort]\r\na = 1\r\n", {{"a", "1"}}},
      {"other sections ignored", "[x]\na = 1\n[retort]\na = 2\n", {{"a", "2"}}},
      {"DEFAULT supplies keys",
       "[DEFAULT]\nd = 4\n[retort]\na = %(d)s\n",
       {{"a", "4"}, {"d", "4"}}},
      {"percent escape", "[retort]\nt = %%(rev)s_%%(slug)s\n", {{"t", "%(rev)s_%(slug)s"}}},
      {"reference",
       "[retort]\nbase = /srv\nloc = %(base)s/m\n",
       {{"base", "/srv"}, {"loc", "/srv/m"}}},
      {"reference is case-insensitive",
       "[retort]\nBase = /srv\nloc = %(BASE)s\n",
       {{"base", "/srv"}, {"loc", "/srv"}}},
      {"nested reference",
       "[retort]\na = 1\nb = %(a)s2\nc = %(b)s3\n",
       {{"a", "1"}, {"b", "12"}, {"c", "123"}}},
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.want) << c.name;
}

TEST(IniTest, CallerDefaultsAreLiteralAndOverridable) {
  Values got = Read("[retort]\nloc = %(here)s/m\n", "retort", {{"here", "/a%b"}});
  EXPECT_EQ(got.at("loc"), "/a%b/m");
  EXPECT_EQ(got.at("here"), "/a%b");
  got = Read("[retort]\nhere = /x\nloc = %(here)s/m\n", "retort", {{"here", "/a"}});
  EXPECT_EQ(got.at("loc"), "/x/m");
}

TEST(IniTest, ListsSectionsInFileOrder) {
  IniFile ini = IniFile::Parse("[b]\n[DEFAULT]\n[a]\n", "f.ini");
  EXPECT_EQ(ini.sections(), (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(ini.HasSection("a"));
  EXPECT_FALSE(ini.HasSection("DEFAULT"));
  EXPECT_FALSE(ini.HasSection("c"));
}

TEST(IniTest, ReportsErrorsWithFileAndLine) {
  struct Case {
    const char* name;
    const char* text;
    const char* section;
    const char* want;
  };
  const Case cases[] = {
      {"malformed", "[retort]\na = 1\njust words\n", "retort",
       "retort.ini:3: malformed line 'just words' (expected 'key = value', '[section]' or a "
       "comment)"},
      {"no section", "a = 1\n", "retort", "retort.ini:1: setting 'a' before any [section] header"},
      {"bad header", "[retort\n", "retort", "retort.ini:1: bad section header '[retort'"},
      {"empty header", "[]\n", "retort", "retort.ini:1: bad section header '[]'"},
      {"duplicate section", "[retort]\n[x]\n[retort]\n", "retort",
       "retort.ini:3: duplicate section [retort] (first at line 1)"},
      {"duplicate key", "[retort]\nurl = a\nURL = b\n", "retort",
       "retort.ini:3: duplicate setting 'url' in [retort] (first at line 2)"},
      {"unknown section", "[retort]\n", "prod", "No section 'prod' in retort.ini"},
      {"DEFAULT is not a section", "[DEFAULT]\n", "DEFAULT", "No section 'DEFAULT' in retort.ini"},
      {"unknown reference", "[retort]\n\nloc = %(nope)s/x\n", "retort",
       "retort.ini:3: setting 'loc' refers to unknown setting '%(nope)s'"},
      {"bare percent", "[retort]\nurl = postgresql://u:p%40@h/db\n", "retort",
       "retort.ini:2: '%' in setting 'url' must be followed by '%' or '(' (write '%%' for a "
       "literal '%')"},
      {"bad reference", "[retort]\na = %(b)d\nb = 1\n", "retort",
       "retort.ini:2: bad reference '%(b)d' in setting 'a' (expected %(name)s)"},
      {"self reference", "[retort]\na = %(a)s\n", "retort",
       "retort.ini:2: setting 'a' refers to itself through %(...)s"},
  };
  for (const Case& c : cases) EXPECT_EQ(ErrorOf(c.text, c.section), c.want) << c.name;
}

TEST(IniTest, LoadsFilesAndNamesUnreadableOnes) {
  test::TempDir dir;
  std::filesystem::path file = dir.Write("x.ini", "[retort]\na = 1\n");
  EXPECT_EQ(IniFile::Load(file).Interpolated("retort", {}).at("a"), "1");
  EXPECT_EQ(IniFile::Load(file).filename(), file.string());
  try {
    IniFile::Load(dir.path() / "missing.ini");
    FAIL() << "no error";
  } catch (const IniError& e) {
    EXPECT_EQ(std::string(e.what()), "Cannot read config file '" +
                                         (dir.path() / "missing.ini").string() +
                                         "': No such file or directory");
  }
}

TEST(MaskUrlPasswordsTest, MasksOnlyPasswords) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"postgresql://u:secret@h/db", "postgresql://u:***@h/db"},
      {"postgresql://u:se@cret@h/db", "postgresql://u:***@h/db"},
      {"postgresql://u@h/db", "postgresql://u@h/db"},
      {"postgresql://h:5432/db", "postgresql://h:5432/db"},
      {"sqlite:///app.db", "sqlite:///app.db"},
      {"a postgres://x:y@h and postgres://p:q@h2 'z'",
       "a postgres://x:***@h and postgres://p:***@h2 'z'"},
      {"no url", "no url"},
      // A URL without credentials does not reach into the next URL's.
      {"dev_url sqlite:// is not the same kind as the target postgresql://u:***@h:1/db",
       "dev_url sqlite:// is not the same kind as the target postgresql://u:***@h:1/db"},
      {"dev_url sqlite:// is not the same kind as the target postgresql://u:pw@h:1/db",
       "dev_url sqlite:// is not the same kind as the target postgresql://u:***@h:1/db"},
  };
  for (const Case& c : cases) EXPECT_EQ(MaskUrlPasswords(c.text), c.want) << c.text;
}

}  // namespace
}  // namespace retort::util

namespace retort::util {
namespace {

// configparser stops only self-reference (depth 10); nested references that
// multiply are bounded too, by size and by the number of references.
TEST(IniExpansionBoundTest, ReferencesThatMultiplyAreStopped) {
  std::string text = "[retort]\nd = " + std::string(2000, 'x') + "\n";
  std::string refs;
  for (int k = 0; k < 10; ++k) refs += "%(d)s";
  text += "c = " + refs + "\n";
  for (char c : refs) text += c == 'd' ? 'c' : c;
  text.insert(text.size(), "");
  text = text.substr(0, text.rfind('\n') + 1);
  std::string b_line = "b = ", a_line = "a = ";
  for (int k = 0; k < 10; ++k) b_line += "%(c)s";
  for (int k = 0; k < 10; ++k) a_line += "%(b)s";
  text += b_line + "\n" + a_line + "\n";  // a: 1,000 copies of 2,000 x = 2 MB
  EXPECT_EQ(ErrorOf(text),
            "retort.ini:5: setting 'a' expands to more than 1048576 characters through %(...)s "
            "(nested references multiply)");
}

TEST(IniExpansionBoundTest, ManyReferencesToNothingAreStopped) {
  std::string text = "[retort]\ne5 =\n";
  for (int level = 4; level >= 0; --level) {
    text += "e" + std::to_string(level) + " = ";
    for (int k = 0; k < 20; ++k) text += "%(e" + std::to_string(level + 1) + ")s";
    text += "\n";
  }
  EXPECT_EQ(ErrorOf(text),
            "retort.ini:7: setting 'e0' expands through more than 100000 %(...)s references "
            "(nested references multiply)");
}

TEST(IniExpansionBoundTest, ManySettingsJustUnderTheBoundAreStoppedInAll) {
  std::string text = "[retort]\nbig = " + std::string(1000000, 'x') + "\n";
  for (int k = 0; k < 5; ++k) text += "k" + std::to_string(k) + " = %(big)s\n";
  std::string error = ErrorOf(text);
  EXPECT_NE(error.find("the settings expand to more than 4194304 characters in all"),
            std::string::npos)
      << error;
}

TEST(IniExpansionBoundTest, OrdinaryNestingStillWorks) {
  Values values = Read("[retort]\nhost = db\nurl = postgresql://%(host)s/%(name)s\nname = app\n");
  EXPECT_EQ(values.at("url"), "postgresql://db/app");
}

}  // namespace
}  // namespace retort::util
