#include "testing/postgres_server.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include "gtest/gtest.h"

namespace retort::test {

namespace {

using PgConn = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

PgConn Connect(const std::string& url) {
  PgConn conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("test server: ") + PQerrorMessage(conn.get()));
  }
  return conn;
}

PgResult Run(PGconn* conn, const std::string& sql) {
  PgResult result(PQexec(conn, sql.c_str()), &PQclear);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("test server: " + sql + ": " + PQerrorMessage(conn));
  }
  return result;
}

// The URL with its database (path) replaced.
std::string WithDatabase(const std::string& url, const std::string& database) {
  auto slash = url.rfind('/');
  auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

std::optional<std::string> PostgresServerUrl() {
  const char* skip = std::getenv("RETORT_SKIP_POSTGRES");
  if (skip != nullptr && std::string(skip) == "1") return std::nullopt;
  std::ifstream in(RETORT_PG_URL_FILE);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) {
    throw std::runtime_error("no PostgreSQL test server: " RETORT_PG_URL_FILE
                             " is missing. Run the tests through ctest (which starts one), or set "
                             "RETORT_SKIP_POSTGRES=1 to skip them");
  }
  return url;
}

void PostgresExec(const std::string& url, const std::string& sql) {
  PgConn conn = Connect(url);
  Run(conn.get(), sql);
}

ScratchPostgresDatabase::ScratchPostgresDatabase(const std::string& server_url)
    : server_url_(server_url) {
  static std::atomic<int> counter{0};
  std::random_device device;
  name_ = "retort_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(device() % 100000);
  PostgresExec(server_url_, "CREATE DATABASE " + name_);
  url_ = WithDatabase(server_url_, name_);
}

ScratchPostgresDatabase::~ScratchPostgresDatabase() {
  try {
    PostgresExec(server_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
}

void ScratchPostgresDatabase::Exec(const std::string& sql) const { PostgresExec(url_, sql); }

std::vector<std::vector<std::string>> ScratchPostgresDatabase::Query(const std::string& sql) const {
  PgConn conn = Connect(url_);
  PgResult result = Run(conn.get(), sql);
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(result.get()); ++c) {
      row.push_back(PQgetisnull(result.get(), r, c) ? "<null>" : PQgetvalue(result.get(), r, c));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace retort::test
