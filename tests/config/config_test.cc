#include "retort/config.h"

#include <gtest/gtest.h>

#include "retort/error.h"
#include "testing/scoped_env.h"
#include "testing/temp_dir.h"

namespace retort {
namespace {

namespace fs = std::filesystem;
using test::ScopedCurrentPath;
using test::ScopedEnv;
using test::TempDir;

constexpr char kMinimal[] = "[retort]\nscript_location = migrations\nurl = sqlite:///app.db\n";

// Runs each test without the caller's environment leaking in.
class ConfigTest : public ::testing::Test {
 protected:
  ScopedEnv no_config_{"RETORT_CONFIG", nullptr};
  ScopedEnv no_url_{"DATABASE_URL", nullptr};
  TempDir dir_;

  ConfigSource From(const fs::path& file, const std::string& section = "retort") {
    ConfigSource source;
    source.file = file;
    source.section = section;
    return source;
  }
};

std::string LoadError(const ConfigSource& source) {
  try {
    Config::Load(source);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(ConfigTest, PicksFileByPrecedence) {
  dir_.Write("retort.ini", "[retort]\nscript_location = a\n");
  dir_.Write("env.ini", "[retort]\nscript_location = b\n");
  dir_.Write("flag.ini", "[retort]\nscript_location = c\n");
  ScopedCurrentPath cwd(dir_.path());

  EXPECT_EQ(Config::Load({}).script_location(), dir_.path() / "a");
  EXPECT_EQ(Config::Load({}).file(), fs::path("retort.ini"));
  {
    ScopedEnv env("RETORT_CONFIG", "env.ini");
    EXPECT_EQ(Config::Load({}).script_location(), dir_.path() / "b");
    EXPECT_EQ(Config::Load(From("flag.ini")).script_location(), dir_.path() / "c");
  }
  {
    ScopedEnv empty("RETORT_CONFIG", "");
    EXPECT_EQ(Config::Load({}).script_location(), dir_.path() / "a");
  }
}

TEST_F(ConfigTest, ResolvesPathsAgainstTheConfigFolder) {
  fs::path file = dir_.Write("proj/retort.ini",
                             "[retort]\n"
                             "script_location = migrations\n"
                             "schema = db/../schema.sql\n"
                             "loc = %(here)s/x\n"
                             "url = sqlite:///rel.db\n");
  dir_.Write("elsewhere/.keep", "");
  ScopedCurrentPath cwd(dir_.path() / "elsewhere");
  Config config = Config::Load(From(fs::path("..") / "proj" / "retort.ini"));
  fs::path proj = dir_.path() / "proj";
  EXPECT_EQ(config.here(), proj);
  EXPECT_EQ(config.script_location(), proj / "migrations");
  EXPECT_EQ(config.Get("schema"), (proj / "schema.sql").string());
  EXPECT_EQ(config.Get("LOC"), (proj / "x").string());
  EXPECT_EQ(config.Get("here"), proj.string());
  // SQLAlchemy's rule: a relative SQLite path is relative to the current
  // directory, not the config file.
  EXPECT_EQ(config.Url().path(), "rel.db");
  EXPECT_EQ(config.file(), fs::path("..") / "proj" / "retort.ini");
}

TEST_F(ConfigTest, HereAnchorsSqlitePathsToTheConfigFolder) {
  fs::path file =
      dir_.Write("retort.ini", "[retort]\nscript_location = m\nurl = sqlite:///%(here)s/app.db\n");
  EXPECT_EQ(Config::Load(From(file)).Url().path(), (dir_.path() / "app.db").string());
}

TEST_F(ConfigTest, AbsoluteScriptLocationIsKept) {
  fs::path file = dir_.Write("retort.ini", "[retort]\nscript_location = /opt/m/./x\n");
  EXPECT_EQ(Config::Load(From(file)).script_location(), fs::path("/opt/m/x"));
}

TEST_F(ConfigTest, SelectsSectionByName) {
  fs::path file = dir_.Write("retort.ini",
                             "[retort]\nscript_location = m\nurl = sqlite:///dev.db\n"
                             "[prod]\nscript_location = m\nurl = sqlite:///prod.db\n");
  EXPECT_EQ(Config::Load(From(file)).Url().path(), "dev.db");
  Config prod = Config::Load(From(file, "prod"));
  EXPECT_EQ(prod.Url().path(), "prod.db");
  EXPECT_EQ(prod.section(), "prod");
}

TEST_F(ConfigTest, AppliesDefaults) {
  Config config = Config::Load(From(dir_.Write("retort.ini",
                                               "[retort]\nscript_location = m\n"
                                               "version_table_schema =\n")));
  EXPECT_EQ(config.file_template(), "%(rev)s_%(slug)s");
  EXPECT_EQ(config.truncate_slug_length(), 40);
  EXPECT_EQ(config.version_table(), "retort_version");
  EXPECT_EQ(config.version_table_schema(), "");
  EXPECT_FALSE(config.transaction_per_migration());
  EXPECT_EQ(config.version_locations(), (std::vector<fs::path>{dir_.path() / "m" / "versions"}));
  EXPECT_EQ(config.Get("missing"), std::nullopt);
  EXPECT_EQ(config.GetOr("missing", "x"), "x");
  EXPECT_EQ(config.GetInt("missing", 7), 7);
  EXPECT_TRUE(config.GetBool("missing", true));
}

TEST_F(ConfigTest, ReadsSpecExample) {
  Config config = Config::Load(From(
      dir_.Write("retort.ini",
                 "[retort]\n"
                 "script_location = migrations\n"
                 "url = sqlite:///app.db\n"
                 "schema = schema.sql\n"
                 "dev_url = sqlite://\n"
                 "file_template = "
                 "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s\n"
                 "truncate_slug_length = 20\n"
                 "timezone = UTC\n"
                 "version_table = alembic_version\n"
                 "version_table_schema = audit\n"
                 "transaction_per_migration = Yes\n"
                 "version_locations =\n")));
  EXPECT_EQ(config.file_template(),
            "%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s");
  EXPECT_EQ(config.truncate_slug_length(), 20);
  EXPECT_EQ(config.version_table(), "alembic_version");
  EXPECT_EQ(config.version_table_schema(), "audit");
  EXPECT_TRUE(config.transaction_per_migration());
  EXPECT_EQ(config.Get("dev_url"), "sqlite://");
  EXPECT_EQ(config.version_locations().size(), 1u);
}

TEST_F(ConfigTest, SplitsVersionLocations) {
  struct Case {
    const char* settings;
    std::vector<std::string> want;  // relative to the temp dir
  };
  const Case cases[] = {
      // Exactly the listed folders, in the listed order, as Alembic reads
      // them: script_location/versions only where it is listed.
      {"version_locations = a b,c:  d", {"a", "b", "c", "d"}},
      {"version_locations = b m/versions a a/", {"b", "m/versions", "a"}},
      {"version_locations = %(here)s/x;y z\nversion_path_separator = ;", {"x", "y z"}},
      {"version_locations = x y\nversion_path_separator = space", {"x", "y"}},
      {"version_locations = x:y z\nversion_path_separator = os", {"x", "y z"}},
      {"version_locations =\n  x\n  y z\nversion_path_separator = newline", {"x", "y z"}},
      {"version_locations = ,", {"m/versions"}},
  };
  for (const Case& c : cases) {
    fs::path file = dir_.Write("retort.ini",
                               std::string("[retort]\nscript_location = m\n") + c.settings + "\n");
    std::vector<fs::path> want;
    for (const std::string& item : c.want) want.push_back((dir_.path() / item).lexically_normal());
    EXPECT_EQ(Config::Load(From(file)).version_locations(), want) << c.settings;
  }
}

TEST_F(ConfigTest, UrlPrecedence) {
  fs::path file = dir_.Write("retort.ini", kMinimal);
  ConfigSource source = From(file);
  EXPECT_EQ(Config::Load(source).Url().path(), "app.db");
  {
    ScopedEnv env("DATABASE_URL", "sqlite:///env.db");
    EXPECT_EQ(Config::Load(source).Url().path(), "env.db");
    source.url = "sqlite:///flag.db";
    EXPECT_EQ(Config::Load(source).Url().path(), "flag.db");
  }
  fs::path adopted = dir_.Write(
      "alembic.ini", "[alembic]\nscript_location = m\nsqlalchemy.url = sqlite:///a.db\n");
  EXPECT_EQ(Config::Load(From(adopted, "alembic")).Url().path(), "a.db");
}

TEST_F(ConfigTest, KeepsXArgs) {
  ConfigSource source = From(dir_.Write("retort.ini", kMinimal));
  source.x_args = {{"tenant", "acme"}};
  EXPECT_EQ(Config::Load(source).x_args().at("tenant"), "acme");
}

TEST_F(ConfigTest, ReportsLoadErrors) {
  dir_.Write("retort.ini", kMinimal);
  dir_.Write("bad.ini", "[retort]\nscript_location = m\n\n# c\n\n\njust words\n");
  dir_.Write("noloc.ini", "[retort]\nurl = sqlite://\n");
  dir_.Write("emptyloc.ini", "[retort]\nscript_location =\n");
  dir_.Write("folder.ini/x", "");
  ScopedCurrentPath cwd(dir_.path());
  struct Case {
    const char* file;
    const char* section;
    const char* want;
  };
  const Case cases[] = {
      {"missing.ini", "retort", "No config file 'missing.ini' found"},
      {"folder.ini", "retort", "Config file 'folder.ini' is not a file"},
      {"retort.ini", "prod", "No section 'prod' in retort.ini"},
      {"bad.ini", "retort",
       "bad.ini:7: malformed line 'just words' (expected 'key = value', '[section]' or a "
       "comment)"},
      {"noloc.ini", "retort", "No 'script_location' setting in [retort] of noloc.ini"},
      {"emptyloc.ini", "retort", "No 'script_location' setting in [retort] of emptyloc.ini"},
  };
  for (const Case& c : cases) EXPECT_EQ(LoadError(From(c.file, c.section)), c.want) << c.file;

  ScopedEnv env("RETORT_CONFIG", "from_env.ini");
  EXPECT_EQ(LoadError({}), "No config file 'from_env.ini' found");
}

TEST_F(ConfigTest, DefaultFileMissing) {
  ScopedCurrentPath cwd(dir_.path());
  EXPECT_EQ(LoadError({}), "No config file 'retort.ini' found");
}

TEST_F(ConfigTest, ReportsBadSettingsWithLine) {
  ScopedCurrentPath cwd(dir_.path());
  dir_.Write("retort.ini",
             "[retort]\nscript_location = m\ntransaction_per_migration = maybe\n"
             "truncate_slug_length = 4x\nversion_locations = a\nversion_path_separator = |\n");
  Config config = Config::Load(From("retort.ini"));
  struct Case {
    std::function<void()> call;
    const char* want;
  };
  const Case cases[] = {
      {[&] { config.transaction_per_migration(); },
       "retort.ini:3: setting 'transaction_per_migration' must be true or false, not 'maybe'"},
      {[&] { config.truncate_slug_length(); },
       "retort.ini:4: setting 'truncate_slug_length' must be an integer, not '4x'"},
      {[&] { config.version_locations(); },
       "retort.ini:6: setting 'version_path_separator' must be space, os, newline, ':' or ';', "
       "not '|'"},
  };
  for (const Case& c : cases) {
    try {
      c.call();
      ADD_FAILURE() << "no error, wanted " << c.want;
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), c.want);
    }
  }
}

TEST_F(ConfigTest, ReportsUrlProblemsWithoutPasswords) {
  ScopedCurrentPath cwd(dir_.path());
  dir_.Write("nourl.ini", "[retort]\nscript_location = m\n");
  dir_.Write("bad.ini", "[retort]\nscript_location = m\n\nurl = postgresql://u:secret@h:x/db\n");
  struct Case {
    const char* file;
    std::optional<std::string> flag;
    const char* env;
    const char* want;
  };
  const Case cases[] = {
      {"nourl.ini", std::nullopt, nullptr,
       "No database URL: pass --url, set $DATABASE_URL, or set 'url' in [retort] of nourl.ini"},
      {"bad.ini", std::nullopt, nullptr,
       "Bad URL 'postgresql://u:***@h:x/db': port 'x' is not a number from 0 to 65535 (setting "
       "'url' in bad.ini:4)"},
      {"nourl.ini", std::nullopt, "mssql://u:secret@h/db",
       "Bad URL 'mssql://u:***@h/db': unsupported database 'mssql' (expected sqlite, postgresql "
       "or mysql) (from $DATABASE_URL)"},
      {"nourl.ini", "oracle://u:secret@h/db", nullptr,
       "Bad URL 'oracle://u:***@h/db': unsupported database 'oracle' (expected sqlite, "
       "postgresql or mysql) (from --url)"},
  };
  for (const Case& c : cases) {
    ScopedEnv env("DATABASE_URL", c.env);
    ConfigSource source = From(c.file);
    source.url = c.flag;
    Config config = Config::Load(source);
    try {
      config.Url();
      ADD_FAILURE() << "no error, wanted " << c.want;
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), c.want);
    }
  }
}

}  // namespace
}  // namespace retort
