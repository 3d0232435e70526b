#include "driver/libpq.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <string>

#include "retort/error.h"

namespace retort::driver {
namespace {

// libpq's ABI is stable across major versions under this soname.
constexpr const char* kLibPq = "libpq.so.5";

template <typename Function>
void Resolve(void* handle, const char* name, Function& out) {
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    throw Error(
        fmt::format("PostgreSQL support needs {}, which lacks {}: update libpq", kLibPq, name));
  }
  out = reinterpret_cast<Function>(symbol);
}

LibPq Load() {
  void* handle = dlopen(kLibPq, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    throw Error(
        fmt::format("PostgreSQL support needs {}, which could not be loaded ({}); install libpq "
                    "(Debian: apt-get install libpq5)",
                    kLibPq, reason != nullptr ? reason : "unknown reason"));
  }
  // Never dlclose()d: the functions are used until the process ends.
  LibPq pq{};
#define RETORT_RESOLVE(name) Resolve(handle, #name, pq.name)
  RETORT_RESOLVE(PQclear);
  RETORT_RESOLVE(PQcmdStatus);
  RETORT_RESOLVE(PQcmdTuples);
  RETORT_RESOLVE(PQconnectdbParams);
  RETORT_RESOLVE(PQerrorMessage);
  RETORT_RESOLVE(PQexec);
  RETORT_RESOLVE(PQexecParams);
  RETORT_RESOLVE(PQfinish);
  RETORT_RESOLVE(PQfreemem);
  RETORT_RESOLVE(PQgetCopyData);
  RETORT_RESOLVE(PQgetResult);
  RETORT_RESOLVE(PQgetisnull);
  RETORT_RESOLVE(PQgetlength);
  RETORT_RESOLVE(PQgetvalue);
  RETORT_RESOLVE(PQnfields);
  RETORT_RESOLVE(PQntuples);
  RETORT_RESOLVE(PQputCopyEnd);
  RETORT_RESOLVE(PQresultErrorField);
  RETORT_RESOLVE(PQresultStatus);
  RETORT_RESOLVE(PQsendQuery);
  RETORT_RESOLVE(PQsetNoticeProcessor);
  RETORT_RESOLVE(PQstatus);
  RETORT_RESOLVE(PQtransactionStatus);
#undef RETORT_RESOLVE
  return pq;
}

}  // namespace

const LibPq& Pq() {
  // A failed load throws out of the initialiser, so the next call retries.
  static const LibPq pq = Load();
  return pq;
}

}  // namespace retort::driver
