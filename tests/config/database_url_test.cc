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

TEST(DatabaseUrlTest, ParsesMysql) {
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
      {"mysql://u:pw@h:3307/db", "u", "pw", "h", "3307", "db", "mysql://u:***@h:3307/db"},
      {"mariadb://u:pw@h/db", "u", "pw", "h", "", "db", "mariadb://u:***@h/db"},
      {"mysql+pymysql://scott:tiger@localhost/test", "scott", "tiger", "localhost", "", "test",
       "mysql+pymysql://scott:***@localhost/test"},
      {"mysql+mysqldb://scott:tig%40er@localhost/test", "scott", "tig@er", "localhost", "", "test",
       "mysql+mysqldb://scott:***@localhost/test"},
      {"MySQL://u@h", "u", "", "h", "", "", "MySQL://u@h"},
  };
  for (const Case& c : cases) {
    DatabaseUrl url = DatabaseUrl::Parse(c.text);
    EXPECT_EQ(url.backend(), Backend::kMysql) << c.text;
    EXPECT_EQ(url.dialect_name(), "mysql") << c.text;
    EXPECT_EQ(url.user(), c.user) << c.text;
    EXPECT_EQ(url.password(), c.password) << c.text;
    EXPECT_EQ(url.host(), c.host) << c.text;
    EXPECT_EQ(url.port(), c.port) << c.text;
    EXPECT_EQ(url.database(), c.database) << c.text;
    EXPECT_EQ(url.Redacted(), c.redacted) << c.text;
  }
}

TEST(DatabaseUrlTest, MysqlParametersAreKeptForTheDriver) {
  DatabaseUrl url = DatabaseUrl::Parse(
      "mysql://u:pw@localhost/db?unix_socket=/run/mysqld/mysqld.sock&ssl-mode=REQUIRED&charset="
      "utf8mb4");
  EXPECT_EQ(url.params(),
            (std::map<std::string, std::string>{{"unix_socket", "/run/mysqld/mysqld.sock"},
                                                {"ssl-mode", "REQUIRED"},
                                                {"charset", "utf8mb4"}}));
  EXPECT_EQ(url.Redacted(),
            "mysql://u:***@localhost/db?charset=utf8mb4&ssl-mode=REQUIRED&unix_socket=/run/mysqld/"
            "mysqld.sock");
  // The underscore spelling of SQLAlchemy's connect_args works too.
  EXPECT_EQ(DatabaseUrl::Parse("mysql://h/db?ssl_mode=disabled").params().at("ssl_mode"),
            "disabled");
}

TEST(DatabaseUrlTest, DialectNameOfEachBackend) {
  EXPECT_EQ(DatabaseUrl::Parse("sqlite://").dialect_name(), "sqlite");
  EXPECT_EQ(DatabaseUrl::Parse("postgres://h/db").dialect_name(), "postgresql");
  EXPECT_EQ(DatabaseUrl::Parse("mariadb://h/db").dialect_name(), "mysql");
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
       "Bad URL 'app.db': expected scheme://..., e.g. sqlite:///app.db, "
       "postgresql://user@host/db or mysql://user@host/db"},
      {"oracle://u:secret@h/db",
       "Bad URL 'oracle://u:***@h/db': unsupported database 'oracle' (expected sqlite, "
       "postgresql or mysql)"},
      {"mysql://u:secret@h:70000/db",
       "Bad URL 'mysql://u:***@h:70000/db': port '70000' is not a number from 0 to 65535"},
      {"mysql://u:secret@h/db?sslmode=require",
       "Bad URL 'mysql://u:***@h/db?sslmode=require': unknown MySQL parameter 'sslmode' (known: "
       "charset, connect_timeout, read_timeout, ssl-ca, ssl-cert, ssl-key, ssl-mode, unix_socket, "
       "write_timeout)"},
      {"mariadb://u:secret@h/db?ssl-mode=sometimes",
       "Bad URL 'mariadb://u:***@h/db?ssl-mode=sometimes': ssl-mode 'sometimes' is not one of "
       "DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"},
      {"mysql://u:secret@h/db?connect_timeout=soon",
       "Bad URL 'mysql://u:***@h/db?connect_timeout=soon': connect_timeout 'soon' is not a whole "
       "number of seconds"},
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
