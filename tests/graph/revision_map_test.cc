// The revision map: validation errors, heads and bases, computed facts, spec
// resolution and history order. Expected texts are Alembic's (checked against
// Alembic 1.8.1 on the same graphs).

#include "graph/revision_map.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "graph/errors.h"
#include "graph/graph_fixture.h"

namespace retort::graph {
namespace {

using testing::ParseGraph;

std::string Ids(const std::vector<const Revision*>& revisions) {
  std::string out;
  for (const Revision* rev : revisions) out += (out.empty() ? "" : " ") + rev->id;
  return out;
}

// Resolves `spec` as `alembic show`/`upgrade` would: the ids, or the error.
std::string Resolve(const RevisionMap& map, const std::string& spec) {
  try {
    return Ids(map.GetRevisions(spec));
  } catch (const Error& e) {
    return std::string("ERROR: ") + e.what();
  }
}

std::string ResolveOne(const RevisionMap& map, const std::string& spec) {
  try {
    const Revision* rev = map.GetRevision(spec);
    return rev == nullptr ? "None" : rev->id;
  } catch (const Error& e) {
    return std::string("ERROR: ") + e.what();
  }
}

struct BuildErrorCase {
  const char* name;
  const char* graph;
  const char* message;
  const char* revision;  // revision() of the error
};

const BuildErrorCase kBuildErrors[] = {
    {"Duplicate", "a\nb a\nb a", "Revision b is present more than once", "b"},
    {"DuplicateLabel", "a - - x\nb a - x",
     "Branch name 'x' in revision b already used by revision a", "b"},
    {"LabelIsAnId", "a - - b\nb a", "Branch name 'b' in revision a already used by revision b",
     "a"},
    {"Cycle", "a b\nb a", "Cycle is detected in revisions (a, b)", "a"},
    {"CycleBesideALine", "a\nb a\nc d\nd c", "Cycle is detected in revisions (c, d)", "c"},
    {"DependencyCycle", "a - b\nb - a", "Dependency cycle is detected in revisions (a, b)", "a"},
    {"SelfLoop", "a a", "Self-loop is detected in revisions (a)", "a"},
    {"DependencySelfLoop", "a - a", "Dependency self-loop is detected in revisions (a)", "a"},
    {"IllegalCharacter", "a-b", "Character(s) '-' not allowed in revision identifier 'a-b'", "a-b"},
    {"IllegalCharacters", "a@b+c", "Character(s) '+, @' not allowed in revision identifier 'a@b+c'",
     "a@b+c"},
    {"UnknownParent", "a\nb z", "Revision z referenced from b is not present", "b"},
    {"ParentNamedByLabel", "a - - lab\nb lab", "Revision lab referenced from b is not present",
     "b"},
    {"UnknownDependency", "a\nb a zz", "Dependency zz referenced from b is not present", "b"},
};

TEST(RevisionMapTest, InvalidGraphsAreRefusedNamingTheRevision) {
  for (const auto& c : kBuildErrors) {
    SCOPED_TRACE(c.name);
    try {
      RevisionMap map(ParseGraph(c.graph));
      ADD_FAILURE() << "built";
    } catch (const RevisionError& e) {
      EXPECT_EQ(std::string(e.what()), c.message);
      EXPECT_EQ(e.revision(), c.revision);
      EXPECT_EQ(e.ExitCode(), 1);
    }
  }
}

TEST(RevisionMapTest, ErrorsCarryTheirData) {
  try {
    RevisionMap map(ParseGraph("a\nb z"));
    FAIL();
  } catch (const UnknownDownRevision& e) {
    EXPECT_EQ(e.missing(), "z");
  }
  try {
    RevisionMap map(ParseGraph("a\nb a zz"));
    FAIL();
  } catch (const UnknownDependency& e) {
    EXPECT_EQ(e.missing(), "zz");
  }
  try {
    RevisionMap map(ParseGraph("a - - x\nb a - x"));
    FAIL();
  } catch (const DuplicateBranchLabel& e) {
    EXPECT_EQ(e.label(), "x");
    EXPECT_EQ(e.other_revision(), "a");
  }
  try {
    RevisionMap map(ParseGraph("a - b\nb - a"));
    FAIL();
  } catch (const DependencyCycleDetected& e) {
    EXPECT_EQ(e.revisions(), (std::vector<std::string>{"a", "b"}));
  }
  EXPECT_THROW(RevisionMap(ParseGraph("a\na")), DuplicateRevision);
  EXPECT_THROW(RevisionMap(ParseGraph("a b\nb a")), CycleDetected);
}

TEST(RevisionMapTest, EmptyMapHasNothing) {
  RevisionMap map({});
  EXPECT_TRUE(map.Heads().empty());
  EXPECT_TRUE(map.Bases().empty());
  EXPECT_EQ(Resolve(map, "heads"), "");
  EXPECT_EQ(ResolveOne(map, "head"), "None");
  EXPECT_EQ(Ids(map.WalkRevisions()), "");
}

TEST(RevisionMapTest, HeadsIgnoreDependenciesRealHeadsCountThem) {
  RevisionMap map(ParseGraph("a\nb a\nc - b"));
  EXPECT_EQ(Ids(map.Heads()), "b c");
  EXPECT_EQ(Ids(map.RealHeads()), "c");
  EXPECT_EQ(Ids(map.Bases()), "a c");
  EXPECT_EQ(Resolve(map, "heads"), "c");
  const RevisionInfo& b = map.Info(*map.Find("b"));
  EXPECT_TRUE(b.is_head);
  EXPECT_FALSE(b.is_real_head);  // "(effective head)"
  EXPECT_EQ(map.Info(*map.Find("c")).resolved_dependencies, std::vector<std::string>{"b"});
  // `current` with rows b and c shows both: c does not revise b.
  EXPECT_EQ(Ids(map.AllCurrent({"c"})), "b c");
  EXPECT_EQ(Ids(map.AllCurrent({"b", "c"})), "b c");
}

TEST(RevisionMapTest, InfoDescribesTheShapeInMapOrder) {
  RevisionMap map(ParseGraph("a\nb2 a\nb1 a\nm b1,b2"));
  const RevisionInfo& a = map.Info(*map.Find("a"));
  EXPECT_EQ(a.next_revisions, (std::vector<std::string>{"b2", "b1"}));
  EXPECT_TRUE(a.is_branch_point);
  EXPECT_TRUE(a.is_base);
  EXPECT_FALSE(a.is_head);
  const RevisionInfo& m = map.Info(*map.Find("m"));
  EXPECT_TRUE(m.is_merge_point);
  EXPECT_TRUE(m.is_head);
  EXPECT_TRUE(m.is_real_head);
  EXPECT_FALSE(m.is_base);
  EXPECT_EQ(map.Find("zz"), nullptr);
}

TEST(RevisionMapTest, LabelsReachDescendantsAndPlainLineAncestors) {
  // Alembic's _add_branches also labels ancestors up to a branch point.
  RevisionMap line(ParseGraph("a\nb a\nc b - lab\nd c"));
  for (const char* id : {"a", "b", "c", "d"}) {
    EXPECT_EQ(line.Info(*line.Find(id)).all_branch_labels, std::vector<std::string>{"lab"}) << id;
  }
  RevisionMap forked(ParseGraph("a\nb a\nc b - lab\nd c\ne b"));
  EXPECT_TRUE(forked.Info(*forked.Find("a")).all_branch_labels.empty());
  EXPECT_TRUE(forked.Info(*forked.Find("b")).all_branch_labels.empty());
  EXPECT_TRUE(forked.Info(*forked.Find("e")).all_branch_labels.empty());
  EXPECT_EQ(forked.Info(*forked.Find("d")).all_branch_labels, std::vector<std::string>{"lab"});
  RevisionMap two(ParseGraph("a - - x\nb a - y\nc b"));
  EXPECT_EQ(two.Info(*two.Find("c")).all_branch_labels, (std::vector<std::string>{"x", "y"}));
}

struct SpecCase {
  const char* spec;
  const char* many;  // GetRevisions
  const char* one;   // GetRevision
};

const char kForked[] = "a\nb a\nc b - lab\nd c\ne b";
const char kMultipleHeadsHead[] =
    "ERROR: Multiple head revisions are present for given argument 'head'; please specify a "
    "specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for "
    "all heads";

const SpecCase kForkedSpecs[] = {
    {"lab", "c", "c"},
    {"lab@head", "d", "d"},
    {"lab@base", "", "None"},
    {"lab@d", "d", "d"},
    {"lab@a", "a", "a"},
    {"lab@c", "c", "c"},
    {"lab@e", "ERROR: Can't locate revision identified by 'e'; did you mean 'a', 'b' or 'c'?",
     "ERROR: Can't locate revision identified by 'e'; did you mean 'a', 'b' or 'c'?"},
    {"nope@head", "ERROR: Can't locate revision identified by 'nope'",
     "ERROR: Can't locate revision identified by 'nope'"},
    {"head", kMultipleHeadsHead, kMultipleHeadsHead},
    {"heads", "d e",
     "ERROR: Multiple head revisions are present for given argument 'heads'; please specify a "
     "specific target revision, '<branchname>@heads' to narrow to a specific head, or 'heads' for "
     "all heads"},
    {"base", "", "None"},
    {"lab@-1", "c", "ERROR: Can't locate revision identified by '-1'"},
    {"-1", "c b", "ERROR: Can't locate revision identified by '-1'"},
    {"d", "d", "d"},
    {"zz", "ERROR: Can't locate revision identified by 'zz'",
     "ERROR: Can't locate revision identified by 'zz'"},
};

TEST(RevisionMapTest, SpecsResolveAsAlembicDoes) {
  RevisionMap map(ParseGraph(kForked));
  for (const auto& c : kForkedSpecs) {
    SCOPED_TRACE(c.spec);
    EXPECT_EQ(Resolve(map, c.spec), c.many);
    EXPECT_EQ(ResolveOne(map, c.spec), c.one);
  }
}

TEST(RevisionMapTest, PrefixesNeedFourCharactersAndOneMatch) {
  RevisionMap map(ParseGraph("abcd1\nabcd2 abcd1\nabce3 abcd2 - feature"));
  EXPECT_EQ(Resolve(map, "abce"), "abce3");
  EXPECT_EQ(Resolve(map, "abcd1"), "abcd1");
  EXPECT_EQ(Resolve(map, "feat"), "abce3");  // labels are keys too
  EXPECT_EQ(Resolve(map, "abcd"), "ERROR: Can't locate revision identified by 'abcd'");
  EXPECT_EQ(Resolve(map, "abc"), "ERROR: Can't locate revision identified by 'abc'");
  try {
    map.GetRevision("abcd");
    FAIL();
  } catch (const AmbiguousPrefix& e) {
    EXPECT_EQ(e.argument(), "abcd");
    EXPECT_EQ(e.revision(), "abcd");
    EXPECT_EQ(e.candidates(), (std::vector<std::string>{"abcd1", "abcd2"}));
  }
  try {
    map.GetRevision("abc");
    FAIL();
  } catch (const ResolutionError& e) {
    EXPECT_EQ(e.argument(), "abc");
  }
}

TEST(RevisionMapTest, MultipleHeadsCarriesTheHeads) {
  RevisionMap map(ParseGraph(kForked));
  try {
    map.GetRevision("head");
    FAIL();
  } catch (const MultipleHeads& e) {
    EXPECT_EQ(e.heads(), (std::vector<std::string>{"d", "e"}));
    EXPECT_EQ(e.argument(), "head");
  }
}

TEST(RevisionMapTest, WalkRevisionsIsNewestFirstBranchByBranch) {
  RevisionMap map(ParseGraph("a\nb1 a\nb2 a\nc1 b1\nc2 b2\nm c1,c2\nn m"));
  EXPECT_EQ(Ids(map.WalkRevisions()), "n m c1 b1 c2 b2 a");
  RevisionMap roots(ParseGraph("r1\nr2 r1\ns1 - - sbr\ns2 s1\ns3 s2\nt1 r2 - tbr\nt2 t1 s2"));
  EXPECT_EQ(Ids(roots.WalkRevisions()), "s3 t2 t1 r2 r1 s2 s1");
}

TEST(RevisionMapTest, IsAncestorFollowsParentsAndDependencies) {
  RevisionMap map(ParseGraph("a\nb a\nc - b\nd"));
  EXPECT_TRUE(map.IsAncestor("a", "b"));
  EXPECT_TRUE(map.IsAncestor("a", "c"));  // through c's dependency on b
  EXPECT_TRUE(map.IsAncestor("b", "b"));
  EXPECT_FALSE(map.IsAncestor("b", "a"));
  EXPECT_FALSE(map.IsAncestor("d", "c"));
  EXPECT_FALSE(map.IsAncestor("zz", "c"));
}

TEST(RevisionMapTest, AncestorsOfIsIsAncestorsSetInOneWalk) {
  RevisionMap map(ParseGraph("a\nb a\nc - b\nd\ne d"));
  std::vector<std::string> found;
  for (const Revision* revision : map.AncestorsOf({"c", "zz", "d"})) found.push_back(revision->id);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{"a", "b", "c", "d"}));  // not e, not zz
  EXPECT_TRUE(map.AncestorsOf({}).empty());
}

TEST(RevisionMapTest, DependenciesMayNameLabels) {
  RevisionMap map(ParseGraph("a - - lib\nb a\nx\ny x lib"));
  EXPECT_EQ(map.Info(*map.Find("y")).resolved_dependencies, std::vector<std::string>{"a"});
}

TEST(RevisionMapTest, ThousandsOfRevisionsPlanQuickly) {
  std::vector<Revision> revisions;
  for (int i = 0; i < 10000; ++i) {
    Revision rev;
    rev.id = "r" + std::to_string(i);
    if (i > 0) rev.down_revisions = {"r" + std::to_string(i - 1)};
    revisions.push_back(rev);
  }
  RevisionMap map(std::move(revisions));
  EXPECT_EQ(map.Heads().front()->id, "r9999");
  EXPECT_EQ(map.WalkRevisions().size(), 10000u);
  EXPECT_EQ(Resolve(map, "r5000"), "r5000");
}

}  // namespace
}  // namespace retort::graph
