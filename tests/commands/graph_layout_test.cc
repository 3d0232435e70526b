// history --graph and --dot: exact drawings for the graph shapes Alembic
// projects have (linear, branched, merged, several roots, octopus merges).
#include "commands/graph_layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::commands {
namespace {

using ::testing::Contains;
using ::testing::ElementsAreArray;

// "id:parent1,parent2" per revision, in file order.
graph::RevisionMap MakeMap(const std::vector<std::string>& specs) {
  std::vector<graph::Revision> revisions;
  for (const std::string& spec : specs) {
    graph::Revision revision;
    auto colon = spec.find(':');
    revision.id = spec.substr(0, colon);
    revision.doc = "msg " + revision.id;
    if (colon != std::string::npos) {
      std::string rest = spec.substr(colon + 1);
      size_t start = 0;
      while (start <= rest.size() && !rest.empty()) {
        size_t comma = rest.find(',', start);
        revision.down_revisions.push_back(rest.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    revisions.push_back(revision);
  }
  return graph::RevisionMap(std::move(revisions));
}

std::vector<std::string> Draw(const graph::RevisionMap& map) {
  return DrawGraph(map, map.WalkRevisions(), [](const graph::Revision& r) { return r.id; });
}

struct GraphCase {
  std::string name;
  std::vector<std::string> revisions;
  std::vector<std::string> drawing;
};

const std::vector<GraphCase> kGraphCases = {
    {"linear", {"a", "b:a", "c:b"}, {"* c", "* b", "* a"}},
    {"branched", {"a", "b1:a", "b2:a"}, {"* b1", "| * b2", "|/", "* a"}},
    {"merged", {"a", "b1:a", "b2:a", "m:b1,b2"}, {"* m", "|\\", "* | b1", "| * b2", "|/", "* a"}},
    {"two roots", {"a", "x", "b:a", "y:x"}, {"* b", "* a", "* y", "* x"}},
    {"merged roots", {"a", "x", "m:a,x"}, {"* m", "|\\", "* | a", " /", "* x"}},
    {"three branches from one point",
     {"a", "b1:a", "b2:a", "b3:a"},
     {"* b1", "| * b2", "| | * b3", "|_|/", "|/", "* a"}},
    {"octopus merge",
     {"a", "b1:a", "b2:a", "b3:a", "m:b1,b2,b3"},
     {"*-. m", "|\\ \\", "* | | b1", "| * | b2", "| | * b3", "|_|/", "|/", "* a"}},
};

class DrawGraphTest : public ::testing::TestWithParam<GraphCase> {};

TEST_P(DrawGraphTest, Drawing) {
  graph::RevisionMap map = MakeMap(GetParam().revisions);
  EXPECT_THAT(Draw(map), ElementsAreArray(GetParam().drawing));
}

INSTANTIATE_TEST_SUITE_P(Shapes, DrawGraphTest, ::testing::ValuesIn(kGraphCases),
                         [](const ::testing::TestParamInfo<GraphCase>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (c == ' ') c = '_';
                           }
                           return name;
                         });

TEST(DrawGraphTest, LabelsFollowTheNode) {
  graph::RevisionMap map = MakeMap({"a", "b:a"});
  EXPECT_THAT(DrawGraph(map, map.WalkRevisions(),
                        [](const graph::Revision& r) { return r.id + ", " + r.doc; }),
              ElementsAreArray({"* b, msg b", "* a, msg a"}));
}

TEST(DotGraphTest, NodesEdgesDependenciesHeadsAndCurrent) {
  std::vector<graph::Revision> revisions(3);
  revisions[0].id = "a";
  revisions[0].doc = "create \"users\"";
  revisions[1].id = "b";
  revisions[1].down_revisions = {"a"};
  revisions[1].doc = "add posts";
  revisions[2].id = "x";
  revisions[2].dependencies = {"a"};
  revisions[2].branch_labels = {"audit"};
  revisions[2].doc = "audit";
  graph::RevisionMap map(std::move(revisions));
  EXPECT_THAT(DotGraph(map, map.WalkRevisions(), {"a"}),
              ElementsAreArray({
                  "digraph retort {",
                  "  rankdir=BT;",
                  "  node [shape=box, fontname=\"monospace\"];",
                  "  \"a\" [label=\"a (current)\\ncreate \\\"users\\\"\", style=filled, "
                  "fillcolor=lightblue];",
                  "  \"x\" [label=\"x (audit) (head)\\naudit\", style=bold, penwidth=2];",
                  "  \"b\" [label=\"b (head)\\nadd posts\", style=bold, penwidth=2];",
                  "  \"a\" -> \"x\" [style=dashed];",
                  "  \"a\" -> \"b\";",
                  "}",
              }));
}

}  // namespace
}  // namespace retort::commands
