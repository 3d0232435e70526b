#include "graph/error_context.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.h"
#include "util/wording.h"

namespace retort::graph {

namespace {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// "; did you mean 'a1b2c3d4e5f6'?" naming up to three ids (or the keywords
// head, heads, base) within a few edits of `argument`, or of the id's start
// as long as it (a mistyped prefix), closest first; empty when none is.
std::string ClosestIds(const std::vector<Revision>& revisions, const std::string& argument) {
  if (argument.empty() || argument.size() > 64) return {};
  const size_t allowed = std::max<size_t>(1, argument.size() / 4);
  std::vector<std::pair<size_t, std::string>> close;
  auto consider = [&](const std::string& id, bool prefixes) {
    size_t best = util::EditDistance(argument, id);
    if (prefixes) {
      for (size_t length = argument.size() > 1 ? argument.size() - 1 : 1;
           length <= argument.size() + 1 && length < id.size(); ++length) {
        best = std::min(best, util::EditDistance(argument, std::string_view(id).substr(0, length)));
      }
    }
    if (best <= allowed && best > 0) close.emplace_back(best, id);
  };
  for (const char* keyword : {"head", "heads", "base"}) consider(keyword, false);
  for (const Revision& revision : revisions) consider(revision.id, argument.size() >= 3);
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (close.empty()) return {};
  std::vector<std::string> names;
  for (size_t i = 0; i < close.size() && i < 3; ++i) names.push_back("'" + close[i].second + "'");
  std::string listed = names.size() == 1   ? names[0]
                       : names.size() == 2 ? names[0] + " or " + names[1]
                                           : names[0] + ", " + names[1] + " or " + names[2];
  return "; did you mean " + listed + "?";
}

}  // namespace

std::string IdentToText(const Ident& ident) {
  switch (ident.kind) {
    case Ident::Kind::kNone:
      return "None";
    case Ident::Kind::kString:
      return ident.str;
    case Ident::Kind::kTuple: {
      std::string text = "(";
      for (size_t i = 0; i < ident.tuple.size(); ++i) {
        if (i > 0) text += ", ";
        text += "'" + ident.tuple[i] + "'";
      }
      if (ident.tuple.size() == 1) text += ",";
      return text + ")";
    }
  }
  return {};
}

void RethrowTranslated(const ErrorContext& context) {
  try {
    throw;
  } catch (const RangeNotAncestorError& e) {
    std::string start = context.start.value_or(e.lower());
    std::string end = context.end.value_or(e.upper());
    std::string message = context.ancestor.value_or(
        "Requested range {start}:{end} does not refer to ancestor/descendant revisions along "
        "the same branch");
    message = ReplaceAll(ReplaceAll(message, "{start}", start), "{end}", end);
    throw RangeNotAncestorError(message, e.lower(), e.upper());
  } catch (const MultipleHeads& e) {
    std::string head_arg = context.end.value_or(e.argument());
    std::string message = context.multiple_heads.value_or(
        "Multiple head revisions are present for given argument '{head_arg}'; please specify a "
        "specific target revision, '<branchname>@{head_arg}' to narrow to a specific head, or "
        "'heads' for all heads");
    throw MultipleHeads(ReplaceAll(message, "{head_arg}", head_arg), e.heads(), e.argument());
  } catch (const AmbiguousWalk& e) {
    if (!context.command || e.choices().empty()) throw;
    throw AmbiguousWalk(
        fmt::format("{}, e.g. `retort {} {}`", e.what(), *context.command, e.choices().front()),
        e.choices());
  } catch (const AmbiguousPrefix& e) {
    throw AmbiguousPrefix(fmt::format("Can't locate revision identified by '{}'", e.argument()),
                          e.argument(), e.candidates());
  } catch (const ResolutionError& e) {
    std::string hint =
        context.revisions != nullptr ? ClosestIds(*context.revisions, e.argument()) : std::string();
    throw ResolutionError(
        fmt::format("Can't locate revision identified by '{}'{}", e.argument(), hint),
        e.argument());
  }
}

}  // namespace retort::graph
