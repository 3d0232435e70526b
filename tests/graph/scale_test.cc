// Planning stays near-linear: 10,000 revisions, in a line and in 100
// parallel branches tied by dependencies and one merge, plan and apply in
// well under a second even in a Debug build (a quadratic step would take
// minutes here).

#include <gtest/gtest.h>

#include <string>

#include "graph/head_maintainer.h"
#include "graph/plan.h"

namespace retort::graph {
namespace {

std::vector<Revision> Line(int n) {
  std::vector<Revision> revisions;
  for (int i = 0; i < n; ++i) {
    Revision rev;
    rev.id = "r" + std::to_string(i);
    if (i > 0) rev.down_revisions = {"r" + std::to_string(i - 1)};
    revisions.push_back(rev);
  }
  return revisions;
}

// 100 branches of 100 off one root; branch k's 50th revision depends on
// branch k-1's; "merge" joins every branch head.
std::vector<Revision> Braid() {
  std::vector<Revision> revisions{{"root", {}, {}, {}, ""}};
  Revision merge{"merge", {}, {}, {}, ""};
  for (int b = 0; b < 100; ++b) {
    std::string prev = "root";
    for (int i = 0; i < 100; ++i) {
      Revision rev;
      rev.id = "b" + std::to_string(b) + "_" + std::to_string(i);
      rev.down_revisions = {prev};
      if (b > 0 && i == 50) rev.dependencies = {"b" + std::to_string(b - 1) + "_50"};
      if (i == 0) rev.branch_labels = {"L" + std::to_string(b)};
      prev = rev.id;
      revisions.push_back(rev);
    }
    merge.down_revisions.push_back(prev);
  }
  revisions.push_back(merge);
  return revisions;
}

std::vector<std::string> ApplyAll(const RevisionMap& map, const std::vector<Step>& steps,
                                  std::vector<std::string> rows) {
  HeadMaintainer maintainer(map, std::move(rows));
  for (const Step& step : steps) maintainer.Apply(step);
  return maintainer.heads();
}

TEST(ScaleTest, TenThousandInALine) {
  RevisionMap map(Line(10000));
  auto up = PlanUpgrade(map, "head", {});
  ASSERT_EQ(up.size(), 10000u);
  EXPECT_EQ(up.front().revision->id, "r0");
  EXPECT_EQ(ApplyAll(map, up, {}), std::vector<std::string>{"r9999"});
  auto down = PlanDowngrade(map, "base", {"r9999"});
  ASSERT_EQ(down.size(), 10000u);
  EXPECT_TRUE(ApplyAll(map, down, {"r9999"}).empty());
  EXPECT_EQ(PlanDowngrade(map, "-3", {"r9999"}).size(), 3u);
  EXPECT_EQ(map.History("r10", "r5000", {}).size(), 4991u);
}

TEST(ScaleTest, TenThousandInBraidedBranches) {
  RevisionMap map(Braid());
  auto up = PlanUpgrade(map, "heads", {});
  ASSERT_EQ(up.size(), 10002u);
  EXPECT_EQ(ApplyAll(map, up, {}), std::vector<std::string>{"merge"});
  auto down = PlanDowngrade(map, "base", {"merge"});
  ASSERT_EQ(down.size(), 10002u);
  EXPECT_TRUE(ApplyAll(map, down, {"merge"}).empty());
  // Down to b3_10: the merge, b3_11..b3_99, and the upper halves of branches
  // 4..99, which depend on b3_50 through the chain of dependencies.
  auto partial = PlanDowngrade(map, "L3@b3_10", {"merge"});
  EXPECT_EQ(partial.size(), 1u + 89u + 96u * 50u);
  // As in Alembic, label@base with a single root winds everything back.
  EXPECT_EQ(PlanDowngrade(map, "L3@base", {"merge"}).size(), 10002u);
  EXPECT_EQ(map.WalkRevisions().size(), 10002u);
}

}  // namespace
}  // namespace retort::graph
