#ifndef RETORT_UTIL_CHECKSUM_H_
#define RETORT_UTIL_CHECKSUM_H_

#include <string>
#include <string_view>

namespace retort::util {

// SQL text with what cannot change its meaning taken out: `--` line comments
// and `/* */` block comments removed, every run of whitespace (comments
// included) collapsed to one space, leading and trailing whitespace dropped.
// Text inside string literals ('...', E'...'), quoted identifiers ("...",
// `...`, SQLite's [...]) and dollar quotes ($$...$$, $tag$...$tag$) is kept
// byte for byte: there a space or "--" is data. (PostgreSQL's array
// brackets are kept as written too: the normaliser knows no dialect.)
std::string NormalizeSql(std::string_view sql);

// Lowercase hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// The integrity checksum of a revision: SHA-256 over both sections'
// normalised SQL, so a comment or whitespace edit does not count while any
// other edit of either section does. The header is not part of it.
std::string SqlChecksum(std::string_view upgrade_sql, std::string_view downgrade_sql);

// SqlChecksum as retort computed it before [bracket] identifiers were kept
// as written (whitespace inside them was collapsed). It differs from
// SqlChecksum only for SQL with a tab, newline, comment or run of spaces
// inside [...]: such revisions applied before are reported as changed once
// and `retort repair` records the new checksum (docs/integrity.md). Kept
// for tests that pin which files that is.
std::string LegacySqlChecksum(std::string_view upgrade_sql, std::string_view downgrade_sql);

// True for a 64-character lowercase hex string, what SqlChecksum returns.
bool IsChecksum(std::string_view text);

}  // namespace retort::util

#endif  // RETORT_UTIL_CHECKSUM_H_
