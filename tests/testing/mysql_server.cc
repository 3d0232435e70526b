#include "testing/mysql_server.h"

#include <mysql.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <stdexcept>

namespace retort::test {
namespace {

struct Parts {
  std::string user, password, host, database;
  unsigned port = 0;
};

// The URL scripts/mysql_test_server.sh writes (and ScratchMysqlDatabase
// derives): mysql://user:password@host:port/database.
Parts Parse(const std::string& url) {
  static const std::regex kShape(R"(mysql://([^:@]+):([^@]*)@([^:/]+):(\d+)/([^?]*))");
  std::smatch match;
  if (!std::regex_match(url, match, kShape)) {
    throw std::runtime_error("test server: unexpected MySQL URL shape");
  }
  return Parts{match[1], match[2], match[3], match[5], static_cast<unsigned>(std::stoul(match[4]))};
}

using Conn = std::unique_ptr<MYSQL, decltype(&mysql_close)>;

Conn Connect(const std::string& url) {
  Parts parts = Parse(url);
  Conn conn(mysql_init(nullptr), &mysql_close);
  if (mysql_real_connect(conn.get(), parts.host.c_str(), parts.user.c_str(), parts.password.c_str(),
                         parts.database.empty() ? nullptr : parts.database.c_str(), parts.port,
                         nullptr, 0) == nullptr) {
    throw std::runtime_error(std::string("test server: ") + mysql_error(conn.get()));
  }
  return conn;
}

std::vector<std::vector<std::string>> Run(MYSQL* conn, const std::string& sql) {
  if (mysql_real_query(conn, sql.data(), sql.size()) != 0) {
    throw std::runtime_error("test server: " + sql + ": " + mysql_error(conn));
  }
  std::vector<std::vector<std::string>> rows;
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(mysql_store_result(conn),
                                                                  &mysql_free_result);
  if (result == nullptr) return rows;
  const unsigned columns = mysql_num_fields(result.get());
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    std::vector<std::string> values;
    for (unsigned c = 0; c < columns; ++c) {
      values.push_back(row[c] == nullptr ? "<null>" : std::string(row[c], lengths[c]));
    }
    rows.push_back(std::move(values));
  }
  return rows;
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}

}  // namespace

std::optional<std::string> MysqlServerUrl() {
  const char* skip = std::getenv("RETORT_SKIP_MYSQL");
  if (skip != nullptr && std::string(skip) == "1") return std::nullopt;
  std::ifstream in(RETORT_MYSQL_URL_FILE);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) {
    throw std::runtime_error("no MySQL test server: " RETORT_MYSQL_URL_FILE
                             " is missing. Run the tests through ctest (which starts one), or set "
                             "RETORT_SKIP_MYSQL=1 to skip them");
  }
  return url;
}

ScratchMysqlDatabase::ScratchMysqlDatabase(const std::string& server_url)
    : server_url_(server_url) {
  static std::atomic<int> counter{0};
  std::random_device device;
  name_ = "retort_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(device() % 100000);
  Conn conn = Connect(server_url_);
  Run(conn.get(), "CREATE DATABASE " + name_);
  url_ = WithDatabase(server_url_, name_);
}

ScratchMysqlDatabase::~ScratchMysqlDatabase() {
  try {
    Conn conn = Connect(server_url_);
    Run(conn.get(), "DROP DATABASE IF EXISTS " + name_);
  } catch (const std::exception&) {
    // The server is thrown away at the end of the run anyway.
  }
}

void ScratchMysqlDatabase::Exec(const std::string& sql) const {
  Conn conn = Connect(url_);
  Run(conn.get(), sql);
}

std::vector<std::vector<std::string>> ScratchMysqlDatabase::Query(const std::string& sql) const {
  Conn conn = Connect(url_);
  return Run(conn.get(), sql);
}

}  // namespace retort::test
