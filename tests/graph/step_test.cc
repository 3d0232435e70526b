// Steps as the runtime logs them ("Running upgrade a -> b, doc") and the
// version-table changes the head maintainer issues for each.

#include <gtest/gtest.h>

#include "graph/errors.h"
#include "graph/graph_fixture.h"
#include "graph/head_maintainer.h"
#include "graph/plan.h"

namespace retort::graph {
namespace {

using testing::ParseGraph;

std::vector<std::string> Describe(const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const Step& step : steps) out.push_back(step.Describe());
  return out;
}

const char kMergeWithDependency[] = "a\nb a\nc1 b\nc2 b\nd c1 c2\ne d,c2";

TEST(StepTest, DescribeUsesAlembicsLogText) {
  RevisionMap map(ParseGraph("a\nb1 a\nb2 a\nm b1,b2", /*with_docs=*/true));
  EXPECT_EQ(Describe(PlanUpgrade(map, "heads", {})),
            (std::vector<std::string>{"upgrade  -> a, doc a", "upgrade a -> b2, doc b2",
                                      "upgrade a -> b1, doc b1", "upgrade b1, b2 -> m, doc m"}));
  EXPECT_EQ(Describe(PlanDowngrade(map, "a", {"m"})),
            (std::vector<std::string>{"downgrade m -> b1, b2, doc m", "downgrade b1 -> a, doc b1",
                                      "downgrade b2 -> a, doc b2"}));
  EXPECT_EQ(Describe(PlanStamp(map, {"b1"}, {"m"}, false)),
            std::vector<std::string>{"stamp_revision m -> b1"});
  EXPECT_EQ(Describe(PlanStamp(map, {"base"}, {"b1", "b2"}, false)),
            (std::vector<std::string>{"stamp_revision b1 -> ", "stamp_revision b2 -> "}));
}

TEST(StepTest, DescriptionWithoutDocHasNoComma) {
  RevisionMap map(ParseGraph("a\nb a"));
  EXPECT_EQ(Describe(PlanUpgrade(map, "b", {"a"})), std::vector<std::string>{"upgrade a -> b"});
}

TEST(StepTest, DependenciesAreInFromAndToButNotInTheText) {
  RevisionMap map(ParseGraph(kMergeWithDependency));
  std::vector<Step> up = PlanUpgrade(map, "d", {"c1", "c2"});
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].kind, Step::Kind::kMigration);
  EXPECT_TRUE(up[0].is_upgrade);
  EXPECT_EQ(up[0].revision->id, "d");
  EXPECT_EQ(up[0].from_revisions, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(up[0].to_revisions, std::vector<std::string>{"d"});
  EXPECT_EQ(up[0].Describe(), "upgrade c1 -> d");
  std::vector<Step> down = PlanDowngrade(map, "-1", {"d"});
  ASSERT_EQ(down.size(), 1u);
  EXPECT_FALSE(down[0].is_upgrade);
  EXPECT_EQ(down[0].to_revisions, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(down[0].Describe(), "downgrade d -> c1");
}

TEST(StepTest, StampStepsCarryBranchMove) {
  RevisionMap map(ParseGraph("a\nb a\nx"));
  std::vector<Step> steps = PlanStamp(map, {"x"}, {"b"}, false);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].kind, Step::Kind::kStamp);
  EXPECT_TRUE(steps[0].branch_move);
  EXPECT_TRUE(steps[0].from_revisions.empty());
  EXPECT_EQ(steps[0].revision->id, "x");
  steps = PlanStamp(map, {"a"}, {"b"}, false);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_FALSE(steps[0].branch_move);
  EXPECT_FALSE(steps[0].is_upgrade);
  steps = PlanStamp(map, {"base"}, {"b"}, false);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].revision->id, "b");
  EXPECT_TRUE(steps[0].to_revisions.empty());
}

TEST(StepTest, PurgePlansFromAnEmptyTable) {
  RevisionMap map(ParseGraph("a\nb a"));
  EXPECT_TRUE(PlanStamp(map, {"b"}, {"b"}, false).empty());
  EXPECT_EQ(Describe(PlanStamp(map, {"b"}, {"b"}, true)),
            std::vector<std::string>{"stamp_revision  -> b"});
  EXPECT_EQ(testing::Run(map, "stamp b purge"), "stamp_revision  -> b\n   insert b\n   rows: b");
}

struct RowsCase {
  const char* name;
  const char* command;
  const char* expected;
};

// Version-row arithmetic on `kMergeWithDependency`: e merges d and c2,
// though d already depends on c2.
const RowsCase kRowsCases[] = {
    {"MergeOfADependentPairKeepsOneRow", "up e c1,c2",
     "upgrade c1 -> d\n   delete c1; update c2 d\nupgrade d, c2 -> e\n   update d e\n   rows: e"},
    {"UnmergeOfADependentPairLeavesOneRow", "down d e",
     "downgrade e -> d, c2\n   update e d\n   rows: d"},
    {"UnmergeThroughBothParents", "down c1 e",
     "downgrade e -> d, c2\n   update e d\ndowngrade d -> c1\n   insert c1; update d c2\n   rows: "
     "c1,c2"},
    {"StampDownAMergeIsOneUpdate", "stamp b e", "stamp_revision e -> b\n   update e b\n   rows: b"},
    {"NewBranchFromBase", "up c2 -",
     "upgrade  -> a\n   insert a\nupgrade a -> b\n   update a b\nupgrade b -> c2\n   update b c2\n "
     "  rows: c2"},
    {"SecondBranchInsertsARow", "up c2 c1", "upgrade b -> c2\n   insert c2\n   rows: c1,c2"},
    // The other row still implies b: c1's row goes, c2's moves down.
    {"DowngradeTwoBranchesToTheirBranchPoint", "down b c1,c2",
     "downgrade c1 -> b\n   delete c1\ndowngrade c2 -> b\n   update c2 b\n   rows: b"},
};

TEST(HeadMaintainerTest, VersionRowsFollowAlembic) {
  RevisionMap map(ParseGraph(kMergeWithDependency));
  for (const auto& c : kRowsCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(testing::Run(map, c.command), c.expected);
  }
}

TEST(HeadMaintainerTest, TracksRowsAcrossSteps) {
  RevisionMap map(ParseGraph("a\nb a\nc b"));
  HeadMaintainer maintainer(map, {});
  for (const Step& step : PlanUpgrade(map, "c", {})) maintainer.Apply(step);
  EXPECT_EQ(maintainer.heads(), std::vector<std::string>{"c"});
  std::vector<VersionChange> changes = maintainer.Apply(PlanDowngrade(map, "b", {"c"}).at(0));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, VersionChange::Kind::kUpdate);
  EXPECT_EQ(changes[0].from, "c");
  EXPECT_EQ(changes[0].to, "b");
}

TEST(HeadMaintainerTest, RowsThatDoNotMatchTheStepAreAnError) {
  RevisionMap map(ParseGraph("a\nb a\nc b"));
  HeadMaintainer maintainer(map, {"a"});
  // The plan was made for rows {b}; the table holds {a}.
  Step step = PlanUpgrade(map, "c", {"b"}).at(0);
  maintainer.Apply(step);  // c's parent b is absent: Alembic inserts c
  EXPECT_EQ(maintainer.heads(), (std::vector<std::string>{"a", "c"}));
  HeadMaintainer stale(map, {"a"});
  EXPECT_THROW(stale.Apply(PlanDowngrade(map, "a", {"b"}).at(0)), RevisionError);
}

// A merge parent that a sibling already depends on: by the time m runs, x's
// row has been merged into d, which stands for it. Alembic deletes the
// missing row and fails (or crashes, depending on ids); retort merges the
// rows that are present.
TEST(HeadMaintainerTest, MergeSkipsAParentAlreadyMergedThroughADependency) {
  RevisionMap map(ParseGraph("r\nx r\ny r\nd y x\nz r\nm x,z d"));
  std::string run = testing::Run(map, "up m -");
  EXPECT_NE(run.find("upgrade x, z -> m\n   delete z; update d m\n   rows: m"), std::string::npos)
      << run;
}

}  // namespace
}  // namespace retort::graph
