#include "driver/mysql_connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "driver/libmariadb.h"
#include "driver/mysql_statements.h"
#include "util/strings.h"

namespace retort::driver {
namespace {

// Client error numbers (errmsg.h) for a connection that is gone.
constexpr unsigned kServerGoneError = 2006;
constexpr unsigned kServerLost = 2013;

struct ResultDeleter {
  void operator()(MYSQL_RES* result) const { Mariadb().mysql_free_result(result); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultDeleter>;

std::string FoldLines(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// A server or proxy message might quote what it was sent; a password must
// not reach the terminal either way (short ones are left, as for libpq).
std::string Scrub(std::string message, const std::string& password) {
  if (password.size() < 3) return message;
  for (std::size_t pos = message.find(password); pos != std::string::npos;
       pos = message.find(password, pos + 3)) {
    message.replace(pos, password.size(), "***");
  }
  return message;
}

std::string Normalized(std::string key) {
  key = util::ToLower(key);
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

}  // namespace

std::unique_ptr<MysqlConnection> MysqlConnection::Open(const DatabaseUrl& url) {
  const LibMariadb& lib = Mariadb();
  MYSQL* raw = lib.mysql_init(nullptr);
  if (raw == nullptr) {
    throw Error(fmt::format("Can't connect to {}: out of memory", url.Redacted()));
  }
  std::unique_ptr<MysqlConnection> connection(new MysqlConnection(raw, url));
  // The parameters were checked by DatabaseUrl::Parse; here they become
  // client options.
  std::string charset = "utf8mb4";
  std::string unix_socket;
  std::optional<std::string> ssl_ca, ssl_cert, ssl_key;
  std::string ssl_mode;
  for (const auto& [key, value] : url.params()) {
    const std::string name = Normalized(key);
    if (name == "charset") {
      charset = value;
    } else if (name == "unix-socket") {
      unix_socket = value;
    } else if (name == "ssl-mode") {
      ssl_mode = util::ToLower(value);
    } else if (name == "ssl-ca") {
      ssl_ca = value;
    } else if (name == "ssl-cert") {
      ssl_cert = value;
    } else if (name == "ssl-key") {
      ssl_key = value;
    } else if (name.ends_with("timeout")) {
      unsigned int seconds = static_cast<unsigned int>(std::stoul(value));
      mysql_option option = name == "connect-timeout" ? MYSQL_OPT_CONNECT_TIMEOUT
                            : name == "read-timeout"  ? MYSQL_OPT_READ_TIMEOUT
                                                      : MYSQL_OPT_WRITE_TIMEOUT;
      lib.mysql_options(raw, option, &seconds);
    }
  }
  lib.mysql_options(raw, MYSQL_SET_CHARSET_NAME, charset.c_str());
  if (ssl_ca) lib.mysql_options(raw, MYSQL_OPT_SSL_CA, ssl_ca->c_str());
  if (ssl_cert) lib.mysql_options(raw, MYSQL_OPT_SSL_CERT, ssl_cert->c_str());
  if (ssl_key) lib.mysql_options(raw, MYSQL_OPT_SSL_KEY, ssl_key->c_str());
  if (ssl_mode == "required" || ssl_mode == "verify_ca" || ssl_mode == "verify_identity") {
    my_bool on = 1;
    lib.mysql_options(raw, MYSQL_OPT_SSL_ENFORCE, &on);
    if (ssl_mode != "required") lib.mysql_options(raw, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
  } else if (ssl_mode == "disabled") {
    my_bool off = 0;
    lib.mysql_options(raw, MYSQL_OPT_SSL_ENFORCE, &off);
  }
  unsigned int port = url.port().empty() ? 0 : static_cast<unsigned int>(std::stoul(url.port()));
  // An empty part is left to the client's default (localhost through the
  // default socket, the login name), as the mysql client does.
  auto or_null = [](const std::string& text) { return text.empty() ? nullptr : text.c_str(); };
  // CLIENT_FOUND_ROWS: an UPDATE counts the rows it matched, as on the other
  // databases; CLIENT_MULTI_RESULTS: a CALL may return result sets.
  if (lib.mysql_real_connect(raw, or_null(url.host()), or_null(url.user()), or_null(url.password()),
                             or_null(url.database()), port, or_null(unix_socket),
                             CLIENT_FOUND_ROWS | CLIENT_MULTI_RESULTS) == nullptr) {
    throw Error(fmt::format("Can't connect to {}: {}", url.Redacted(), connection->LastError()));
  }
  return connection;
}

MysqlConnection::MysqlConnection(st_mysql* conn, const DatabaseUrl& url)
    : conn_(conn), redacted_url_(url.Redacted()), password_(url.password()) {}

MysqlConnection::~MysqlConnection() {
  // Closing the session rolls back an open transaction and releases the
  // named lock on the server.
  Mariadb().mysql_close(conn_);
}

std::string MysqlConnection::LastError() const {
  const LibMariadb& lib = Mariadb();
  std::string message = FoldLines(lib.mysql_error(conn_));
  const unsigned code = lib.mysql_errno(conn_);
  if (message.empty()) message = "unknown MySQL client error";
  if (code != 0) {
    std::string_view state = lib.mysql_sqlstate(conn_);
    message += state.empty() || state == "00000" || state == "HY000"
                   ? fmt::format(" ({})", code)
                   : fmt::format(" ({}, SQLSTATE {})", code, state);
  }
  if (code == kServerGoneError || code == kServerLost) {
    message += "; the connection to the server was lost";
  }
  return Scrub(std::move(message), password_);
}

std::string MysqlConnection::Quote(const std::string& value) const {
  std::string buffer(value.size() * 2 + 1, '\0');
  // Escapes for the connection's character set and sql_mode
  // (NO_BACKSLASH_ESCAPES), which the client tracks.
  unsigned long length =
      Mariadb().mysql_real_escape_string(conn_, buffer.data(), value.data(), value.size());
  buffer.resize(length);
  return "'" + buffer + "'";
}

std::vector<Row> MysqlConnection::Run(std::string_view sql) {
  const LibMariadb& lib = Mariadb();
  if (lib.mysql_real_query(conn_, sql.data(), sql.size()) != 0) {
    throw StatementError(LastError(), 0);
  }
  std::vector<Row> rows;
  bool first = true;
  while (true) {
    ResultPtr result(lib.mysql_store_result(conn_));
    if (result == nullptr && lib.mysql_field_count(conn_) != 0) {
      throw StatementError(LastError(), 0);
    }
    if (first) {
      changed_rows_ = static_cast<long long>(lib.mysql_affected_rows(conn_));
      if (result != nullptr) {
        const unsigned columns = lib.mysql_num_fields(result.get());
        while (MYSQL_ROW row = lib.mysql_fetch_row(result.get())) {
          const unsigned long* lengths = lib.mysql_fetch_lengths(result.get());
          Row values;
          values.reserve(columns);
          for (unsigned c = 0; c < columns; ++c) {
            if (row[c] == nullptr) {
              values.emplace_back(std::nullopt);
            } else {
              values.emplace_back(std::string(row[c], lengths[c]));
            }
          }
          rows.push_back(std::move(values));
        }
      }
    }
    first = false;
    // A CALL answers more results (its selects, then its status); they are
    // read so the connection is ready for the next statement.
    if (!lib.mysql_more_results(conn_)) break;
    int next = lib.mysql_next_result(conn_);
    if (next > 0) throw StatementError(LastError(), 0);
    if (next < 0) break;
  }
  return rows;
}

void MysqlConnection::ExecuteScript(std::string_view sql) {
  for (const StatementSpan& span : SplitMysqlStatements(sql)) {
    try {
      Run(sql.substr(span.offset, span.length));
    } catch (const StatementError& e) {
      throw StatementError(e.what(), span.offset);
    }
  }
}

std::vector<long long> MysqlConnection::ExecuteEach(const std::vector<std::string>& statements) {
  std::vector<long long> changed;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    try {
      Run(statements[i]);
    } catch (const StatementError& e) {
      throw StatementError(e.what(), i);
    }
    changed.push_back(ChangedRows());
  }
  return changed;
}

std::vector<Row> MysqlConnection::Query(std::string_view sql,
                                        const std::vector<std::string>& params) {
  std::string text =
      params.empty()
          ? std::string(sql)
          : BindMysqlParameters(sql, params, [this](const std::string& v) { return Quote(v); });
  try {
    return Run(text);
  } catch (const StatementError& e) {
    throw Error(e.what());
  }
}

void MysqlConnection::Begin() { Query("START TRANSACTION"); }

void MysqlConnection::Commit() { Query("COMMIT"); }

void MysqlConnection::Rollback() {
  // After a lost connection the server has already rolled back; there is
  // nothing to send and nothing to report beyond the original error.
  if (!InTransaction()) return;
  const unsigned code = Mariadb().mysql_errno(conn_);
  if (code == kServerGoneError || code == kServerLost) return;
  Query("ROLLBACK");
}

bool MysqlConnection::InTransaction() const {
  unsigned int status = 0;
  if (Mariadb().mariadb_get_infov(conn_, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0) {
    return false;
  }
  return (status & SERVER_STATUS_IN_TRANS) != 0;
}

std::string MysqlConnection::LockName(std::string_view database, std::string_view schema,
                                      std::string_view table) {
  std::uint64_t hash = 14695981039346656037ull;
  auto mix = [&](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    // A separator byte keeps ("ab", "c") and ("a", "bc") apart.
    hash ^= 0xff;
    hash *= 1099511628211ull;
  };
  mix(database);
  mix(schema);
  mix(table);
  return fmt::format("retort:{:016x}", hash);
}

void MysqlConnection::AcquireMigrationLock(const std::string& schema, const std::string& table,
                                           std::chrono::milliseconds timeout) {
  if (lock_held_) return;
  const std::string database = CurrentSchema();
  const std::string name = LockName(database, schema.empty() ? database : schema, table);
  // Polling GET_LOCK(name, 0) rather than one GET_LOCK(name, seconds):
  // MySQL and MariaDB agree on a zero timeout, and a fraction of a second
  // (lock_timeout = 0.3) keeps its meaning.
  using Clock = std::chrono::steady_clock;
  const bool forever = timeout <= std::chrono::milliseconds::zero();
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    auto rows = Query("SELECT GET_LOCK($1, 0)", {name});
    std::optional<std::string> got = rows.at(0).at(0);
    if (!got) throw Error(fmt::format("GET_LOCK('{}') failed on {}", name, redacted_url_));
    if (*got == "1") break;
    Clock::time_point now = Clock::now();
    if (!forever && now >= deadline) throw Error(LockTimeoutMessage(timeout, redacted_url_));
    Clock::duration step = std::chrono::milliseconds(100);
    if (!forever) step = std::min<Clock::duration>(step, deadline - now);
    std::this_thread::sleep_for(step);
  }
  lock_name_ = name;
  lock_held_ = true;
}

void MysqlConnection::ReleaseMigrationLock() {
  if (!lock_held_) return;
  lock_held_ = false;
  const unsigned code = Mariadb().mysql_errno(conn_);
  // A lost connection took the lock with it.
  if (code == kServerGoneError || code == kServerLost) return;
  Query("SELECT RELEASE_LOCK($1)", {lock_name_});
}

bool MysqlConnection::TableExists(const std::string& schema, const std::string& table) {
  // Base tables only: views are not tables.
  return !Query(
              "SELECT 1 FROM information_schema.tables WHERE table_schema = "
              "COALESCE(NULLIF($1, ''), DATABASE()) AND table_name = $2 AND table_type = 'BASE "
              "TABLE'",
              {schema, table})
              .empty();
}

std::vector<std::string> MysqlConnection::TableColumns(const std::string& schema,
                                                       const std::string& table) {
  std::vector<std::string> columns;
  for (const Row& row :
       Query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
             "COALESCE(NULLIF($1, ''), DATABASE()) AND table_name = $2 ORDER BY ordinal_position",
             {schema, table})) {
    columns.push_back(row.at(0).value_or(""));
  }
  return columns;
}

std::string MysqlConnection::CurrentSchema() {
  // NULL when the URL names no database.
  return Query("SELECT DATABASE()").at(0).at(0).value_or("");
}

}  // namespace retort::driver
