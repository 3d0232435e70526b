// MatchRelative: Alembic's _relative_destination regex,
// `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` with re.match, scanned by hand. The
// expectations are what Python's re gives for each input.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "graph/revision_map_impl.h"

namespace retort::graph {
namespace {

struct Parts {
  std::optional<std::string> label, symbol;
  std::string relative;
  bool operator==(const Parts&) const = default;
};

std::optional<Parts> Match(std::string_view spec) {
  std::optional<RelativeSpec> match = MatchRelative(spec);
  if (!match) return std::nullopt;
  return Parts{match->branch_label, match->symbol, match->relative};
}

TEST(MatchRelativeTest, AgreesWithPythonsRe) {
  using P = Parts;
  const std::nullopt_t none = std::nullopt;
  EXPECT_EQ(Match("+1"), (P{none, none, "+1"}));
  EXPECT_EQ(Match("-2"), (P{none, none, "-2"}));
  EXPECT_EQ(Match("ab12-1"), (P{none, "ab12", "-1"}));
  EXPECT_EQ(Match("lbl@+3"), (P{"lbl", none, "+3"}));
  EXPECT_EQ(Match("lbl@head-1"), (P{"lbl", "head", "-1"}));
  EXPECT_EQ(Match("a@b@c+2"), (P{"a@b", "c", "+2"}));  // the lazy label grows past an '@'
  EXPECT_EQ(Match("a@b@-1x"), (P{"a@b", none, "-1"}));
  EXPECT_EQ(Match("ab-1xyz"), (P{none, "ab", "-1"}));  // re.match: trailing text allowed
  EXPECT_EQ(Match("l@@x+1"), (P{"l@", "x", "+1"}));
  for (std::string_view no : {"@-1", "x@", "heads", "a\n@b-1", "ab+", "a.b-1", "a@b.c-1",
                              "a@b@c", ""}) {
    EXPECT_EQ(Match(no), std::nullopt) << no;
  }
}

TEST(MatchRelativeTest, HugeInputIsLinearAndDoesNotRecurse) {
  std::string many_ats;
  for (int i = 0; i < 200000; ++i) many_ats += "x@";
  EXPECT_EQ(Match(many_ats), std::nullopt);
  EXPECT_EQ(Match(std::string(1000000, 'a') + "-1")->symbol, std::string(1000000, 'a'));
  std::optional<RelativeSpec> big = MatchRelative("+" + std::string(100000, '9'));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->value, 999999999);
}

}  // namespace
}  // namespace retort::graph
