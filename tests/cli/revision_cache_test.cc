// The revision cache (<script_location>/.retort-cache, docs/performance.md):
// it must never change what a command prints or does, never hide an edited
// applied revision, and survive corruption and concurrent writers.
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sanitized.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;

const Env kNoCache{{"RETORT_NO_CACHE", "1"}};
const Env kCache{{"RETORT_NO_CACHE", std::nullopt}};
// The cache on, the heap on malloc's 4 KiB pages (docs/commands.md).
const Env kCacheSmallPages{{"RETORT_NO_CACHE", std::nullopt}, {"RETORT_NO_HUGE_PAGES", "1"}};

fs::path CacheOf(const TempProject& project) {
  return project.root() / "migrations" / ".retort-cache";
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// True when `bytes` is a whole cache as retort writes it (file-formats.md):
// the first line's headers length, the headers trailer there, and, when
// bodies follow, the bodies trailer at the end.
bool WholeCache(const std::string& bytes) {
  const std::string magic = "retort-revision-cache 3 ";
  if (bytes.size() < magic.size() + 17 + 38 || bytes.compare(0, magic.size(), magic) != 0) {
    return false;
  }
  std::size_t headers = std::stoull(bytes.substr(magic.size(), 16), nullptr, 16);
  if (headers > bytes.size() || headers < 38) return false;
  auto trailer_ok = [&](std::size_t from, std::size_t end) {
    return bytes.compare(end - 38, 4, "end ") == 0 &&
           std::stoull(bytes.substr(end - 34, 16), nullptr, 16) == end - 38 - from;
  };
  if (!trailer_ok(0, headers)) return false;
  return headers == bytes.size() ||
         (bytes.compare(headers, 7, "bodies\n") == 0 && trailer_ok(headers, bytes.size()));
}

// Files younger than two seconds are not cached (a same-size rewrite in the
// same timestamp tick would not change their stat): let them settle.
void Settle() { std::this_thread::sleep_for(std::chrono::milliseconds(2100)); }

// A graph with a branch point, two labelled branches, a dependency and a
// merge, so heads/history/--sql exercise everything the cache stores.
std::vector<RevisionSpec> Branchy() {
  RevisionSpec base = TableRevision("a1", {}, "t_a1");
  RevisionSpec left = TableRevision("b1", {"a1"}, "t_b1");
  left.labels = {"left"};
  RevisionSpec right = TableRevision("c1", {"a1"}, "t_c1");
  right.labels = {"right"};
  right.transactional = false;
  RevisionSpec dep = TableRevision("d1", {"c1"}, "t_d1");
  dep.depends_on = {"b1"};
  RevisionSpec merge{.id = "m1", .revises = {"b1", "d1"}, .message = "merge left and right"};
  RevisionSpec tip = TableRevision("e1", {"m1"}, "t_e1");
  tip.downgrade = std::nullopt;  // irreversible
  return {base, left, right, dep, merge, tip};
}

TEST(RevisionCacheTest, SameSizeEditWithRestoredMtimeIsStillCaught) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root(), kCache)));
  Settle();
  ASSERT_TRUE(Succeeded(RunRetort({"heads"}, project.root(), kCache)));
  ASSERT_TRUE(fs::exists(CacheOf(project)));
  // The cache vouches for both files now: a no-op upgrade passes.
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root(), kCache)));

  // Same size, same inode, modification time put back: only ctime tells.
  fs::path file = project.versions_dir() / "aaa111_create_t1.sql";
  struct stat before {};
  ASSERT_EQ(::stat(file.c_str(), &before), 0);
  std::string text = ReadBytes(file);
  std::size_t at = text.find("CREATE TABLE t1");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 15, "CREATE TABLE t9");
  {
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    out << text;
  }
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  struct stat after {};
  ASSERT_EQ(::stat(file.c_str(), &after), 0);
  ASSERT_EQ(after.st_size, before.st_size);
  ASSERT_EQ(after.st_ino, before.st_ino);
  ASSERT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  ASSERT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);

  DbState db = Snapshot(project.db());
  CliResult refused = RunRetort({"upgrade", "head"}, project.root(), kCache);
  EXPECT_TRUE(IsOneLineError(
      refused, 1, {"Revision file migrations/versions/aaa111_create_t1.sql (aaa111) changed"}));
  EXPECT_EQ(Snapshot(project.db()), db);
}

// The cached SQL (the bodies part, read by upgrade/downgrade) is the file's
// only while its stat is unchanged: a same-size edit with the modification
// time put back is run and printed as edited, not as cached.
TEST(RevisionCacheTest, CachedSqlOfAFileEditedInPlaceIsNotUsed) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  Settle();
  CliResult first = RunRetort({"upgrade", "head", "--sql"}, project.root(), kCache);
  ASSERT_TRUE(Succeeded(first));
  ASSERT_TRUE(WholeCache(ReadBytes(CacheOf(project))));
  ASSERT_NE(ReadBytes(CacheOf(project)).find("\nbodies\n"), std::string::npos);
  // Served from the bodies part now: the same script.
  CliResult cached = RunRetort({"upgrade", "head", "--sql"}, project.root(), kCache);
  EXPECT_EQ(cached.out, first.out);
  ASSERT_NE(cached.out.find("CREATE TABLE t2"), std::string::npos);

  fs::path file = project.versions_dir() / "bbb222_create_t2.sql";
  struct stat before {};
  ASSERT_EQ(::stat(file.c_str(), &before), 0);
  std::string text = ReadBytes(file);
  std::size_t at = text.find("CREATE TABLE t2");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 15, "CREATE TABLE t8");
  {
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    out << text;
  }
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);

  CliResult edited = RunRetort({"upgrade", "head", "--sql"}, project.root(), kCache);
  EXPECT_TRUE(Succeeded(edited));
  EXPECT_NE(edited.out.find("CREATE TABLE t8"), std::string::npos) << edited.out;
  EXPECT_EQ(edited.out.find("CREATE TABLE t2"), std::string::npos) << edited.out;
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root(), kCache)));
  EXPECT_THAT(SchemaDump(project.db()), ::testing::HasSubstr("t8"));
  EXPECT_THAT(SchemaDump(project.db()), ::testing::Not(::testing::HasSubstr("CREATE TABLE t2")));
}

TEST(RevisionCacheTest, CorruptOrTruncatedCacheIsIgnored) {
  TempProject project(Branchy());
  Settle();
  CliResult reference = RunRetort({"history", "-v"}, project.root(), kNoCache);
  ASSERT_TRUE(Succeeded(reference));
  ASSERT_FALSE(fs::exists(CacheOf(project))) << "RETORT_NO_CACHE=1 wrote a cache";
  ASSERT_TRUE(Succeeded(RunRetort({"heads"}, project.root(), kCache)));
  const std::string good = ReadBytes(CacheOf(project));
  ASSERT_GT(good.size(), 100u);

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x20;  // one byte, length kept
  std::string forged_count = good;
  std::vector<std::string> corrupt = {
      good.substr(0, good.size() / 2),         // truncated
      good.substr(0, good.size() - 1),         // trailer cut
      flipped,                                 // bit rot
      std::string(good.size(), '\0'),          // zeros
      "retort-revision-cache 999\ngarbage\n",  // another format
      "",                                      // empty
  };
  std::string flipped_body = good;  // in the SQL part, read only by --sql
  flipped_body[flipped_body.size() - 60] ^= 0x20;
  corrupt.push_back(flipped_body);
  CliResult reference_sql = RunRetort({"upgrade", "head", "--sql"}, project.root(), kNoCache);
  ASSERT_TRUE(Succeeded(reference_sql));
  for (const std::string& bytes : corrupt) {
    WriteBytes(CacheOf(project), bytes);
    CliResult run = RunRetort({"history", "-v"}, project.root(), kCache);
    EXPECT_TRUE(Succeeded(run));
    EXPECT_EQ(run.out, reference.out);
    EXPECT_EQ(run.err, reference.err);
    CliResult sql = RunRetort({"upgrade", "head", "--sql"}, project.root(), kCache);
    EXPECT_TRUE(Succeeded(sql));
    EXPECT_EQ(sql.out, reference_sql.out);
    EXPECT_EQ(sql.err, reference_sql.err);
    // ... and replaced by a valid one.
    EXPECT_EQ(ReadBytes(CacheOf(project)), good);
  }
}

TEST(RevisionCacheTest, ConcurrentWritersLeaveAValidCache) {
  std::vector<RevisionSpec> revisions;
  for (int i = 0; i < 200; ++i) {
    revisions.push_back(TableRevision(fmt::format("r{:04d}", i),
                                      i == 0
                                          ? std::vector<std::string>{}
                                          : std::vector<std::string>{fmt::format("r{:04d}", i - 1)},
                                      fmt::format("t{}", i)));
  }
  TempProject project(revisions);
  Settle();
  CliResult reference = RunRetort({"history"}, project.root(), kNoCache);
  ASSERT_TRUE(Succeeded(reference));
  for (const CliResult& run : RunRetortConcurrently(8, {"history"}, project.root(), kCache)) {
    EXPECT_TRUE(Succeeded(run));
    EXPECT_EQ(run.out, reference.out);
  }
  // One complete cache, no temporary file left behind.
  for (const fs::directory_entry& entry : fs::directory_iterator(project.root() / "migrations")) {
    EXPECT_EQ(entry.path().filename().string().find(".retort-cache."), std::string::npos)
        << entry.path();
  }
  EXPECT_TRUE(WholeCache(ReadBytes(CacheOf(project))));
  // Valid: the next run reads it and has nothing to rewrite (same inode).
  struct stat first {};
  ASSERT_EQ(::stat(CacheOf(project).c_str(), &first), 0);
  CliResult again = RunRetort({"history"}, project.root(), kCache);
  EXPECT_EQ(again.out, reference.out);
  struct stat second {};
  ASSERT_EQ(::stat(CacheOf(project).c_str(), &second), 0);
  EXPECT_EQ(first.st_ino, second.st_ino);
}

// Neither the cache nor the huge-page heap changes what a command prints
// or does: each is compared with a run without it. (A sanitizer build has
// no huge-page heap: its small-pages runs would repeat the cached ones.)
TEST(RevisionCacheTest, CacheOnAndOffPrintTheSame) {
  const bool compare_pages = !kSanitized;
  TempProject cached(Branchy());
  TempProject uncached(Branchy());
  TempProject small_pages(Branchy());
  Settle();
  const std::vector<std::vector<std::string>> commands = {
      {"heads"},
      {"heads", "-v"},
      {"heads", "--resolve-dependencies"},
      {"history"},
      {"history", "-v"},
      {"history", "-r", "b1:heads"},
      {"branches"},
      {"current"},
      {"upgrade", "head", "--sql"},
      {"upgrade", "left@head", "--sql"},
      {"downgrade", "heads:base", "--sql"},
  };
  // -v prints each project's own absolute path: compare without it.
  auto strip = [](std::string text, const fs::path& root) {
    for (std::size_t at; (at = text.find(root.string())) != std::string::npos;)
      text.erase(at, root.string().size());
    return text;
  };
  // Twice with the cache: the first run writes it, the second reads it.
  for (int round = 0; round < 2; ++round) {
    for (const std::vector<std::string>& command : commands) {
      CliResult with = RunRetort(command, cached.root(), kCache);
      CliResult without = RunRetort(command, uncached.root(), kNoCache);
      const std::string named = fmt::format("{}", fmt::join(command, " "));
      EXPECT_EQ(with.exit_code, without.exit_code) << named;
      EXPECT_EQ(strip(with.out, cached.root()), strip(without.out, uncached.root())) << named;
      EXPECT_EQ(strip(with.err, cached.root()), strip(without.err, uncached.root())) << named;
      if (!compare_pages) continue;
      CliResult small = RunRetort(command, small_pages.root(), kCacheSmallPages);
      EXPECT_EQ(small.exit_code, without.exit_code) << named << " (small pages)";
      EXPECT_EQ(strip(small.out, small_pages.root()), strip(without.out, uncached.root()))
          << named << " (small pages)";
      EXPECT_EQ(strip(small.err, small_pages.root()), strip(without.err, uncached.root()))
          << named << " (small pages)";
    }
  }
  ASSERT_TRUE(fs::exists(CacheOf(cached)));
  EXPECT_FALSE(fs::exists(CacheOf(uncached)));

  // Online: the same version rows and recorded checksums, and the same
  // no-op and downgrade afterwards.
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"upgrade", "head"},
                                             {"upgrade", "head"},
                                             {"current"},
                                             {"downgrade", "b1"},
                                             {"upgrade", "heads"}}) {
    CliResult with = RunRetort(command, cached.root(), kCache);
    CliResult without = RunRetort(command, uncached.root(), kNoCache);
    const std::string named = fmt::format("{}", fmt::join(command, " "));
    EXPECT_EQ(with.exit_code, without.exit_code) << named;
    EXPECT_EQ(with.out, without.out) << named;
    EXPECT_EQ(ProblemLines(with), ProblemLines(without)) << named;
    if (!compare_pages) continue;
    CliResult small = RunRetort(command, small_pages.root(), kCacheSmallPages);
    EXPECT_EQ(small.exit_code, without.exit_code) << named << " (small pages)";
    EXPECT_EQ(small.out, without.out) << named << " (small pages)";
    EXPECT_EQ(ProblemLines(small), ProblemLines(without)) << named << " (small pages)";
  }
  const std::string checksums =
      "SELECT revision || ' ' || checksum FROM retort_version_history ORDER BY 1";
  std::vector<const TempProject*> compared = {&cached};
  if (compare_pages) compared.push_back(&small_pages);
  for (const TempProject* project : compared) {
    EXPECT_EQ(VersionRows(project->db()), VersionRows(uncached.db()));
    EXPECT_EQ(QueryColumn(project->db(), checksums), QueryColumn(uncached.db(), checksums));
    EXPECT_EQ(SchemaDump(project->db()), SchemaDump(uncached.db()));
  }
}

}  // namespace
}  // namespace retort::test
