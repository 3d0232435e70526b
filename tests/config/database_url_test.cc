#include "retort/database_url.h"

#include <gtest/gtest.h>

#include "retort/error.h"

namespace retort {
namespace {

using Backend = DatabaseUrl::Backend;

TEST(DatabaseUrlTest, ParsesSqlite) {
  struct Case {
    const char* text;
    const char* path;
    bool in_memory;
    const char* redacted;
  };
  const Case cases[] = {
      {"sqlite:///app.db", "app.db", false, "sqlite:///app.db"},
      {"sqlite:///sub/dir/app.db", "sub/dir/app.db", false, "sqlite:///sub/dir/app.db"},
      {"sqlite:////abs/app.db", "/abs/app.db", false, "sqlite:////abs/app.db"},
      {"sqlite://", "", true, "sqlite://"},
      {"sqlite:///:memory:", "", true, "sqlite://"},
      {"  sqlite:///app.db\n", "app.db", false, "sqlite:///app.db"},
      {"sqlite+pysqlite:///my%20app.db", "my app.db", false, "sqlite+pysqlite:///my app.db"},
      {"sqlite:///app.db?mode=ro", "app.db", false, "sqlite:///app.db?mode=ro"},
  };
  for (const Case& c : cases) {
    DatabaseUrl url = DatabaseUrl::Parse(c.text);
    EXPECT_EQ(url.backend(), Backend::kSqlite) << c.text;
    EXPECT_EQ(url.path(), c.path) << c.text;
    EXPECT_EQ(url.in_memory(), c.in_memory) << c.text;
    EXPECT_EQ(url.Redacted(), c.redacted) << c.text;
  }
}

TEST(DatabaseUrlTest, ParsesPostgresql) {
  struct Case {
    const char* text;
    const char* user;
    const char* password;
    const char* host;
    const char* port;
    const char* database;
    const char* redacted;
  };
  const Case cases[] = {
      {"postgresql://u:pw@h:5433/db", "u", "pw", "h", "5433", "db", "postgresql://u:***@h:5433/db"},
      {"postgres://h/db", "", "", "h", "", "db", "postgres://h/db"},
      {"postgresql+psycopg2://scott:tiger@localhost/test", "scott", "tiger", "localhost", "",
       "test", "postgresql+psycopg2://scott:***@localhost/test"},
      {"postgresql://u%40corp:p%40ss%2Fw%3Ard@h/db", "u@corp", "p@ss/w:rd", "h", "", "db",
       "postgresql://u%40corp:***@h/db"},
      {"postgresql://u:p@ss@h/db", "u", "p@ss", "h", "", "db", "postgresql://u:***@h/db"},
      {"postgresql://u@h", "u", "", "h", "", "", "postgresql://u@h"},
      {"postgresql:///db", "", "", "", "", "db", "postgresql:///db"},
      {"postgresql://u:pw@[::1]:5432/db", "u", "pw", "::1", "5432", "db",
       "postgresql://u:***@[::1]:5432/db"},
      {"postgresql://u:100%25@h/db", "u", "100%", "h", "", "db", "postgresql://u:***@h/db"},
  };
  for (const Case& c : cases) {
    DatabaseUrl url = DatabaseUrl::Parse(c.text);
    EXPECT_EQ(url.backend(), Backend::kPostgresql) << c.text;
    EXPECT_EQ(url.user(), c.user) << c.text;
    EXPECT_EQ(url.password(), c.password) << c.text;
    EXPECT_EQ(url.host(), c.host) << c.text;
    EXPECT_EQ(url.port(), c.port) << c.text;
    EXPECT_EQ(url.database(), c.database) << c.text;
    EXPECT_EQ(url.Redacted(), c.redacted) << c.text;
    EXPECT_FALSE(url.in_memory());
  }
}

TEST(DatabaseUrlTest, DecodesQueryParametersAndHidesPasswordParameter) {
  DatabaseUrl url =
      DatabaseUrl::Parse("postgresql://h/db?sslmode=require&application_name=a%20b&password=s3");
  EXPECT_EQ(url.params(),
            (std::map<std::string, std::string>{
                {"sslmode", "require"}, {"application_name", "a b"}, {"password", "s3"}}));
  EXPECT_EQ(url.Redacted(), "postgresql://h/db?application_name=a b&password=***&sslmode=require");
}

TEST(DatabaseUrlTest, RejectsBadUrlsWithoutShowingPasswords) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"", "Bad URL '': empty"},
      {"app.db",
       "Bad URL 'app.db': expected scheme://..., e.g. sqlite:///app.db or "
       "postgresql://user@host/db"},
      {"mysql://u:secret@h/db",
       "Bad URL 'mysql://u:***@h/db': unsupported database 'mysql' (expected sqlite or "
       "postgresql)"},
      {"sqlite://host/app.db",
       "Bad URL 'sqlite://host/app.db': an SQLite URL has no host; use sqlite:///relative.db or "
       "sqlite:////absolute.db"},
      {"postgresql://u:secret@h:abc/db",
       "Bad URL 'postgresql://u:***@h:abc/db': port 'abc' is not a number from 0 to 65535"},
      {"postgresql://u:secret@h:99999/db",
       "Bad URL 'postgresql://u:***@h:99999/db': port '99999' is not a number from 0 to 65535"},
      {"postgresql://u:secret@[::1/db",
       "Bad URL 'postgresql://u:***@[::1/db': unterminated IPv6 address '['"},
      {"postgresql://h:x/db?password=secret&a=1",
       "Bad URL 'postgresql://h:x/db?password=***&a=1': port 'x' is not a number from 0 to 65535"},
  };
  for (const Case& c : cases) {
    try {
      DatabaseUrl::Parse(c.text);
      ADD_FAILURE() << "no error for " << c.text;
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), c.want);
      EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
      EXPECT_EQ(e.ExitCode(), 2);
    }
  }
}

}  // namespace
}  // namespace retort
