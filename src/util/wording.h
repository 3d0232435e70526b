#ifndef RETORT_UTIL_WORDING_H_
#define RETORT_UTIL_WORDING_H_

// Small helpers for the words of messages (defined in strings.cc).

#include <string>
#include <string_view>
#include <vector>

namespace retort::util {

// "a, b and c", or the first `shown` then "and N more" ("a, b, c and 4
// more"): a list a message names without growing without bound.
std::string FewOf(const std::vector<std::string>& items, size_t shown = 3);

// Edit distance (insertions, deletions, substitutions and swaps of two
// neighbours), for "did you mean" suggestions; inputs are short (ids).
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace retort::util

#endif  // RETORT_UTIL_WORDING_H_
