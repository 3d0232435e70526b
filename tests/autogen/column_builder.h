#ifndef RETORT_TESTS_AUTOGEN_COLUMN_BUILDER_H_
#define RETORT_TESTS_AUTOGEN_COLUMN_BUILDER_H_

#include <optional>
#include <string>
#include <utility>

#include "schema/snapshot.h"

namespace retort::autogen::test {

// A column as inspection reports it, for tests that build operations by hand.
inline schema::Column Col(const std::string& table, const std::string& name,
                          const std::string& type, bool not_null = false,
                          std::optional<std::string> default_value = {}) {
  return schema::Column{.table = table,
                        .name = name,
                        .type = type,
                        .not_null = not_null,
                        .default_value = std::move(default_value)};
}

}  // namespace retort::autogen::test

#endif  // RETORT_TESTS_AUTOGEN_COLUMN_BUILDER_H_
