"""Revision graphs for the conformance suite.

A Graph is a list of revisions in *generation order*: every revision comes
after its parents and its dependencies, and the project writers number the
files in this order so that file-name order equals generation order for both
Alembic and retort.

Every generator takes a seed and is deterministic: the same seed always gives
the same ids, edges and labels, so a mismatch report can be reproduced with
`--only <name>`.
"""

import random
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set


@dataclass
class Revision:
    rev: str
    parents: List[str] = field(default_factory=list)      # down_revision(s)
    labels: List[str] = field(default_factory=list)       # branch_labels
    depends_on: List[str] = field(default_factory=list)   # depends_on
    message: str = ""


@dataclass
class Graph:
    name: str
    seed: int
    revisions: List[Revision] = field(default_factory=list)
    # Several version_locations: revision -> folder number, and the folders
    # in the order version_locations lists them.  Empty: one versions/.
    folders: Dict[str, int] = field(default_factory=dict)
    listed: List[int] = field(default_factory=list)

    # ---- construction -------------------------------------------------
    def __post_init__(self):
        self._rng = random.Random(self.seed)
        self._by_id: Dict[str, Revision] = {}

    def new_id(self) -> str:
        # 12 lowercase hex chars like `retort revision`/Alembic generate.
        # Drawn from the graph's own RNG so ids are reproducible per seed.
        while True:
            rid = "%012x" % self._rng.getrandbits(48)
            # Keep ids distinct and free of shared 4-char prefixes so that
            # nothing in the suite depends on prefix resolution by accident.
            if all(not r.startswith(rid[:4]) for r in self._by_id):
                return rid

    def add(self, parents=(), labels=(), depends_on=()) -> str:
        rid = self.new_id()
        for p in list(parents) + list(depends_on):
            assert p in self._by_id, p
        r = Revision(rid, list(parents), list(labels), list(depends_on),
                     "rev %d" % (len(self.revisions) + 1))
        self.revisions.append(r)
        self._by_id[rid] = r
        return rid

    # ---- queries --------------------------------------------------------
    def ids(self) -> List[str]:
        return [r.rev for r in self.revisions]

    def get(self, rid: str) -> Revision:
        return self._by_id[rid]

    def children(self, rid: str) -> List[str]:
        return [r.rev for r in self.revisions if rid in r.parents]

    def heads(self) -> List[str]:
        """Revisions nobody revises (depends_on edges do not count)."""
        used = {p for r in self.revisions for p in r.parents}
        return [r.rev for r in self.revisions if r.rev not in used]

    def roots(self) -> List[str]:
        return [r.rev for r in self.revisions if not r.parents]

    def labels(self) -> List[str]:
        return [l for r in self.revisions for l in r.labels]

    def ancestors(self, rid: str, with_deps: bool = False) -> Set[str]:
        """Strict ancestors of rid via parents (and depends_on if asked)."""
        out: Set[str] = set()
        stack = [rid]
        while stack:
            r = self._by_id[stack.pop()]
            nxt = r.parents + (r.depends_on if with_deps else [])
            for p in nxt:
                if p not in out:
                    out.add(p)
                    stack.append(p)
        return out

    def independent(self, revs: List[str]) -> bool:
        """No revision in revs is an ancestor (parents or depends_on) of
        another: a merge of such revisions is Alembic issue 1373 territory,
        where 1.8.1 crashes (KeyError) or leaves extra rows, so random graphs
        avoid it and only `dependent_merge` covers it."""
        return all(b not in self.ancestors(a, with_deps=True)
                   for a in revs for b in revs if a != b)

    def independent_pair(self, revs: List[str]) -> bool:
        return any(self.independent([a, b]) for a in revs for b in revs if a < b)

    def has_dependent_merge(self) -> bool:
        """True if some revision's normalized down revisions (parents plus
        depends_on) overlap: one of them is an ancestor, through parents or
        depends_on, of another.  A merge whose parents depend on each other
        is the plain case.  Downgrading through such a revision is Alembic
        issue 1373 (fixed in 1.13.1 by PR 1376): 1.8.1 leaves an extra,
        redundant version row."""
        for r in self.revisions:
            downs = r.parents + r.depends_on
            if len(downs) < 2:
                continue
            for a in downs:
                for b in downs:
                    if a != b and b in self.ancestors(a, with_deps=True):
                        return True
        return False

    def rng(self) -> random.Random:
        return self._rng


# ---- hand-shaped graphs -------------------------------------------------

def linear(seed: int, n: int = 8) -> Graph:
    g = Graph("linear", seed)
    prev = None
    for _ in range(n):
        prev = g.add([prev] if prev else [])
    return g


def branches(seed: int) -> Graph:
    """root -> a1 -> a2 ; root -> b1 -> b2 -> b3 (two heads, no labels)."""
    g = Graph("branches", seed)
    root = g.add()
    a1 = g.add([root])
    b1 = g.add([root])
    a2 = g.add([a1])
    b2 = g.add([b1])
    g.add([b2])
    g.add([a2])
    return g


def merges(seed: int) -> Graph:
    """A diamond, then a second branch/merge, then a three-way merge."""
    g = Graph("merges", seed)
    root = g.add()
    a = g.add([root])
    b = g.add([root])
    m1 = g.add([a, b])
    c = g.add([m1])
    d = g.add([m1])
    e = g.add([m1])
    c2 = g.add([c])
    m2 = g.add([c2, d, e])
    g.add([m2])
    return g


def several_roots(seed: int) -> Graph:
    """Three independent chains, labelled so `label@head` can pick one."""
    g = Graph("several_roots", seed)
    a = g.add(labels=["alpha"])
    b = g.add(labels=["beta"])
    c = g.add(labels=["gamma"])
    a2 = g.add([a])
    b2 = g.add([b])
    g.add([a2])
    g.add([b2])
    g.add([c])
    return g


def branch_labels(seed: int) -> Graph:
    """A trunk with two labelled feature branches, one of which merges back."""
    g = Graph("branch_labels", seed)
    root = g.add(labels=["trunk"])
    t1 = g.add([root])
    f1 = g.add([t1], labels=["feat_x"])
    y1 = g.add([t1], labels=["feat_y"])
    f2 = g.add([f1])
    y2 = g.add([y1])
    g.add([y2])
    f3 = g.add([f2])
    g.add([f3])
    return g


def depends_on(seed: int) -> Graph:
    """Two labelled roots; revisions on one depend on revisions on the other."""
    g = Graph("depends_on", seed)
    a1 = g.add(labels=["model"])
    b1 = g.add(labels=["data"])
    a2 = g.add([a1])
    b2 = g.add([b1], depends_on=[a2])
    a3 = g.add([a2])
    b3 = g.add([b2])
    a4 = g.add([a3], depends_on=[b3])
    g.add([b3], depends_on=[a4])
    return g


def dependent_merge(seed: int) -> Graph:
    """A merge whose parents depend on each other (Alembic issue 1373)."""
    g = Graph("dependent_merge", seed)
    root = g.add()
    a = g.add([root])
    b = g.add([root], depends_on=[a])
    m = g.add([a, b])
    g.add([m])
    return g


def overlap_upgrade(seed: int = 110) -> Graph:
    """Found by random DAG 110 of an earlier generator: merge 261db4dddcc5 has
    depends_on 3a4878ccfeb3, which itself depends on the merge's parent
    fa98e72e03b2 (overlapping down revisions, Alembic issue 1373 territory).
    With exactly these ids Alembic 1.8.1 runs `upgrade heads` (for any hash
    seed); the same shape with other ids makes 1.8.1 crash with a KeyError in
    its head maintainer. retort merges only the version rows present (see
    graph/head_maintainer.cc), so it agrees with 1.8.1 wherever 1.8.1 runs;
    the crashes are recorded as known differences.  The ids are kept
    verbatim because they matter."""
    g = Graph("overlap_upgrade", seed)
    edges = [("99a3d25713cb", "", ""), ("8ac1a3597161", "99a3d25713cb", ""),
             ("0a42bed1248c", "8ac1a3597161", ""), ("712a268354a5", "0a42bed1248c", ""),
             ("a940cb0165da", "712a268354a5", ""), ("6836fe5976d9", "0a42bed1248c", ""),
             ("fa98e72e03b2", "6836fe5976d9", ""),
             ("3a4878ccfeb3", "a940cb0165da", "fa98e72e03b2"),
             ("3fdd54553bf7", "712a268354a5", ""),
             ("76ac032cd5cc", "3fdd54553bf7,3a4878ccfeb3", ""),
             ("ba4ba1a54e34", "712a268354a5", ""), ("f14f4f95c525", "ba4ba1a54e34", ""),
             ("14f5172f1935", "3fdd54553bf7", ""), ("f69ff28f20ff", "14f5172f1935", ""),
             ("261db4dddcc5", "fa98e72e03b2,f69ff28f20ff", "3a4878ccfeb3"),
             ("fa658e41140b", "76ac032cd5cc", ""), ("144e84436c05", "261db4dddcc5", ""),
             ("030312c9135d", "144e84436c05", "")]
    labels = {"99a3d25713cb": ["lbl110_1"], "6836fe5976d9": ["lbl110_2"],
              "ba4ba1a54e34": ["lbl110_3"]}
    for rid, parents, deps in edges:
        r = Revision(rid, [p for p in parents.split(",") if p], labels.get(rid, []),
                     [d for d in deps.split(",") if d], "rev %d" % (len(g.revisions) + 1))
        g.revisions.append(r)
        g._by_id[rid] = r
    return g


def random_dag(seed: int, n: int) -> Graph:
    """A seeded random DAG with branches, merges, extra roots, labels and
    depends_on edges.

    Shape rules (keep it a graph that real projects could have):
    - a merge joins 2 or 3 current heads none of which depends on another
      (see independent());
    - a label goes only on a root or on the first revision of a new branch,
      the places people label in practice;
    - depends_on points at a revision that is neither an ancestor of the new
      revision (legal but redundant; Alembic 1.8.1 crashes with a KeyError
      upgrading through one) nor a descendant of one of its parents (the
      overlapping down revisions of Alembic issue 1373, where 1.8.1 crashes or
      leaves extra rows; `depends_on` and `dependent_merge` cover that).
    """
    g = Graph("random_%d" % seed, seed)
    rng = g.rng()
    label_no = 0
    for i in range(n):
        heads = g.heads()
        roll = rng.random()
        labels: List[str] = []
        if not g.revisions or (roll < 0.06 and i < n * 0.6):
            parents: List[str] = []
        elif roll < 0.26 and len(heads) >= 2 and g.independent_pair(heads):
            k = 3 if (len(heads) >= 3 and rng.random() < 0.2) else 2
            while True:
                parents = rng.sample(heads, k)
                if g.independent(parents):
                    break
                k = 2
        elif roll < 0.5:
            # branch off anywhere (possibly creating a branch point)
            parents = [rng.choice(g.ids())]
        else:
            parents = [rng.choice(heads)]
        is_branch_start = not parents or (len(parents) == 1 and g.children(parents[0]))
        if is_branch_start and rng.random() < 0.5:
            label_no += 1
            labels = ["lbl%d_%d" % (seed, label_no)]
        deps: List[str] = []
        if g.revisions and rng.random() < 0.2:
            anc: Set[str] = set(parents)
            for p in parents:
                anc |= g.ancestors(p, with_deps=True)
            # not an ancestor, and not a descendant of a parent either: the
            # normalized down revisions (parents + depends_on) must stay
            # independent, see independent()
            others = [r for r in g.ids() if r not in anc and g.independent(parents + [r])]
            if others:
                deps = [rng.choice(others)]
        g.add(parents, labels, deps)
    return g


def several_locations(seed: int = 200) -> Graph:
    """A random DAG spread over three version_locations listed out of
    numeric order (v2 v0 v1), so the listed order, not the folder names,
    decides the reading order; each branch tends to stay in one folder, as
    in projects with a folder per component."""
    g = random_dag(seed, 24)
    g.name = "several_locations"
    rng = random.Random(seed)
    for r in g.revisions:
        inherit = [g.folders[p] for p in r.parents if p in g.folders]
        g.folders[r.rev] = inherit[0] if inherit and rng.random() < 0.7 else rng.randrange(3)
    g.listed = [2, 0, 1]
    return g


def all_graphs(random_count: int = 6) -> List[Graph]:
    """The suite's graphs: the hand-shaped ones, then seeded random DAGs."""
    gs = [linear(1), branches(2), merges(3), several_roots(4),
          branch_labels(5), depends_on(6), dependent_merge(7), overlap_upgrade(),
          several_locations()]
    for k in range(random_count):
        seed = 100 + k
        n = 10 + (k * 7) % 31          # sizes 10..40
        gs.append(random_dag(seed, n))
    return gs


def find_graph(name: str) -> Optional[Graph]:
    for g in all_graphs(random_count=0):
        if g.name == name:
            return g
    if name.startswith("random_"):
        seed = int(name.split("_")[1])
        k = seed - 100
        return random_dag(seed, 10 + (k * 7) % 31)
    return None
