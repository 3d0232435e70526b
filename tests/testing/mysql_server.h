#ifndef RETORT_TESTING_MYSQL_SERVER_H_
#define RETORT_TESTING_MYSQL_SERVER_H_

#include <optional>
#include <string>
#include <vector>

namespace retort::test {

// The URL of the suite's throwaway MariaDB server, started by the CTest
// fixture `mysql` (scripts/mysql_test_server.sh). Returns nullopt only when
// RETORT_SKIP_MYSQL=1 (the caller skips, saying so); a missing server is
// otherwise a hard error, so CI cannot pass without MySQL.
std::optional<std::string> MysqlServerUrl();

// A fresh database on the server, created on construction and dropped on
// destruction, so tests never share state.
class ScratchMysqlDatabase {
 public:
  explicit ScratchMysqlDatabase(const std::string& server_url);
  ~ScratchMysqlDatabase();
  ScratchMysqlDatabase(const ScratchMysqlDatabase&) = delete;
  ScratchMysqlDatabase& operator=(const ScratchMysqlDatabase&) = delete;

  const std::string& name() const { return name_; }
  // mysql://user:password@127.0.0.1:port/<name>
  const std::string& url() const { return url_; }

  // Runs `sql` (one statement) on this database through libmariadb; throws
  // std::runtime_error with the server's message on failure. Query returns
  // rows of text (NULL as "<null>").
  void Exec(const std::string& sql) const;
  std::vector<std::vector<std::string>> Query(const std::string& sql) const;

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

}  // namespace retort::test

// In a TEST body: binds `url` to the server URL or skips the test when MySQL
// tests are switched off.
#define RETORT_MYSQL_URL_OR_SKIP(url)                                \
  std::string url;                                                   \
  if (auto found = ::retort::test::MysqlServerUrl()) {               \
    url = *found;                                                    \
  } else {                                                           \
    GTEST_SKIP() << "RETORT_SKIP_MYSQL=1: MySQL tests switched off"; \
  }

#endif  // RETORT_TESTING_MYSQL_SERVER_H_
