#ifndef RETORT_AUTOGEN_TABLE_FILTER_H_
#define RETORT_AUTOGEN_TABLE_FILTER_H_

#include <string>
#include <vector>

#include "retort/config.h"
#include "schema/snapshot.h"

namespace retort::autogen {

// Which tables autogenerate and check look at (Alembic's include_name /
// include_object hooks, as two config settings):
//
//   include_tables = users, audit.*     # only these (empty or unset: all)
//   exclude_tables = tmp_*, legacy_*    # never these
//
// Patterns are separated by commas and/or whitespace and use fnmatch rules
// (`*`, `?`, `[abc]`), compared case-insensitively with the table's name
// both unqualified ("users") and qualified ("public.users"). Exclusion wins
// over inclusion. The version table and its history table are always
// excluded, whatever the patterns say.
class TableFilter {
 public:
  // `default_schema` qualifies the snapshot's unqualified names (PostgreSQL:
  // current_schema(); SQLite: "main").
  TableFilter(std::vector<std::string> include, std::vector<std::string> exclude,
              std::vector<std::string> always_excluded, std::string default_schema);

  // From the settings of `config`, with its bookkeeping tables always out.
  static TableFilter FromConfig(const Config& config, const std::string& default_schema);

  // Whether a table (named as in a Snapshot) takes part in the comparison.
  bool Keeps(const std::string& table) const;

  // The tables of `snapshot` this filter leaves out.
  std::vector<std::string> ExcludedTables(const schema::Snapshot& snapshot) const;

  // `snapshot` without the tables this filter leaves out: their columns,
  // keys, constraints, indexes, triggers and owned sequences (serial,
  // identity) go with them. Views, other sequences, types and routines are
  // not tables and stay.
  schema::Snapshot Apply(const schema::Snapshot& snapshot) const;

 private:
  bool Matches(const std::vector<std::string>& patterns, const std::string& table) const;

  std::vector<std::string> include_;
  std::vector<std::string> exclude_;
  std::vector<std::string> always_excluded_;
  std::string default_schema_;
};

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_TABLE_FILTER_H_
