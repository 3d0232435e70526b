#include "driver/libmariadb.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include "retort/error.h"

namespace retort::driver {
namespace {

// Connector/C's ABI is stable under this soname (3.x).
constexpr const char* kLibMariadb = "libmariadb.so.3";

template <typename Function>
void Resolve(void* handle, const char* name, Function& out) {
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    throw Error(fmt::format("MySQL support needs {}, which lacks {}: update libmariadb3",
                            kLibMariadb, name));
  }
  out = reinterpret_cast<Function>(symbol);
}

LibMariadb Load() {
  void* handle = dlopen(kLibMariadb, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    throw Error(fmt::format(
        "MySQL support needs {}, which could not be loaded ({}); install MariaDB Connector/C "
        "(Debian: apt-get install libmariadb3)",
        kLibMariadb, reason != nullptr ? reason : "unknown reason"));
  }
  // Never dlclose()d: the functions are used until the process ends.
  LibMariadb lib{};
#define RETORT_RESOLVE(name) Resolve(handle, #name, lib.name)
  RETORT_RESOLVE(mysql_affected_rows);
  RETORT_RESOLVE(mysql_close);
  RETORT_RESOLVE(mysql_errno);
  RETORT_RESOLVE(mysql_error);
  RETORT_RESOLVE(mysql_fetch_lengths);
  RETORT_RESOLVE(mysql_fetch_row);
  RETORT_RESOLVE(mysql_field_count);
  RETORT_RESOLVE(mysql_free_result);
  RETORT_RESOLVE(mysql_init);
  RETORT_RESOLVE(mysql_more_results);
  RETORT_RESOLVE(mysql_next_result);
  RETORT_RESOLVE(mysql_num_fields);
  RETORT_RESOLVE(mysql_options);
  RETORT_RESOLVE(mysql_real_connect);
  RETORT_RESOLVE(mysql_real_escape_string);
  RETORT_RESOLVE(mysql_real_query);
  RETORT_RESOLVE(mysql_sqlstate);
  RETORT_RESOLVE(mysql_store_result);
  RETORT_RESOLVE(mariadb_get_infov);
#undef RETORT_RESOLVE
  return lib;
}

}  // namespace

const LibMariadb& Mariadb() {
  // A failed load throws out of the initialiser, so the next call retries.
  static const LibMariadb lib = Load();
  return lib;
}

}  // namespace retort::driver
