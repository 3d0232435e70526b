#ifndef RETORT_TESTING_POSTGRES_SERVER_H_
#define RETORT_TESTING_POSTGRES_SERVER_H_

#include <optional>
#include <string>
#include <vector>

namespace retort::test {

// The URL of the suite's throwaway PostgreSQL server, started by the CTest
// fixture `postgres` (scripts/pg_test_server.sh). Returns nullopt only when
// RETORT_SKIP_POSTGRES=1 (the caller skips); a missing server is otherwise
// a hard error, so CI cannot pass without PostgreSQL.
std::optional<std::string> PostgresServerUrl();

// A fresh database on the server, created on construction and dropped (with
// its connections forced closed) on destruction, so tests never share state.
class ScratchPostgresDatabase {
 public:
  explicit ScratchPostgresDatabase(const std::string& server_url);
  ~ScratchPostgresDatabase();
  ScratchPostgresDatabase(const ScratchPostgresDatabase&) = delete;
  ScratchPostgresDatabase& operator=(const ScratchPostgresDatabase&) = delete;

  const std::string& name() const { return name_; }
  // postgresql://user:password@127.0.0.1:port/<name>
  const std::string& url() const { return url_; }

  // Runs `sql` on this database through libpq; throws std::runtime_error
  // with the server's message on failure. Query returns rows of text
  // (NULL as "<null>").
  void Exec(const std::string& sql) const;
  std::vector<std::vector<std::string>> Query(const std::string& sql) const;

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

// Runs `sql` against any URL (e.g. the server's postgres database).
void PostgresExec(const std::string& url, const std::string& sql);

}  // namespace retort::test

// In a TEST body: binds `url` to the server URL or skips the test when
// PostgreSQL tests are switched off.
#define RETORT_POSTGRES_URL_OR_SKIP(url)                                     \
  std::string url;                                                           \
  if (auto found = ::retort::test::PostgresServerUrl()) {                    \
    url = *found;                                                            \
  } else {                                                                   \
    GTEST_SKIP() << "RETORT_SKIP_POSTGRES=1: PostgreSQL tests switched off"; \
  }

#endif  // RETORT_TESTING_POSTGRES_SERVER_H_
