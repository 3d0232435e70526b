#ifndef RETORT_UTIL_RANDOM_ID_H_
#define RETORT_UTIL_RANDOM_ID_H_

#include <string>

namespace retort::util {

// 12 random lowercase hex characters (48 bits from std::random_device), the
// shape of Alembic's uuid4().hex[-12:] revision ids.
std::string RandomRevisionId();

}  // namespace retort::util

#endif  // RETORT_UTIL_RANDOM_ID_H_
