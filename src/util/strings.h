#ifndef RETORT_UTIL_STRINGS_H_
#define RETORT_UTIL_STRINGS_H_

// Small string helpers with no retort concepts. All functions are pure and
// byte-oriented (ASCII case rules; other bytes pass through untouched).

#include <string>
#include <string_view>
#include <vector>

namespace retort::util {

// Strips ASCII whitespace (space, \t, \r, \n, \f, \v) from both ends.
std::string_view Trim(std::string_view text);
std::string_view TrimLeft(std::string_view text);
std::string_view TrimRight(std::string_view text);

std::string ToLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Splits on `separator`; every piece is kept (an empty input gives one empty
// piece), untrimmed.
std::vector<std::string> Split(std::string_view text, char separator);

// Splits a user-written list on any of `separators`, trimming each item and
// dropping empty ones: SplitList("a, b,,c", ",") == {"a", "b", "c"}.
std::vector<std::string> SplitList(std::string_view text, std::string_view separators);

std::string Join(const std::vector<std::string>& items, std::string_view separator);

// Alembic's file-name slug: the message's runs of word characters
// ([A-Za-z0-9_] and any non-ASCII byte), lowercased and joined by "_". When
// longer than `truncate_length`, cut there, back to the last "_", and end
// with "_" (exactly Alembic's rule, so file names match).
std::string Slugify(std::string_view message, int truncate_length);

// True for a non-empty string of [A-Za-z0-9_].
bool IsWordString(std::string_view text);
// The distinct characters of `text` outside [A-Za-z0-9_], sorted and joined
// by ", " (for "Character(s) '-, .' not allowed" messages).
std::string NonWordCharacters(std::string_view text);

}  // namespace retort::util

#endif  // RETORT_UTIL_STRINGS_H_
