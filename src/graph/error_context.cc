#include "graph/error_context.h"

#include <fmt/format.h>

namespace retort::graph {

namespace {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
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
    throw ResolutionError(fmt::format("Can't locate revision identified by '{}'", e.argument()),
                          e.argument());
  }
}

}  // namespace retort::graph
