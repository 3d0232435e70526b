// Alembic's RevisionMap traversal: _walk, _parse_downgrade_target,
// _parse_upgrade_target, _collect_downgrade_revisions,
// _collect_upgrade_revisions and _topological_sort. Python sets become masks
// and every iteration follows map order, so plans are deterministic.

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "graph/error_context.h"
#include "graph/errors.h"
#include "graph/revision_map_impl.h"

namespace retort::graph {

namespace {

bool Contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::vector<int> Sorted(std::vector<int> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::string IdentOrBase(const Ident& ident) {
  switch (ident.kind) {
    case Ident::Kind::kNone:
      return "base";
    case Ident::Kind::kString:
      return ident.str.empty() ? "base" : ident.str;
    case Ident::Kind::kTuple: {
      if (ident.tuple.empty()) return "base";
      std::string text = "(";
      for (size_t i = 0; i < ident.tuple.size(); ++i) {
        if (i > 0) text += ", ";
        text += "'" + ident.tuple[i] + "'";
      }
      if (ident.tuple.size() == 1) text += ",";
      return text + ")";
    }
  }
  return "base";
}

}  // namespace

namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Alembic's `(\w+)?((?:\+|-)\d+)` matched at `text`'s start (not to its
// end): the word run (maximal, since a shorter one would leave a word
// character where the sign must be) and the sign with its digits.
std::optional<std::pair<std::string_view, std::string_view>> MatchSymbolAndRelative(
    std::string_view text) {
  size_t word = 0;
  while (word < text.size() && IsWordChar(text[word])) ++word;
  if (word >= text.size() || (text[word] != '+' && text[word] != '-')) return std::nullopt;
  size_t end = word + 1;
  while (end < text.size() && IsDigit(text[end])) ++end;
  if (end == word + 1) return std::nullopt;
  return std::pair{text.substr(0, word), text.substr(word, end - word)};
}

}  // namespace

// Alembic's _relative_destination, `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` with
// re.match, scanned by hand: std::regex recurses once per character and a
// long argument overflowed the stack. The lazy `(.+?)@` takes the first '@'
// (after at least one character, none of them a newline) whose remainder
// matches; failing every '@', the pattern is tried without a label. Linear
// in the input: each remainder scan stops at the first non-word character.
std::optional<RelativeSpec> MatchRelative(std::string_view spec) {
  RelativeSpec out;
  std::optional<std::pair<std::string_view, std::string_view>> tail;
  for (size_t at = 1; at < spec.size() && spec[at - 1] != '\n'; ++at) {
    if (spec[at] != '@') continue;
    if ((tail = MatchSymbolAndRelative(spec.substr(at + 1)))) {
      out.branch_label = std::string(spec.substr(0, at));
      break;
    }
  }
  if (!tail && !(tail = MatchSymbolAndRelative(spec))) return std::nullopt;
  if (!tail->first.empty()) out.symbol = std::string(tail->first);
  out.relative = std::string(tail->second);
  // Digits beyond int range would walk past any graph anyway.
  std::string digits = out.relative.substr(1);
  long value = digits.size() > 9 ? 999999999L : std::strtol(digits.c_str(), nullptr, 10);
  out.value = static_cast<int>(out.relative[0] == '-' ? -value : value);
  return out;
}

void ThrowRelativeTooFar(std::string_view relative, int value, std::string_view why) {
  std::string message =
      fmt::format("Relative revision {} didn't produce {} migrations", relative, std::abs(value));
  if (!why.empty()) message += fmt::format(": {}", why);
  throw RevisionError(message);
}

namespace {

// The way out of an ambiguous walk: which revisions the walk could take and
// the command that names one of them.
[[noreturn]] void ThrowAmbiguousWalk(const std::string& from, std::string_view what,
                                     const std::vector<std::string>& choices) {
  throw AmbiguousWalk(fmt::format("Ambiguous walk: {} has {} {} ({}); name the one you mean", from,
                                  choices.size(), what, fmt::join(choices, ", ")),
                      choices);
}

// Where a relative walk from the current revisions starts, for messages.
std::string DatabaseAt(const std::vector<std::string>& currents) {
  if (currents.empty()) return "the database is at base (nothing applied)";
  return fmt::format("the database is at {}", fmt::join(currents, ", "));
}

}  // namespace

int RevisionMap::Impl::Walk(int initial, int steps, const std::optional<std::string>& branch_label,
                            bool no_overwalk) const {
  for (int k = 0; k < std::abs(steps); ++k) {
    std::vector<int> children;
    if (steps > 0) {
      const std::vector<int>& walk_up = initial < 0 ? bases : nodes[initial].nextrev;
      children = branch_label ? FilterForLineage(walk_up, branch_label) : walk_up;
    } else if (initial != kBaseRev) {
      children = initial == kNoRev ? heads : nodes[initial].down;
      if (children.empty()) children = {kBaseRev};
    }
    if (children.empty()) return no_overwalk ? kNoRev : initial;
    if (children.size() > 1) {
      const bool up = steps > 0;
      if (initial < 0) {
        ThrowAmbiguousWalk(up ? "base" : "the revision graph", up ? "roots" : "heads",
                           Ids(children));
      }
      ThrowAmbiguousWalk(Id(initial), up ? "children" : "parents", Ids(children));
    }
    initial = children[0];
  }
  return initial;
}

std::pair<std::optional<std::string>, int> RevisionMap::Impl::ParseDowngradeTarget(
    const Ident& current, const Ident& target, bool assert_relative_length) const {
  if (!target.is_string()) return {std::nullopt, kNoRev};
  if (auto match = MatchRelative(target.str)) {
    std::optional<std::string> branch_label = match->branch_label;
    std::optional<std::string> symbol = match->symbol;
    int rel = match->value;
    if (rel >= 0) {
      // Downgrading to current + n is not valid.
      if (!symbol) {
        ThrowRelativeTooFar(match->relative, rel,
                            fmt::format("{}, and downgrade walks down: give a negative "
                                        "number (e.g. -1) or a revision",
                                        DatabaseAt(current.ToTuple())));
      }
      int rev = Walk(GetRevision(symbol), rel, branch_label, assert_relative_length);
      if (rev == kNoRev) {
        throw RevisionError(fmt::format(
            "Walked too far: {} is past the top of the revision graph (see `retort heads`)",
            target.str));
      }
      return {branch_label, rev};
    }
    bool relative_revision = !symbol;
    if (relative_revision) {
      if (branch_label) {
        std::vector<int> currents;
        for (const auto& id : current.ToTuple()) currents.push_back(RevisionForIdent(id));
        std::vector<int> symbols = FilterForLineage(currents, branch_label);
        if (symbols.empty()) {
          // Other branch heads may all depend on the single current head.
          symbols = FilterForLineage(GetAllCurrent(current.ToTuple()), branch_label);
        }
        if (symbols.empty()) {
          ThrowRelativeTooFar(match->relative, rel,
                              fmt::format("{}, none of it on branch {}",
                                          DatabaseAt(current.ToTuple()), *branch_label));
        }
        if (symbols.size() > 1) {
          throw RevisionError(fmt::format(
              "Ambiguous walk: branch {} has {} current revisions ({}); walk from one, e.g. "
              "`retort downgrade {}{}`",
              *branch_label, symbols.size(), fmt::join(Ids(symbols), ", "), Id(symbols[0]),
              match->relative));
        }
        symbol = Id(symbols[0]);
      } else {
        std::vector<std::string> currents = current.ToTuple();
        if (currents.empty()) {
          ThrowRelativeTooFar(match->relative, rel,
                              "the database is at base (nothing applied), so there is nothing "
                              "to downgrade");
        }
        // Alembic warns that -1 from several heads is ambiguous and walks
        // from the first row only, restricted to that row's branch.
        symbol = currents[0];
        branch_label = symbol;
      }
    }
    int start = branch_label ? GetRevision(*branch_label + "@" + *symbol) : GetRevision(symbol);
    int rev = Walk(start, rel, std::nullopt, assert_relative_length);
    if (rev == kNoRev) {
      if (relative_revision) {
        ThrowRelativeTooFar(
            match->relative, rel,
            fmt::format("{}, and {} would go below base; `retort downgrade base` undoes all",
                        DatabaseAt(current.ToTuple()), match->relative));
      }
      throw RevisionError(fmt::format(
          "Walked too far: {} goes below base; `retort downgrade base` undoes all", target.str));
    }
    return {branch_label, rev};
  }
  // Absolute: label@symbol splits at the last '@'.
  size_t at = target.str.rfind('@');
  std::optional<std::string> branch_label;
  std::string symbol = target.str;
  if (at != std::string::npos) {
    if (at > 0) branch_label = target.str.substr(0, at);
    symbol = target.str.substr(at + 1);
  }
  return {branch_label, GetRevision(symbol)};
}

std::vector<int> RevisionMap::Impl::ParseUpgradeTarget(const Ident& current, const Ident& target,
                                                       bool assert_relative_length) const {
  std::optional<RelativeSpec> match;
  if (target.is_string()) match = MatchRelative(target.str);
  if (!match) return GetRevisions(target);

  const std::optional<std::string>& branch_label = match->branch_label;
  int relative = match->value;
  if (relative > 0) {
    if (match->symbol) {
      // Relative to a given revision, not to the current state.
      return {Walk(GetRevision(match->symbol), relative, branch_label, assert_relative_length)};
    }
    std::vector<std::string> currents = current.ToTuple();
    int start;
    if (branch_label) {
      std::vector<int> current_revs = GetRevisions(Ident::Tuple(currents));
      std::vector<int> start_revs = FilterForLineage(current_revs, branch_label);
      if (start_revs.empty()) {
        // The branch has no current head: start from the tips of what is
        // applied on it, or from base.
        std::vector<int> active = FilterForLineage(Sorted(Ancestors(current_revs)), branch_label);
        std::vector<char> below(revisions.size(), 0);
        for (int rev : active) {
          for (int down : NormalizedDown(rev)) below[down] = 1;
        }
        for (int rev : active) {
          if (!below[rev]) start_revs.push_back(rev);
        }
        if (start_revs.empty()) start_revs.push_back(kNoRev);
      }
      if (start_revs.size() > 1) {
        throw RevisionError("Ambiguous upgrade from multiple current revisions");
      }
      start = start_revs[0];
    } else {
      if (currents.size() > 1) {
        throw RevisionError("Ambiguous upgrade from multiple current revisions");
      }
      start = currents.empty() ? kNoRev : GetRevision(currents[0]);
    }
    int rev = Walk(start, relative, branch_label, assert_relative_length);
    if (rev == kNoRev) {
      ThrowRelativeTooFar(
          match->relative, relative,
          fmt::format("{}, and {} means {} revision(s) above that{}, past the head; see "
                      "`retort status`",
                      DatabaseAt(currents), match->relative, relative,
                      branch_label ? " on branch " + *branch_label : std::string()));
    }
    return {rev};
  }
  // Upgrading to current - n is not valid.
  if (!match->symbol) {
    ThrowRelativeTooFar(
        std::to_string(relative), relative,
        "upgrade walks up; to go down use `retort downgrade " + std::to_string(relative) + "`");
  }
  int start =
      branch_label ? GetRevision(*branch_label + "@" + *match->symbol) : GetRevision(match->symbol);
  return {Walk(start, relative, std::nullopt, assert_relative_length)};
}

std::pair<std::vector<int>, std::vector<int>> RevisionMap::Impl::CollectDowngrade(
    const Ident& upper, const Ident& target, bool inclusive, bool implicit_base,
    bool assert_relative_length) const {
  auto [branch_label, target_rev] = ParseDowngradeTarget(upper, target, assert_relative_length);
  if (target_rev == kBaseRev) target_rev = kNoRev;

  std::vector<int> roots;
  if (target_rev == kNoRev) {
    roots = bases;  // downgrading to base: every root
  } else if (inclusive) {
    roots = {target_rev};
  } else {
    roots = nodes[target_rev].nextrev;
  }
  if (branch_label && roots.size() > 1) {
    std::vector<char> on_branch = Mask(Ancestors({ResolveBranch(*branch_label)}, false));
    std::vector<int> kept;
    for (int root : roots) {
      if (on_branch[root]) kept.push_back(root);
    }
    roots = std::move(kept);
    if (roots.empty()) throw RevisionError("Not a valid downgrade target from current heads");
  }

  std::vector<int> current_heads = GetRevisions(upper);
  std::vector<char> active = Mask(Ancestors(current_heads, true));
  std::vector<int> downgrade;
  for (int rev : Descendants(roots, true)) {
    if (active[rev]) downgrade.push_back(rev);
  }
  if (implicit_base) {
    std::vector<char> below_roots = Mask(Ancestors(roots, true));
    for (int rev = 0; rev < size(); ++rev) {
      if (active[rev] && !below_roots[rev]) downgrade.push_back(rev);
    }
  }
  downgrade = Sorted(std::move(downgrade));
  if (target_rev != kNoRev && downgrade.empty() && !Contains(current_heads, target_rev)) {
    throw RangeNotAncestorError(
        "Revision Nothing to drop is not an ancestor of revision " + IdentOrBase(upper),
        "Nothing to drop", IdentOrBase(upper));
  }
  return {std::move(downgrade), std::move(current_heads)};
}

std::pair<std::vector<int>, std::vector<int>> RevisionMap::Impl::CollectUpgrade(
    const Ident& upper, const Ident& lower_in, bool inclusive, bool implicit_base,
    bool assert_relative_length) const {
  Ident lower = lower_in;
  std::vector<int> targets;
  for (int rev : ParseUpgradeTarget(lower, upper, assert_relative_length)) {
    if (rev == kNoRev) {
      // Alembic asserts here; a walk off the graph is what the user did.
      throw RevisionError(fmt::format(
          "Walked too far: {} is past the ends of the revision graph (see `retort history`)",
          IdentToText(upper)));
    }
    if (rev == kBaseRev) {
      // Alembic asserts here too: a walk down to base names no revision to
      // upgrade to (it used to read as "nothing to do").
      throw RevisionError(fmt::format(
          "Relative revision {} is base, below every revision: upgrade needs a revision to go "
          "to (to undo every revision, use `retort downgrade base`)",
          IdentToText(upper)));
    }
    if (rev >= 0) targets.push_back(rev);
  }

  // A named lower bound (branch@...) keeps only that branch's targets.
  if (lower.is_string() && lower.str.find('@') != std::string::npos) {
    std::string branch = lower.str.substr(0, lower.str.find('@'));
    int branch_rev = GetRevision(branch);
    if (branch_rev >= 0 && Id(branch_rev) == branch) {
      if (nodes[branch_rev].labels.size() != 1) {
        throw RevisionError(
            fmt::format("Revision {} does not name exactly one branch label", branch), branch);
      }
      branch = nodes[branch_rev].labels[0];
    }
    std::vector<int> kept;
    for (int rev : targets) {
      if (HasLabel(rev, branch)) kept.push_back(rev);
    }
    targets = std::move(kept);
  }

  std::vector<int> required = Ancestors(targets, true, /*check=*/true);
  required.insert(required.end(), targets.begin(), targets.end());
  std::vector<char> required_mask = Mask(required);

  std::vector<int> current = GetRevisions(lower);
  if (!implicit_base) {
    for (int rev : current) {
      if (rev == kNoRev) continue;
      if (rev == kBaseRev || !required_mask[rev]) {
        throw RangeNotAncestorError(fmt::format("Revision {} is not an ancestor of revision {}",
                                                IdentOrBase(lower), IdentOrBase(upper)),
                                    IdentOrBase(lower), IdentOrBase(upper));
      }
    }
  }
  // A relative lower bound that get_revisions walked off the graph.
  if (!current.empty() && current[0] == kNoRev) {
    int rev = ParseDowngradeTarget(upper, lower, assert_relative_length).second;
    if (rev == kBaseRev || rev == kNoRev) {
      current.clear();
      lower = Ident::None();
    } else {
      current = {rev};
      lower = Ident::Str(Id(rev));
    }
  }
  std::vector<int> current_revs;
  for (int rev : current) {
    if (rev >= 0) current_revs.push_back(rev);
  }
  std::vector<char> current_mask = Mask(Ancestors(current_revs, true, /*check=*/true));

  std::vector<char> needs(revisions.size(), 0);
  for (int rev : required) {
    if (!current_mask[rev]) needs[rev] = 1;
  }
  if (inclusive) {
    for (int rev : GetRevisions(lower)) {
      if (rev >= 0) needs[rev] = 1;
    }
  }
  if (!current_revs.empty() && !implicit_base) {
    std::vector<char> above = Mask(Descendants(current_revs, false, /*check=*/true));
    for (int rev = 0; rev < size(); ++rev) needs[rev] = needs[rev] && above[rev];
  }
  std::vector<int> out;
  for (int rev = 0; rev < size(); ++rev) {
    if (needs[rev]) out.push_back(rev);
  }
  return {std::move(out), std::move(targets)};
}

std::vector<int> RevisionMap::Impl::TopologicalSort(const std::vector<int>& revs,
                                                    const std::vector<int>& heads_in) const {
  std::vector<char> todo = Mask(revs);
  size_t remaining = 0;
  for (char t : todo) remaining += t ? 1 : 0;

  std::vector<int> current_heads;
  for (int head : heads_in) {
    if (head >= 0 && todo[head]) current_heads.push_back(head);
  }
  current_heads = Sorted(std::move(current_heads));

  // Alembic keeps, per current head, the set of its ancestors (itself
  // included), recomputing it at every merge or dependency: a full ancestor
  // walk each time, quadratic on graphs with many merges. Each set is
  // always exactly the ancestors of its head (a plain move down a line only
  // drops the node left), so the same question is asked of the map's
  // ancestry instead.
  std::vector<int> output;
  std::vector<int> other_head(1);
  size_t idx = 0;
  while (!current_heads.empty()) {
    int candidate = current_heads[idx];
    bool blocked = false;
    for (size_t other = 0; other < current_heads.size(); ++other) {
      if (other == idx) continue;
      // Another head still to be emitted depends on us: it goes first.
      other_head[0] = current_heads[other];
      if (IsAncestorOfAny(candidate, other_head)) {
        idx = other;
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    if (todo[candidate]) {
      output.push_back(candidate);
      todo[candidate] = 0;
      --remaining;
    }
    std::vector<int> heads_to_add;
    for (int down : NormalizedDown(candidate)) {
      if (todo[down] && !Contains(current_heads, down)) heads_to_add.push_back(down);
    }
    if (heads_to_add.empty()) {
      current_heads.erase(current_heads.begin() + idx);
      idx = idx > 0 ? idx - 1 : 0;
    } else {
      current_heads[idx] = heads_to_add[0];
      current_heads.insert(current_heads.end(), heads_to_add.begin() + 1, heads_to_add.end());
    }
  }
  // Alembic asserts here: the range's ends are not on one line of descent
  // (history a1:b3 where b3 only reaches a1 through a dependency).
  if (remaining != 0) {
    throw RangeNotAncestorError("Revisions are not on one line of descent", "", "");
  }
  return output;
}

std::vector<int> RevisionMap::Impl::IterateRevisions(const Ident& upper, const Ident& lower,
                                                     bool implicit_base, bool inclusive,
                                                     bool assert_relative_length,
                                                     bool select_for_downgrade) const {
  auto [revs, heads_for_sort] =
      select_for_downgrade
          ? CollectDowngrade(upper, lower, inclusive, implicit_base, assert_relative_length)
          : CollectUpgrade(upper, lower, inclusive, implicit_base, assert_relative_length);
  return TopologicalSort(revs, heads_for_sort);
}

}  // namespace retort::graph
