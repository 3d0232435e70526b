#ifndef RETORT_DRIVER_LIBMARIADB_H_
#define RETORT_DRIVER_LIBMARIADB_H_

#include <mysql.h>

namespace retort::driver {

// libmariadb (MariaDB Connector/C, which speaks to MySQL and MariaDB
// servers), loaded with dlopen() on the first MySQL connection instead of
// linked, for the reason libpq is (libpq.h): processes that never touch
// MySQL, SQLite runs and `retort heads` included, do not pay for mapping it
// and its TLS libraries. The header still gives the types.
struct LibMariadb {
  decltype(&::mysql_affected_rows) mysql_affected_rows;
  decltype(&::mysql_close) mysql_close;
  decltype(&::mysql_errno) mysql_errno;
  decltype(&::mysql_error) mysql_error;
  decltype(&::mysql_fetch_lengths) mysql_fetch_lengths;
  decltype(&::mysql_fetch_row) mysql_fetch_row;
  decltype(&::mysql_field_count) mysql_field_count;
  decltype(&::mysql_free_result) mysql_free_result;
  decltype(&::mysql_init) mysql_init;
  decltype(&::mysql_more_results) mysql_more_results;
  decltype(&::mysql_next_result) mysql_next_result;
  decltype(&::mysql_num_fields) mysql_num_fields;
  decltype(&::mysql_options) mysql_options;
  decltype(&::mysql_real_connect) mysql_real_connect;
  decltype(&::mysql_real_escape_string) mysql_real_escape_string;
  decltype(&::mysql_real_query) mysql_real_query;
  decltype(&::mysql_sqlstate) mysql_sqlstate;
  decltype(&::mysql_store_result) mysql_store_result;
  decltype(&::mariadb_get_infov) mariadb_get_infov;
};

// The loaded library's functions. Throws retort::Error naming
// libmariadb.so.3 and the loader's reason when it cannot be loaded.
const LibMariadb& Mariadb();

}  // namespace retort::driver

#endif  // RETORT_DRIVER_LIBMARIADB_H_
