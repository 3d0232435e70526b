// Branch labels on maps with many of them: which revisions carry which
// labels (RevisionInfo::all_branch_labels), against expectations written
// out for a regular graph and against a literal transcription of Alembic's
// RevisionMap._add_branches on random graphs (branches, merges,
// depends_on, labels on every kind of revision, map order shuffled).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/errors.h"
#include "graph/revision_map.h"

namespace retort::graph {
namespace {

std::string Name(const char* prefix, int k) { return prefix + std::to_string(k); }

// Alembic 1.8.1's _add_branches, label sets as bit rows: for each revision
// with labels of its own, in map order, its current labels go to every
// descendant (versioned edges, depth-first as _iterate_related_revisions
// walks), then from the last one visited down through revisions that are
// neither real branch points nor merge points.
std::vector<std::vector<std::string>> ReferenceLabels(const std::vector<Revision>& revisions) {
  const int n = static_cast<int>(revisions.size());
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < n; ++i) index[revisions[i].id] = i;
  std::vector<std::string> names;
  std::unordered_map<std::string, int> label_index;
  for (const Revision& revision : revisions) {
    for (const auto& label : revision.branch_labels) {
      label_index.emplace(label, static_cast<int>(names.size()));
      names.push_back(label);
    }
  }
  const size_t words = (names.size() + 63) / 64;
  std::vector<std::vector<int>> down(n), nextrev(n);
  std::vector<int> all_next_count(n, 0);
  for (int i = 0; i < n; ++i) {
    for (const auto& d : revisions[i].down_revisions) {
      down[i].push_back(index.at(d));
      nextrev[index.at(d)].push_back(i);
      ++all_next_count[index.at(d)];
    }
    for (const auto& d : revisions[i].dependencies) ++all_next_count[index.at(d)];
  }
  std::vector<std::vector<uint64_t>> bits(n, std::vector<uint64_t>(words, 0));
  for (int i = 0; i < n; ++i) {
    for (const auto& label : revisions[i].branch_labels) {
      int k = label_index.at(label);
      bits[i][k / 64] |= uint64_t{1} << (k % 64);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (revisions[i].branch_labels.empty()) continue;
    const std::vector<uint64_t> labels = bits[i];
    auto add = [&](int rev) {
      for (size_t w = 0; w < words; ++w) bits[rev][w] |= labels[w];
    };
    std::vector<char> seen(n, 0);
    std::vector<int> todo{i};
    int last = i;
    while (!todo.empty()) {
      int rev = todo.back();
      todo.pop_back();
      if (seen[rev]) continue;
      seen[rev] = 1;
      todo.insert(todo.end(), nextrev[rev].begin(), nextrev[rev].end());
      add(rev);
      last = rev;
    }
    int parent = last;
    while (all_next_count[parent] <= 1 && down[parent].size() <= 1) {
      add(parent);
      if (down[parent].empty()) break;
      parent = down[parent][0];
    }
  }
  std::vector<std::vector<std::string>> out(n);
  for (int i = 0; i < n; ++i) {
    for (size_t k = 0; k < names.size(); ++k) {
      if ((bits[i][k / 64] >> (k % 64)) & 1) out[i].push_back(names[k]);
    }
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

// A random graph of n revisions: mostly lines extending a head, some forks
// off earlier revisions, merges of two heads and depends_on on earlier
// revisions; `labels` labels on random revisions (a few with two), and the
// map order shuffled.
std::vector<Revision> RandomGraph(int n, int labels, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&rng](int bound) { return static_cast<int>(rng() % static_cast<unsigned>(bound)); };
  std::vector<Revision> revisions;
  std::vector<int> heads;
  for (int i = 0; i < n; ++i) {
    Revision rev;
    rev.id = Name("r", i);
    int roll = i == 0 ? -1 : pick(100);
    if (roll < 2) {
      heads.push_back(i);  // a new root
    } else if (roll < 12) {
      rev.down_revisions = {Name("r", pick(i))};  // a fork off anything earlier
      heads.push_back(i);
    } else if (roll < 22 && heads.size() >= 2) {
      int a = pick(static_cast<int>(heads.size()));
      int b = (a + 1 + pick(static_cast<int>(heads.size()) - 1)) % static_cast<int>(heads.size());
      rev.down_revisions = {Name("r", heads[a]), Name("r", heads[b])};
      heads[a] = i;
      heads.erase(heads.begin() + b);
    } else {
      int h = pick(static_cast<int>(heads.size()));
      rev.down_revisions = {Name("r", heads[h])};
      heads[h] = i;
      if (roll < 32) {
        int dep = pick(i);
        if (dep != heads[h] && rev.down_revisions[0] != Name("r", dep)) {
          rev.dependencies = {Name("r", dep)};
        }
      }
    }
    if (heads.size() > 12) heads.erase(heads.begin() + pick(static_cast<int>(heads.size())));
    revisions.push_back(rev);
  }
  for (int k = 0; k < labels; ++k) {
    std::vector<std::string>& own = revisions[pick(n)].branch_labels;
    own.push_back(Name("L", k));
  }
  std::shuffle(revisions.begin(), revisions.end(), rng);
  return revisions;
}

void ExpectReferenceLabels(const std::vector<Revision>& revisions) {
  RevisionMap map(revisions);
  auto expected = ReferenceLabels(revisions);
  size_t labelled = 0;
  for (size_t i = 0; i < revisions.size(); ++i) {
    const auto& labels = map.Info(map.revisions()[i]).all_branch_labels;
    ASSERT_EQ(labels, expected[i]) << revisions[i].id;
    labelled += labels.empty() ? 0 : 1;
  }
  EXPECT_GT(labelled, 0u);
}

TEST(LabelsTest, RandomGraphsMatchAlembicsPropagation) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ExpectReferenceLabels(RandomGraph(60 + static_cast<int>(seed) * 5, 1 + seed % 12, seed));
  }
}

TEST(LabelsTest, TwoThousandRevisionsWithFiveHundredLabels) {
  ExpectReferenceLabels(RandomGraph(2000, 500, 2026));
}

// Trunk t0..t499, t<k> labelled T<k>; off each t<k> a branch b<k>_0..b<k>_2
// whose first revision is labelled B<k>. 2,000 revisions, 1,000 labels.
TEST(LabelsTest, TrunkWithFiveHundredLabelledBranches) {
  std::vector<Revision> revisions;
  for (int k = 0; k < 500; ++k) {
    Revision trunk{Name("t", k), {}, {}, {Name("T", k)}, ""};
    if (k > 0) trunk.down_revisions = {Name("t", k - 1)};
    revisions.push_back(trunk);
    for (int i = 0; i < 3; ++i) {
      std::string id = Name("b", k) + "_" + std::to_string(i);
      Revision branch;
      branch.id = id;
      branch.down_revisions = {i == 0 ? Name("t", k) : Name("b", k) + "_" + std::to_string(i - 1)};
      if (i == 0) branch.branch_labels = {Name("B", k)};
      revisions.push_back(branch);
    }
  }
  RevisionMap map(revisions);
  std::vector<std::string> trunk_labels;
  for (int k = 0; k < 500; ++k) {
    trunk_labels.push_back(Name("T", k));
    std::vector<std::string> expected = trunk_labels;
    std::sort(expected.begin(), expected.end());
    // t499's only child starts branch 499, so Alembic's walk down from that
    // branch's last revision reaches t499 and gives it B499; every other
    // trunk revision is a branch point, where the walk stops.
    std::vector<std::string> trunk_expected = expected;
    if (k == 499) trunk_expected.push_back("B499");
    std::sort(trunk_expected.begin(), trunk_expected.end());
    EXPECT_EQ(map.Info(*map.Find(Name("t", k))).all_branch_labels, trunk_expected) << k;
    expected.push_back(Name("B", k));
    std::sort(expected.begin(), expected.end());
    for (int i = 0; i < 3; ++i) {
      std::string id = Name("b", k) + "_" + std::to_string(i);
      EXPECT_EQ(map.Info(*map.Find(id)).all_branch_labels, expected) << id;
    }
  }
  // Labels resolve to their revision, and label@head to the branch's head.
  EXPECT_EQ(map.GetRevision("B250")->id, "b250_0");
  EXPECT_EQ(map.GetRevision("B250@head")->id, "b250_2");
}

// a <-> b is a cycle, yet every revision lies between the head h and the
// base c, so Alembic's _detect_cycles (and retort's) accept the map; h's
// dependency on c is one its ancestors already have.
TEST(LabelsTest, CycleBetweenHeadAndBaseKeepsAlembicsLabels) {
  std::vector<Revision> revisions{{"c", {}, {}, {"lc"}, ""},
                                  {"a", {"b", "c"}, {}, {"la"}, ""},
                                  {"b", {"a"}, {}, {}, ""},
                                  {"h", {"b"}, {"c"}, {"lh"}, ""}};
  ExpectReferenceLabels(revisions);
}

TEST(LabelsTest, DuplicateLabelNamesBothRevisions) {
  std::vector<Revision> revisions = RandomGraph(300, 100, 7);
  for (Revision& revision : revisions) {
    if (revision.branch_labels.empty()) {
      revision.branch_labels = {"L42"};
      break;
    }
  }
  try {
    RevisionMap map(revisions);
    FAIL() << "no error";
  } catch (const DuplicateBranchLabel& e) {
    EXPECT_NE(std::string(e.what()).find("Branch name 'L42' in revision "), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(" already used by revision "), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace retort::graph
