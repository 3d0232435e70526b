// Plans as the user sees them: for each graph, a command (upgrade, downgrade,
// stamp, history) from given version rows, and the steps Alembic would log,
// each step's version-table changes, and the rows left, or the error line.
// Expectations were checked against Alembic 1.8.1 (plus the 1.13.1 fix for
// issue 1373) running the same graphs; comments mark where retort differs.

#include <gtest/gtest.h>

#include "graph/graph_fixture.h"

namespace retort::graph {
namespace {

struct PlanCase {
  const char* command;
  const char* expected;
};

// a -> b -> c -> d
const char kLinear[] = R"(
a - - -
b a - -
c b - -
d c - -
)";
const PlanCase kLinearCases[] = {
    {"up head -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> c
   update b c
upgrade c -> d
   update c d
   rows: d)"},
    {"up heads -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> c
   update b c
upgrade c -> d
   update c d
   rows: d)"},
    {"up +2 -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
   rows: b)"},
    {"up +2 a", R"(upgrade a -> b
   update a b
upgrade b -> c
   update b c
   rows: c)"},
    {"up b+1 a", R"(upgrade a -> b
   update a b
upgrade b -> c
   update b c
   rows: c)"},
    {"up -1 c",
     R"(ERROR: Relative revision -1 didn't produce 1 migrations: upgrade walks up; to go down use `retort downgrade -1`)"},
    {"up +5 b",
     R"(ERROR: Relative revision +5 didn't produce 5 migrations: the database is at b, and +5 means 5 revision(s) above that, past the head; see `retort status`)"},
    {"up c -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> c
   update b c
   rows: c)"},
    {"up a c", R"(   rows: c)"},
    {"down base d", R"(downgrade d -> c
   update d c
downgrade c -> b
   update c b
downgrade b -> a
   update b a
downgrade a -> 
   delete a
   rows: )"},
    {"down -1 d", R"(downgrade d -> c
   update d c
   rows: c)"},
    {"down -2 d", R"(downgrade d -> c
   update d c
downgrade c -> b
   update c b
   rows: b)"},
    {"down -5 b",
     R"(ERROR: Relative revision -5 didn't produce 5 migrations: the database is at b, and -5 would go below base; `retort downgrade base` undoes all)"},
    {"down +2 b",
     R"(ERROR: Relative revision +2 didn't produce 2 migrations: the database is at b, and downgrade walks down: give a negative number (e.g. -1) or a revision)"},
    {"down b d", R"(downgrade d -> c
   update d c
downgrade c -> b
   update c b
   rows: b)"},
    {"down d b", R"(ERROR: Destination d is not a valid downgrade target from current head(s))"},
    {"down a a", R"(   rows: a)"},
    {"down c+1 b",
     R"(ERROR: Destination c+1 is not a valid downgrade target from current head(s))"},
    {"stamp d -", R"(stamp_revision  -> d
   insert d
   rows: d)"},
    {"stamp a d", R"(stamp_revision d -> a
   update d a
   rows: a)"},
    {"stamp base d", R"(stamp_revision d -> 
   delete d
   rows: )"},
    {"stamp b purge", R"(stamp_revision  -> b
   insert b
   rows: b)"},
    {"stamp zz d", R"(ERROR: Can't locate revision identified by 'zz')"},
    {"hist base heads -", R"(d c b a)"},
    {"hist b c -", R"(c b)"},
    {"hist -2 heads -", R"(d c b)"},
    {"hist current heads b", R"(d c b)"},
    {"hist base current c", R"(c b a)"},
    {"hist c b -",
     R"(ERROR: Requested range c:b does not refer to ancestor/descendant revisions along the same branch)"},
    {"up zzzz -", R"(ERROR: Can't locate revision identified by 'zzzz')"},
    {"up ab -", R"(ERROR: Can't locate revision identified by 'ab')"},
};

// a branches to b1/c1 and b2/c2, merged by m, then n
const char kBranchAndMerge[] = R"(
a - - -
b1 a - -
b2 a - -
c1 b1 - -
c2 b2 - -
m c1,c2 - -
n m - -
)";
const PlanCase kBranchAndMergeCases[] = {
    {"up head -", R"(upgrade  -> a
   insert a
upgrade a -> b2
   update a b2
upgrade b2 -> c2
   update b2 c2
upgrade a -> b1
   insert b1
upgrade b1 -> c1
   update b1 c1
upgrade c1, c2 -> m
   delete c1; update c2 m
upgrade m -> n
   update m n
   rows: n)"},
    {"up heads -", R"(upgrade  -> a
   insert a
upgrade a -> b2
   update a b2
upgrade b2 -> c2
   update b2 c2
upgrade a -> b1
   insert b1
upgrade b1 -> c1
   update b1 c1
upgrade c1, c2 -> m
   delete c1; update c2 m
upgrade m -> n
   update m n
   rows: n)"},
    {"up c1 -", R"(upgrade  -> a
   insert a
upgrade a -> b1
   update a b1
upgrade b1 -> c1
   update b1 c1
   rows: c1)"},
    {"up c2 c1", R"(upgrade a -> b2
   insert b2
upgrade b2 -> c2
   update b2 c2
   rows: c1,c2)"},
    {"up m c1", R"(upgrade a -> b2
   insert b2
upgrade b2 -> c2
   update b2 c2
upgrade c1, c2 -> m
   delete c1; update c2 m
   rows: m)"},
    {"up m c1,c2", R"(upgrade c1, c2 -> m
   delete c1; update c2 m
   rows: m)"},
    {"up m c1,b2", R"(upgrade b2 -> c2
   update b2 c2
upgrade c1, c2 -> m
   delete c1; update c2 m
   rows: m)"},
    {"up n -", R"(upgrade  -> a
   insert a
upgrade a -> b2
   update a b2
upgrade b2 -> c2
   update b2 c2
upgrade a -> b1
   insert b1
upgrade b1 -> c1
   update b1 c1
upgrade c1, c2 -> m
   delete c1; update c2 m
upgrade m -> n
   update m n
   rows: n)"},
    {"up +1 c1,c2", R"(ERROR: Ambiguous upgrade from multiple current revisions)"},
    {"up b2 c1", R"(upgrade a -> b2
   insert b2
   rows: b2,c1)"},
    {"down a n", R"(downgrade n -> m
   update n m
downgrade m -> c1, c2
   insert c1; update m c2
downgrade c1 -> b1
   update c1 b1
downgrade b1 -> a
   delete b1
downgrade c2 -> b2
   update c2 b2
downgrade b2 -> a
   update b2 a
   rows: a)"},
    {"down c1 n", R"(downgrade n -> m
   update n m
downgrade m -> c1, c2
   insert c1; update m c2
   rows: c1,c2)"},
    {"down c2 n", R"(downgrade n -> m
   update n m
downgrade m -> c1, c2
   insert c1; update m c2
   rows: c1,c2)"},
    {"down b1 m", R"(downgrade m -> c1, c2
   insert c1; update m c2
downgrade c1 -> b1
   update c1 b1
   rows: b1,c2)"},
    {"down -1 m",
     R"(ERROR: Ambiguous walk: m has 2 parents (c1, c2); name the one you mean, e.g. `retort downgrade c1`)"},
    {"down -1 n", R"(downgrade n -> m
   update n m
   rows: m)"},
    {"down -1 c1,c2", R"(downgrade c1 -> b1
   update c1 b1
   rows: b1,c2)"},
    {"down base c1,c2", R"(downgrade c1 -> b1
   update c1 b1
downgrade b1 -> a
   delete b1
downgrade c2 -> b2
   update c2 b2
downgrade b2 -> a
   update b2 a
downgrade a -> 
   delete a
   rows: )"},
    {"down c1 c1,c2", R"(   rows: c1,c2)"},
    {"down b2 c1,c2", R"(downgrade c2 -> b2
   update c2 b2
   rows: b2,c1)"},
    {"stamp m c1,c2", R"(stamp_revision c1, c2 -> m
   delete c1; update c2 m
   rows: m)"},
    {"stamp c1 m", R"(stamp_revision m -> c1
   update m c1
   rows: c1)"},
    {"stamp b2 c1", R"(stamp_revision  -> b2
   insert b2
   rows: b2,c1)"},
    {"stamp c2 c1", R"(stamp_revision  -> c2
   insert c2
   rows: c1,c2)"},
    {"stamp a c1,c2", R"(stamp_revision c1, c2 -> a
   delete c1; update c2 a
   rows: a)"},
    // Alembic fails here with a KeyError: two stamp steps both move the same row.
    {"stamp b1,b2 n", R"(stamp_revision n -> b1
   update n b1
stamp_revision n -> b2
ERROR: Version n is not present to update to b2)"},
    {"stamp base c1,c2", R"(stamp_revision c1 -> 
   delete c1
stamp_revision c2 -> 
   delete c2
   rows: )"},
    {"hist base heads -", R"(n m c1 b1 c2 b2 a)"},
    {"hist c1 n -", R"(n m c1)"},
    {"hist b2 heads -", R"(n m c2 b2)"},
    {"hist a c1 -", R"(c1 b1 a)"},
    {"hist -1 heads -", R"(n m)"},
    {"up m-1 -",
     R"(ERROR: Ambiguous walk: m has 2 parents (c1, c2); name the one you mean, e.g. `retort upgrade c1`)"},
    {"up m+1 c1,c2", R"(upgrade c1, c2 -> m
   delete c1; update c2 m
upgrade m -> n
   update m n
   rows: n)"},
    {"down n-1 n", R"(downgrade n -> m
   update n m
   rows: m)"},
};

// a -> b, then labeled branches xbr (x1, x2) and ybr (y1, y2)
const char kLabeledBranches[] = R"(
a - - -
b a - -
x1 b - xbr
x2 x1 - -
y1 b - ybr
y2 y1 - -
)";
const PlanCase kLabeledBranchesCases[] = {
    {"up head -",
     R"(ERROR: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads)"},
    {"up heads -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> y1
   update b y1
upgrade y1 -> y2
   update y1 y2
upgrade b -> x1
   insert x1
upgrade x1 -> x2
   update x1 x2
   rows: x2,y2)"},
    {"up xbr@head -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> x1
   update b x1
upgrade x1 -> x2
   update x1 x2
   rows: x2)"},
    {"up ybr@head x2", R"(upgrade b -> y1
   insert y1
upgrade y1 -> y2
   update y1 y2
   rows: x2,y2)"},
    {"up xbr@+1 b", R"(upgrade b -> x1
   update b x1
   rows: x1)"},
    {"up ybr@+1 x2", R"(upgrade b -> y1
   insert y1
   rows: x2,y1)"},
    {"up ybr@+2 x1", R"(upgrade b -> y1
   insert y1
upgrade y1 -> y2
   update y1 y2
   rows: x1,y2)"},
    {"up xbr@+1 -", R"(upgrade  -> a
   insert a
   rows: a)"},
    {"up ybr@head b", R"(upgrade b -> y1
   update b y1
upgrade y1 -> y2
   update y1 y2
   rows: y2)"},
    {"up xbr -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> x1
   update b x1
   rows: x1)"},
    {"up ybr@y1 -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> y1
   update b y1
   rows: y1)"},
    {"up xbr@y1 -", R"(ERROR: Can't locate revision identified by 'y1')"},
    {"up x2 y2", R"(upgrade b -> x1
   insert x1
upgrade x1 -> x2
   update x1 x2
   rows: x2,y2)"},
    {"up heads b", R"(upgrade b -> y1
   update b y1
upgrade y1 -> y2
   update y1 y2
upgrade b -> x1
   insert x1
upgrade x1 -> x2
   update x1 x2
   rows: x2,y2)"},
    {"down xbr@base x2,y2", R"(downgrade x2 -> x1
   update x2 x1
downgrade x1 -> b
   delete x1
downgrade y2 -> y1
   update y2 y1
downgrade y1 -> b
   update y1 b
downgrade b -> a
   update b a
downgrade a -> 
   delete a
   rows: )"},
    {"down ybr@base x2,y2", R"(downgrade x2 -> x1
   update x2 x1
downgrade x1 -> b
   delete x1
downgrade y2 -> y1
   update y2 y1
downgrade y1 -> b
   update y1 b
downgrade b -> a
   update b a
downgrade a -> 
   delete a
   rows: )"},
    {"down xbr@-1 x2,y2", R"(downgrade x2 -> x1
   update x2 x1
   rows: x1,y2)"},
    {"down ybr@-1 x2,y2", R"(downgrade y2 -> y1
   update y2 y1
   rows: x2,y1)"},
    {"down b x2,y2", R"(downgrade x2 -> x1
   update x2 x1
downgrade x1 -> b
   delete x1
downgrade y2 -> y1
   update y2 y1
downgrade y1 -> b
   update y1 b
   rows: b)"},
    {"down xbr@b x2,y2", R"(downgrade x2 -> x1
   update x2 x1
downgrade x1 -> b
   delete x1
   rows: y2)"},
    {"down base x2,y2", R"(downgrade x2 -> x1
   update x2 x1
downgrade x1 -> b
   delete x1
downgrade y2 -> y1
   update y2 y1
downgrade y1 -> b
   update y1 b
downgrade b -> a
   update b a
downgrade a -> 
   delete a
   rows: )"},
    {"down x1 x2,y2", R"(downgrade x2 -> x1
   update x2 x1
   rows: x1,y2)"},
    {"down -1 x2,y2", R"(downgrade x2 -> x1
   update x2 x1
   rows: x1,y2)"},
    {"stamp xbr@head y2", R"(stamp_revision  -> x2
   insert x2
   rows: x2,y2)"},
    {"stamp heads -", R"(stamp_revision  -> x2
   insert x2
stamp_revision  -> y2
   insert y2
   rows: x2,y2)"},
    {"stamp xbr@head,ybr@head -", R"(stamp_revision  -> x2
   insert x2
stamp_revision  -> y2
   insert y2
   rows: x2,y2)"},
    {"stamp b x2,y2", R"(stamp_revision x2, y2 -> b
   delete x2; update y2 b
   rows: b)"},
    {"stamp x1 x2,y2", R"(stamp_revision x2 -> x1
   update x2 x1
   rows: x1,y2)"},
    {"stamp ybr@base y2", R"(stamp_revision y2 -> 
   delete y2
   rows: )"},
    {"stamp head -",
     R"(ERROR: Multiple heads are present; please specify a single target revision)"},
    {"hist base heads -", R"(x2 x1 y2 y1 b a)"},
    {"hist base xbr@head -", R"(x2 x1 b a)"},
    {"hist xbr@base heads -", R"(x2 x1 b a)"},
    {"hist ybr@base ybr@head -", R"(y2 y1 b a)"},
    {"hist b x2 -", R"(x2 x1 b)"},
    {"hist x1 y2 -",
     R"(ERROR: Requested range x1:y2 does not refer to ancestor/descendant revisions along the same branch)"},
    {"hist current heads x1", R"(x2 x1)"},
    {"hist base current x1,y1", R"(x1 y1 b a)"},
};

// roots a1 (abr) and b1 (bbr); b2 depends on a2
const char kTwoRootsWithDependency[] = R"(
a1 - - abr
a2 a1 - -
a3 a2 - -
b1 - - bbr
b2 b1 a2 -
b3 b2 - -
)";
const PlanCase kTwoRootsWithDependencyCases[] = {
    {"up heads -", R"(upgrade  -> a1
   insert a1
upgrade a1 -> a2
   update a1 a2
upgrade  -> b1
   insert b1
upgrade b1 -> b2
   delete b1; update a2 b2
upgrade b2 -> b3
   update b2 b3
upgrade a2 -> a3
   insert a3
   rows: a3,b3)"},
    {"up b3 -", R"(upgrade  -> a1
   insert a1
upgrade a1 -> a2
   update a1 a2
upgrade  -> b1
   insert b1
upgrade b1 -> b2
   delete b1; update a2 b2
upgrade b2 -> b3
   update b2 b3
   rows: b3)"},
    {"up bbr@head -", R"(upgrade  -> a1
   insert a1
upgrade a1 -> a2
   update a1 a2
upgrade  -> b1
   insert b1
upgrade b1 -> b2
   delete b1; update a2 b2
upgrade b2 -> b3
   update b2 b3
   rows: b3)"},
    {"up b2 a1", R"(upgrade a1 -> a2
   update a1 a2
upgrade  -> b1
   insert b1
upgrade b1 -> b2
   delete b1; update a2 b2
   rows: b2)"},
    {"up b2 a3", R"(upgrade  -> b1
   insert b1
upgrade b1 -> b2
   update b1 b2
   rows: a3,b2)"},
    {"up abr@head b3", R"(upgrade a2 -> a3
   insert a3
   rows: a3,b3)"},
    {"down base a3,b3", R"(downgrade a3 -> a2
   delete a3
downgrade b3 -> b2
   update b3 b2
downgrade b2 -> b1
   insert b1; update b2 a2
downgrade b1 -> 
   delete b1
downgrade a2 -> a1
   update a2 a1
downgrade a1 -> 
   delete a1
   rows: )"},
    {"down a1 a3,b3", R"(downgrade a3 -> a2
   delete a3
downgrade b3 -> b2
   update b3 b2
downgrade b2 -> b1
   insert b1; update b2 a2
downgrade a2 -> a1
   update a2 a1
   rows: a1,b1)"},
    {"down abr@base a3,b3", R"(downgrade a3 -> a2
   delete a3
downgrade b3 -> b2
   update b3 b2
downgrade b2 -> b1
   insert b1; update b2 a2
downgrade a2 -> a1
   update a2 a1
downgrade a1 -> 
   delete a1
   rows: b1)"},
    {"down bbr@base a3,b3", R"(downgrade b3 -> b2
   update b3 b2
downgrade b2 -> b1
   update b2 b1
downgrade b1 -> 
   delete b1
   rows: a3)"},
    {"down b1 a3,b3", R"(downgrade b3 -> b2
   update b3 b2
downgrade b2 -> b1
   update b2 b1
   rows: a3,b1)"},
    {"down -1 a3,b3", R"(downgrade a3 -> a2
   delete a3
   rows: b3)"},
    {"down -1 b3,a3", R"(downgrade b3 -> b2
   update b3 b2
   rows: a3,b2)"},
    {"down bbr@-1 a3,b3", R"(downgrade b3 -> b2
   update b3 b2
   rows: a3,b2)"},
    {"down abr@-2 a3,b3", R"(downgrade a3 -> a2
   delete a3
downgrade b3 -> b2
   update b3 b2
downgrade b2 -> b1
   insert b1; update b2 a2
downgrade a2 -> a1
   update a2 a1
   rows: a1,b1)"},
    {"stamp b2 a2", R"(stamp_revision a2 -> b2
   update a2 b2
   rows: b2)"},
    {"stamp b2 -", R"(stamp_revision  -> b2
   insert b2
   rows: b2)"},
    {"stamp a1 b2", R"(stamp_revision b2 -> a1
   update b2 a1
   rows: a1)"},
    {"stamp base b2", R"(stamp_revision b2 -> 
   delete b2
   rows: )"},
    {"stamp b3 a3", R"(stamp_revision  -> b3
   insert b3
   rows: a3,b3)"},
    {"hist base heads -", R"(a3 b3 b2 b1 a2 a1)"},
    {"hist base bbr@head -", R"(b3 b2 b1 a2 a1)"},
    // Alembic fails here with an AssertionError.
    {"hist a1 b3 -",
     R"(ERROR: Requested range a1:b3 does not refer to ancestor/descendant revisions along the same branch)"},
    {"up head -",
     R"(ERROR: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads)"},
    {"up +1 -",
     R"(ERROR: Ambiguous walk: base has 2 roots (a1, b1); name the one you mean, e.g. `retort upgrade a1`)"},
    {"up bbr@+1 a3", R"(upgrade  -> b1
   insert b1
   rows: a3,b1)"},
    {"up bbr@+2 a3", R"(upgrade  -> b1
   insert b1
upgrade b1 -> b2
   update b1 b2
   rows: a3,b2)"},
    {"up abr@+1 b3", R"(upgrade a2 -> a3
   insert a3
   rows: a3,b3)"},
};

// c depends on a, its own ancestor; m merges y and q, q depends on y
const char kIssue1373[] = R"(
a - - -
b a - -
c b a -
d c - -
x - - -
y x - -
p - - -
q p y -
m y,q - -
)";
const PlanCase kIssue1373Cases[] = {
    {"up d -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> c
   update b c
upgrade c -> d
   update c d
   rows: d)"},
    {"down b d", R"(downgrade d -> c
   update d c
downgrade c -> b
   update c b
   rows: b)"},
    {"down a d", R"(downgrade d -> c
   update d c
downgrade c -> b
   update c b
downgrade b -> a
   update b a
   rows: a)"},
    {"down base d", R"(downgrade d -> c
   update d c
downgrade c -> b
   update c b
downgrade b -> a
   update b a
downgrade a -> 
   delete a
   rows: )"},
    {"down -1 c", R"(downgrade c -> b
   update c b
   rows: b)"},
    {"stamp a c", R"(stamp_revision c -> a
   update c a
   rows: a)"},
    {"up m -", R"(upgrade  -> x
   insert x
upgrade x -> y
   update x y
upgrade  -> p
   insert p
upgrade p -> q
   delete p; update y q
upgrade y, q -> m
   update q m
   rows: m)"},
    {"down x m", R"(downgrade m -> y, q
   update m q
downgrade q -> p
   insert p; update q y
downgrade y -> x
   update y x
   rows: p,x)"},
    {"down y m", R"(downgrade m -> y, q
   update m q
   rows: q)"},
    {"down p m", R"(downgrade m -> y, q
   update m q
downgrade q -> p
   insert p; update q y
   rows: p,y)"},
    {"down base m", R"(downgrade m -> y, q
   update m q
downgrade q -> p
   insert p; update q y
downgrade p -> 
   delete p
downgrade y -> x
   update y x
downgrade x -> 
   delete x
   rows: )"},
    {"down -1 m",
     R"(ERROR: Ambiguous walk: m has 2 parents (y, q); name the one you mean, e.g. `retort downgrade y`)"},
};

// roots r1, s1 (sbr); t1 (tbr) on r2; t2 depends on s2
const char kCrossBranchLabels[] = R"(
r1 - - -
r2 r1 - -
s1 - - sbr
s2 s1 - -
s3 s2 - -
t1 r2 - tbr
t2 t1 s2 -
)";
const PlanCase kCrossBranchLabelsCases[] = {
    {"up heads -", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
upgrade  -> r1
   insert r1
upgrade r1 -> r2
   update r1 r2
upgrade r2 -> t1
   update r2 t1
upgrade t1 -> t2
   delete t1; update s2 t2
upgrade s2 -> s3
   insert s3
   rows: s3,t2)"},
    {"up heads r2", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
upgrade r2 -> t1
   update r2 t1
upgrade t1 -> t2
   delete t1; update s2 t2
upgrade s2 -> s3
   insert s3
   rows: s3,t2)"},
    {"up sbr@head r2", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
upgrade s2 -> s3
   update s2 s3
   rows: r2,s3)"},
    {"up sbr@+2 r2", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
   rows: r2,s2)"},
    {"up tbr@head r2", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
upgrade r2 -> t1
   update r2 t1
upgrade t1 -> t2
   delete t1; update s2 t2
   rows: t2)"},
    {"up tbr@head s3", R"(upgrade  -> r1
   insert r1
upgrade r1 -> r2
   update r1 r2
upgrade r2 -> t1
   update r2 t1
upgrade t1 -> t2
   update t1 t2
   rows: s3,t2)"},
    {"up t2 s1", R"(upgrade s1 -> s2
   update s1 s2
upgrade  -> r1
   insert r1
upgrade r1 -> r2
   update r1 r2
upgrade r2 -> t1
   update r2 t1
upgrade t1 -> t2
   delete t1; update s2 t2
   rows: t2)"},
    {"up r2+1 r1", R"(upgrade r1 -> r2
   update r1 r2
upgrade r2 -> t1
   update r2 t1
   rows: t1)"},
    {"up s1+2 -", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
upgrade s2 -> s3
   update s2 s3
   rows: s3)"},
    {"up sbr@s1+1 -", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
   rows: s2)"},
    {"up sbr@head s2", R"(upgrade s2 -> s3
   update s2 s3
   rows: s3)"},
    {"down sbr@base s3,t2", R"(downgrade s3 -> s2
   delete s3
downgrade t2 -> t1
   insert t1; update t2 s2
downgrade s2 -> s1
   update s2 s1
downgrade s1 -> 
   delete s1
   rows: t1)"},
    {"down s1 s3,t2", R"(downgrade s3 -> s2
   delete s3
downgrade t2 -> t1
   insert t1; update t2 s2
downgrade s2 -> s1
   update s2 s1
   rows: s1,t1)"},
    {"down tbr@-1 s3,t2", R"(downgrade t2 -> t1
   update t2 t1
   rows: s3,t1)"},
    {"down sbr@-1 s3,t2", R"(downgrade s3 -> s2
   delete s3
   rows: t2)"},
    {"down r1 s3,t2", R"(downgrade t2 -> t1
   update t2 t1
downgrade t1 -> r2
   update t1 r2
downgrade r2 -> r1
   update r2 r1
   rows: r1,s3)"},
    {"down base t2", R"(downgrade t2 -> t1
   insert t1; update t2 s2
downgrade t1 -> r2
   update t1 r2
downgrade r2 -> r1
   update r2 r1
downgrade r1 -> 
   delete r1
downgrade s2 -> s1
   update s2 s1
downgrade s1 -> 
   delete s1
   rows: )"},
    {"down base s3", R"(downgrade s3 -> s2
   update s3 s2
downgrade s2 -> s1
   update s2 s1
downgrade s1 -> 
   delete s1
   rows: )"},
    {"down t1 t2", R"(downgrade t2 -> t1
   insert t1; update t2 s2
   rows: s2,t1)"},
    {"down s2 s3,t2", R"(downgrade s3 -> s2
   delete s3
   rows: t2)"},
    {"stamp sbr@head t2", R"(stamp_revision  -> s3
   insert s3
   rows: s3,t2)"},
    {"stamp s1 s3,t2", R"(stamp_revision s3, t2 -> s1
   delete s3; update t2 s1
   rows: s1)"},
    {"stamp r2,s1 -", R"(stamp_revision  -> r2
   insert r2
stamp_revision  -> s1
   insert s1
   rows: r2,s1)"},
    {"stamp tbr@base s3,t2", R"(stamp_revision t2 -> 
   delete t2
   rows: s3)"},
    {"stamp base s3,t2", R"(stamp_revision s3 -> 
   delete s3
stamp_revision t2 -> 
   delete t2
   rows: )"},
    {"stamp heads r1", R"(stamp_revision  -> s3
   insert s3
stamp_revision r1 -> t2
   update r1 t2
   rows: s3,t2)"},
    {"hist base heads -", R"(s3 t2 t1 r2 r1 s2 s1)"},
    {"hist sbr@base heads -", R"(s3 s2 s1)"},
    {"hist base tbr@head -", R"(t2 t1 r2 r1 s2 s1)"},
    {"hist r2 heads -", R"(t2 t1 r2)"},
    {"hist -1 heads -", R"(s3 t2 t1 s2)"},
    {"hist s1 s3 -", R"(s3 s2 s1)"},
    {"up s3-1 -", R"(upgrade  -> s1
   insert s1
upgrade s1 -> s2
   update s1 s2
   rows: s2)"},
    // Alembic fails here with an AssertionError; retort names why.
    {"up s2-2 -",
     R"(ERROR: Relative revision s2-2 is base, below every revision: upgrade needs a revision to go to (to undo every revision, use `retort downgrade base`))"},
    // Alembic fails here with an AssertionError; retort names why.
    {"up s1-1 -",
     R"(ERROR: Relative revision s1-1 is base, below every revision: upgrade needs a revision to go to (to undo every revision, use `retort downgrade base`))"},
    {"down s3-1 s3", R"(downgrade s3 -> s2
   update s3 s2
   rows: s2)"},
    {"down r2+1 r2",
     R"(ERROR: Destination r2+1 is not a valid downgrade target from current head(s))"},
    {"down t1+1 r2",
     R"(ERROR: Destination t1+1 is not a valid downgrade target from current head(s))"},
};

// d revises c1 and depends on c2, both children of b
const char kMergeByDependency[] = R"(
a - - -
b a - -
c1 b - -
c2 b - -
d c1 c2 -
e d - -
)";
const PlanCase kMergeByDependencyCases[] = {
    {"up e -", R"(upgrade  -> a
   insert a
upgrade a -> b
   update a b
upgrade b -> c2
   update b c2
upgrade b -> c1
   insert c1
upgrade c1 -> d
   delete c1; update c2 d
upgrade d -> e
   update d e
   rows: e)"},
    {"up e c2", R"(upgrade b -> c1
   insert c1
upgrade c1 -> d
   delete c1; update c2 d
upgrade d -> e
   update d e
   rows: e)"},
    {"up d c1", R"(upgrade b -> c2
   insert c2
upgrade c1 -> d
   delete c1; update c2 d
   rows: d)"},
    {"down c2 e", R"(ERROR: Destination c2 is not a valid downgrade target from current head(s))"},
    // Alembic orders an unmerge's rows by string hash (varies per run); retort
    // by Revises then Depends On.
    {"down b e", R"(downgrade e -> d
   update e d
downgrade d -> c1
   insert c1; update d c2
downgrade c1 -> b
   delete c1
downgrade c2 -> b
   update c2 b
   rows: b)"},
    // Alembic orders an unmerge's rows by string hash (varies per run); retort
    // by Revises then Depends On.
    {"down c1 e", R"(downgrade e -> d
   update e d
downgrade d -> c1
   insert c1; update d c2
   rows: c1,c2)"},
    // Alembic orders an unmerge's rows by string hash (varies per run); retort
    // by Revises then Depends On.
    {"down -2 e", R"(downgrade e -> d
   update e d
downgrade d -> c1
   insert c1; update d c2
   rows: c1,c2)"},
    // Alembic orders an unmerge's rows by string hash (varies per run); retort
    // by Revises then Depends On.
    {"down base e", R"(downgrade e -> d
   update e d
downgrade d -> c1
   insert c1; update d c2
downgrade c1 -> b
   delete c1
downgrade c2 -> b
   update c2 b
downgrade b -> a
   update b a
downgrade a -> 
   delete a
   rows: )"},
    {"stamp c1 e", R"(stamp_revision e -> c1
   update e c1
   rows: c1)"},
    {"stamp c2 e", R"(stamp_revision e -> c2
   update e c2
   rows: c2)"},
    {"stamp d c1,c2", R"(stamp_revision c1, c2 -> d
   delete c1; update c2 d
   rows: d)"},
    {"stamp e c1,c2", R"(stamp_revision c1, c2 -> e
   delete c1; update c2 e
   rows: e)"},
    // Alembic fails here with a KeyError: two stamp steps both move the same row.
    {"stamp c1,c2 e", R"(stamp_revision e -> c1
   update e c1
stamp_revision e -> c2
ERROR: Version e is not present to update to c2)"},
    {"stamp b c1,c2", R"(stamp_revision c1, c2 -> b
   delete c1; update c2 b
   rows: b)"},
    {"up heads c1,c2", R"(upgrade c1 -> d
   delete c1; update c2 d
upgrade d -> e
   update d e
   rows: e)"},
    {"up c2 c1", R"(upgrade b -> c2
   insert c2
   rows: c1,c2)"},
    {"hist base heads -", R"(e d c1 c2 b a)"},
    // Alembic fails here with an AssertionError.
    {"hist c2 e -",
     R"(ERROR: Requested range c2:e does not refer to ancestor/descendant revisions along the same branch)"},
    {"hist c1 e -", R"(e d c1)"},
};

struct PlanTable {
  const char* name;
  const char* graph;
  const PlanCase* cases;
  size_t size;
};

void PrintTo(const PlanTable& table, std::ostream* os) { *os << table.name; }

#define RETORT_TABLE(name) \
  { #name, k##name, k##name##Cases, std::size(k##name##Cases) }

const PlanTable kTables[] = {
    RETORT_TABLE(Linear),
    RETORT_TABLE(BranchAndMerge),
    RETORT_TABLE(LabeledBranches),
    RETORT_TABLE(TwoRootsWithDependency),
    RETORT_TABLE(Issue1373),
    RETORT_TABLE(CrossBranchLabels),
    RETORT_TABLE(MergeByDependency),
};

class PlanTest : public ::testing::TestWithParam<PlanTable> {};

// The tables hold Alembic's words; retort keeps them first and may add the
// closest ids after "; did you mean" (tested in revision_map_test.cc).
std::string AlembicsWords(std::string message) {
  size_t hint = message.find("; did you mean ");
  if (message.starts_with("ERROR: Can't locate revision") && hint != std::string::npos)
    message.erase(hint);
  return message;
}

TEST_P(PlanTest, EachCommandShowsAlembicsStepsAndRows) {
  const PlanTable& table = GetParam();
  RevisionMap map(testing::ParseGraph(table.graph));
  for (size_t i = 0; i < table.size; ++i) {
    SCOPED_TRACE(table.cases[i].command);
    EXPECT_EQ(AlembicsWords(testing::Run(map, table.cases[i].command)), table.cases[i].expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Graphs, PlanTest, ::testing::ValuesIn(kTables),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace retort::graph
