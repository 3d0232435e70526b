#ifndef RETORT_GRAPH_ERROR_CONTEXT_H_
#define RETORT_GRAPH_ERROR_CONTEXT_H_

// Internal to the graph layer: Alembic's ScriptDirectory._catch_revision_errors.
// The traversal code throws Alembic's RevisionMap-level messages; the public
// entry points re-word them as the alembic command line shows them, with the
// wording of the command at hand (upgrade, downgrade, stamp, history).

#include <optional>
#include <string>
#include <vector>

#include "graph/errors.h"
#include "graph/revision_map_impl.h"

namespace retort::graph {

struct ErrorContext {
  // "%(start)s" / "%(end)s" placeholders are written {start} / {end}.
  std::optional<std::string> ancestor;
  // "{head_arg}" placeholder.
  std::optional<std::string> multiple_heads;
  std::optional<std::string> start;
  std::optional<std::string> end;
  // The command ("upgrade", "downgrade") whose example ends an ambiguous
  // walk's message.
  std::optional<std::string> command;
  // The map's revisions: "Can't locate revision identified by 'x'" then
  // names the closest ids (and keywords) when any are close.
  const std::vector<Revision>* revisions = nullptr;
};

// Python's "%s" of a revision argument: the string, or the tuple's repr.
std::string IdentToText(const Ident& ident);

[[noreturn]] void RethrowTranslated(const ErrorContext& context);

template <class F>
auto WithRevisionErrors(const ErrorContext& context, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const RevisionError&) {
    RethrowTranslated(context);
  }
}

}  // namespace retort::graph

#endif  // RETORT_GRAPH_ERROR_CONTEXT_H_
