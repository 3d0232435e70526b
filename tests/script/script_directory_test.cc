#include "script/script_directory.h"

#include <gtest/gtest.h>

#include "project_fixture.h"
#include "retort/error.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;

class ScriptDirectoryTest : public ProjectTest {
 protected:
  std::string LoadError() {
    try {
      ScriptDirectory::Load(LoadConfig());
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::string Versions(const std::string& file) const {
    return (dir_.path() / "migrations" / "versions" / file).string();
  }
  // r00000 <- r00001 <- ... as "rNNNNN_step.sql"; returns the last id.
  std::string WriteChain(int count) {
    std::string previous;
    for (int i = 0; i < count; ++i) {
      char id[16];
      std::snprintf(id, sizeof(id), "r%05d", i);
      Revision(std::string(id) + "_step.sql", id, previous);
      previous = id;
    }
    return previous;
  }
};

std::vector<std::string> Ids(const ScriptDirectory& scripts) {
  std::vector<std::string> ids;
  for (const graph::Revision& r : scripts.map().revisions()) ids.push_back(r.id);
  return ids;
}

TEST_F(ScriptDirectoryTest, LoadsFilesInNameOrderAcrossLocations) {
  WriteConfig("version_locations = migrations/versions extra\n");
  Revision("b_second.sql", "b", "a");
  Revision("a_first.sql", "a");
  Revision("c.sql", "c", "b", "", "extra");
  Revision("B_upper.sql", "u", "a");  // byte order: 'B' < 'a'
  dir_.Write("migrations/versions/README.md", "not a revision");
  dir_.Write("migrations/versions/.#a_first.sql", "editor lock file");
  dir_.Write("migrations/versions/.hidden.sql", "hidden");
  fs::create_directories(dir_.path() / "migrations/versions/sub.sql");

  ScriptDirectory scripts = ScriptDirectory::Load(LoadConfig());
  EXPECT_EQ(Ids(scripts), (std::vector<std::string>{"u", "a", "b", "c"}));
  EXPECT_EQ(scripts.location(), dir_.path() / "migrations");
  EXPECT_EQ(scripts.version_locations(),
            (std::vector<fs::path>{dir_.path() / "migrations/versions", dir_.path() / "extra"}));
  EXPECT_EQ(scripts.Get("c").path, dir_.path() / "extra" / "c.sql");
  EXPECT_EQ(scripts.Get("a").revision.doc, "msg a");
  const graph::Revision* b = scripts.map().Find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(fs::path(scripts.Get(*b).path).filename(), "b_second.sql");
}

TEST_F(ScriptDirectoryTest, EmptyProjectHasNoRevisions) {
  ScriptDirectory scripts = ScriptDirectory::Load(LoadConfig());
  EXPECT_TRUE(scripts.map().revisions().empty());
  EXPECT_TRUE(scripts.map().Heads().empty());
}

TEST_F(ScriptDirectoryTest, ReadsAFileReachedTwiceOnce) {
  // Two listed locations, one a symlink to the other (Alembic warns
  // "loaded twice" and skips the second).
  fs::create_directory_symlink(dir_.path() / "migrations/versions", dir_.path() / "again");
  WriteConfig("version_locations = migrations/versions again\n");
  Revision("a.sql", "a");
  EXPECT_EQ(Ids(ScriptDirectory::Load(LoadConfig())), (std::vector<std::string>{"a"}));
}

TEST_F(ScriptDirectoryTest, ReadsExactlyTheListedLocationsInTheirOrder) {
  // As Alembic: when version_locations is set, script_location/versions is
  // read only if listed, and the listed order wins over file names.
  WriteConfig("version_locations = second, first\n");
  Revision("z_unlisted.sql", "stray");  // migrations/versions, not listed
  Revision("a.sql", "s1", "", "", "second");
  Revision("b.sql", "f1", "", "", "first");
  Revision("c.sql", "s2", "s1", "", "second");
  ScriptDirectory scripts = ScriptDirectory::Load(LoadConfig());
  EXPECT_EQ(Ids(scripts), (std::vector<std::string>{"s1", "s2", "f1"}));
  EXPECT_EQ(scripts.version_locations(),
            (std::vector<fs::path>{dir_.path() / "second", dir_.path() / "first"}));
  EXPECT_EQ(scripts.map().Find("stray"), nullptr);
}

TEST_F(ScriptDirectoryTest, GetRejectsUnknownIds) {
  Revision("a.sql", "a");
  ScriptDirectory scripts = ScriptDirectory::Load(LoadConfig());
  try {
    scripts.Get("zz");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Can't locate revision identified by 'zz'");
  }
}

TEST_F(ScriptDirectoryTest, ReportsFolderProblems) {
  WriteConfig("version_locations = nowhere\n");
  EXPECT_EQ(LoadError(),
            "Version location '" + (dir_.path() / "nowhere").string() + "' does not exist");
  dir_.Write("nowhere", "a file");
  EXPECT_EQ(LoadError(),
            "Version location '" + (dir_.path() / "nowhere").string() + "' is not a folder");
  fs::remove_all(dir_.path() / "migrations");
  EXPECT_EQ(LoadError(), "Path doesn't exist: '" + (dir_.path() / "migrations").string() +
                             "'.  Please use the 'init' command to create a new scripts folder.");
}

TEST_F(ScriptDirectoryTest, ReportsUnreadableFolder) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every folder";
  fs::permissions(dir_.path() / "migrations/versions", fs::perms::none);
  EXPECT_EQ(LoadError(), "Cannot read version location '" +
                             (dir_.path() / "migrations/versions").string() +
                             "': Permission denied");
}

TEST_F(ScriptDirectoryTest, ReportsBadFilesByPath) {
  Revision("a.sql", "a");
  dir_.Write("migrations/versions/b.sql", "-- Revision ID: b\n-- Revises: a\n");
  EXPECT_EQ(LoadError(), Versions("b.sql") + ":1: no '-- migrate:upgrade' section");
}

TEST_F(ScriptDirectoryTest, NamesBothFilesOfADuplicateId) {
  Revision("1.sql", "a");
  Revision("2.sql", "a");
  EXPECT_EQ(LoadError(), Versions("2.sql") + ": revision 'a' is present more than once (also in " +
                             Versions("1.sql") + ")");
}

TEST_F(ScriptDirectoryTest, PrefixesGraphErrorsWithTheFile) {
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> files;  // file -> header lines
    std::string file_at_fault;
    std::string message;
  };
  const Case cases[] = {
      {"unknown parent",
       {{"1.sql", "-- Revision ID: ab12\n-- Revises: zz99\n"}},
       "1.sql",
       "Revision zz99 referenced from ab12 is not present"},
      {"unknown dependency",
       {{"1.sql", "-- Revision ID: a\n"}, {"2.sql", "-- Revision ID: b\n-- Depends On: nope\n"}},
       "2.sql",
       "Dependency nope referenced from b is not present"},
      {"duplicate label",
       {{"1.sql", "-- Revision ID: a\n-- Branch Labels: x\n"},
        {"2.sql", "-- Revision ID: b\n-- Branch Labels: x\n"}},
       "2.sql",
       "Branch name 'x' in revision b already used by revision a"},
  };
  for (const Case& c : cases) {
    for (const auto& [file, header] : c.files) {
      dir_.Write(fs::path("migrations/versions") / file, header + "-- migrate:upgrade\n");
    }
    std::string got = LoadError();
    EXPECT_EQ(got.rfind(Versions(c.file_at_fault) + ": " + c.message, 0), 0u)
        << c.name << ": " << got;
    for (const auto& [file, header] : c.files)
      fs::remove(dir_.path() / "migrations/versions" / file);
  }
}

TEST_F(ScriptDirectoryTest, DuplicateLabelNamesTheOtherFileToo) {
  dir_.Write("migrations/versions/1.sql",
             "-- Revision ID: a\n-- Branch Labels: x\n-- migrate:upgrade\n");
  dir_.Write("migrations/versions/2.sql",
             "-- Revision ID: b\n-- Branch Labels: x\n-- migrate:upgrade\n");
  EXPECT_EQ(LoadError(), Versions("2.sql") +
                             ": Branch name 'x' in revision b already used by revision a (" +
                             Versions("1.sql") + ")");
}

TEST_F(ScriptDirectoryTest, ReportsCyclesByFile) {
  Revision("1.sql", "a", "b");
  Revision("2.sql", "b", "a");
  std::string got = LoadError();
  EXPECT_NE(got.find("Cycle is detected in revisions (a, b)"), std::string::npos) << got;
  EXPECT_EQ(got.rfind(Versions("1.sql") + ": ", 0), 0u) << got;
}

TEST_F(ScriptDirectoryTest, LoadsTenThousandFilesInOrder) {
  const int kCount = 10000;
  const std::string previous = WriteChain(kCount);
  ScriptDirectory scripts = ScriptDirectory::Load(LoadConfig());
  EXPECT_EQ(scripts.map().revisions().size(), static_cast<size_t>(kCount));
  EXPECT_EQ(scripts.map().Heads().front()->id, previous);
}

// Above 2,048 files they are parsed on several threads; the error is still
// the first malformed file in file order, whichever thread met it first.
TEST_F(ScriptDirectoryTest, ManyFilesReportTheFirstMalformedOneInFileOrder) {
  WriteChain(3000);
  dir_.Write("migrations/versions/r01500_step.sql",
             "-- Revises: r01499\n\n-- migrate:upgrade\nSELECT 1;\n");
  dir_.Write("migrations/versions/r02999_step.sql",
             "-- Revises: r02998\n\n-- migrate:upgrade\nSELECT 1;\n");
  for (int attempt = 0; attempt < 5; ++attempt) {
    try {
      ScriptDirectory::Load(LoadConfig());
      FAIL() << "malformed files were accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("r01500_step.sql:1: no 'Revision ID' header"),
                std::string::npos)
          << e.what();
    }
  }
}

// From 4,096 files the stats of a headers-only load (the revision cache's
// keys) are taken on several threads: a folder named like a revision is
// still left out, a symlink still read as its file, and a dangling symlink
// still named, whichever thread stat'ed it.
TEST_F(ScriptDirectoryTest, ManyFilesStatedInParallelAreListedAsOne) {
  const int kCount = 5000;
  const std::string last = WriteChain(kCount);
  fs::create_directories(dir_.path() / "migrations/versions/r02500_folder.sql");
  dir_.Write("elsewhere/tip.sql",
             "-- Revision ID: tip\n-- Revises: " + last + "\n\n-- migrate:upgrade\nSELECT 1;\n");
  fs::create_symlink(dir_.path() / "elsewhere/tip.sql",
                     dir_.path() / "migrations/versions/r99999_tip.sql");
  for (int round = 0; round < 2; ++round) {  // writes the cache, then reads it
    ScriptDirectory scripts =
        ScriptDirectory::Load(LoadConfig(), ScriptDirectory::Bodies::kHeaders);
    ASSERT_EQ(scripts.map().revisions().size(), static_cast<size_t>(kCount + 1));
    EXPECT_EQ(scripts.map().revisions()[1234].id, "r01234");
    ASSERT_EQ(scripts.map().Heads().size(), 1u);
    EXPECT_EQ(scripts.map().Heads().front()->id, "tip");
  }

  fs::create_symlink(dir_.path() / "elsewhere/missing.sql",
                     dir_.path() / "migrations/versions/r03000_gone.sql");
  try {
    ScriptDirectory::Load(LoadConfig(), ScriptDirectory::Bodies::kHeaders);
    FAIL() << "a dangling symlink was left out";
  } catch (const Error& e) {
    std::string got = e.what();
    EXPECT_EQ(got.rfind(Versions("r03000_gone.sql") + ": cannot read revision file", 0), 0u) << got;
    EXPECT_NE(got.find("symlink"), std::string::npos) << got;
  }
}

}  // namespace
}  // namespace retort::script
