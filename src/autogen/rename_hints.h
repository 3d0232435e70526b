#ifndef RETORT_AUTOGEN_RENAME_HINTS_H_
#define RETORT_AUTOGEN_RENAME_HINTS_H_

#include <filesystem>

#include "autogen/compare.h"

namespace retort::autogen {

// Reads `-- retort:renamed-from OLD` hints from the declared schema (a .sql
// file or a folder of them, as LoadDeclaredSchema reads it). A hint inside a
// CREATE TABLE statement, on a column definition's line or the line before
// it, renames that column; a hint on the CREATE TABLE line or the line
// before it renames the table. Throws retort::Error naming file:line for a
// hint that names nothing or is attached to nothing.
RenameHints ReadRenameHints(const std::filesystem::path& schema);

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_RENAME_HINTS_H_
