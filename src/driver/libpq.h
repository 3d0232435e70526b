#ifndef RETORT_DRIVER_LIBPQ_H_
#define RETORT_DRIVER_LIBPQ_H_

#include <libpq-fe.h>

namespace retort::driver {

// libpq, loaded with dlopen() on the first PostgreSQL connection instead of
// linked: a linked libpq made every retort process, SQLite runs and
// `retort heads` included, map and relocate ~30 shared libraries (Kerberos,
// LDAP, GnuTLS, ...), 4-5 ms of start-up out of ~15 ms for `heads` on 1,000
// revisions (docs/performance.md). The header still gives the types.
struct LibPq {
  decltype(&::PQclear) PQclear;
  decltype(&::PQcmdStatus) PQcmdStatus;
  decltype(&::PQcmdTuples) PQcmdTuples;
  decltype(&::PQconnectdbParams) PQconnectdbParams;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQfreemem) PQfreemem;
  decltype(&::PQgetCopyData) PQgetCopyData;
  decltype(&::PQgetResult) PQgetResult;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQgetlength) PQgetlength;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQnfields) PQnfields;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQputCopyEnd) PQputCopyEnd;
  decltype(&::PQresultErrorField) PQresultErrorField;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQsendQuery) PQsendQuery;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQtransactionStatus) PQtransactionStatus;
};

// The loaded library's functions. Throws retort::Error naming libpq.so.5 and
// the loader's reason when it cannot be loaded.
const LibPq& Pq();

}  // namespace retort::driver

#endif  // RETORT_DRIVER_LIBPQ_H_
