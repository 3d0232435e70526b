#ifndef RETORT_GRAPH_ERRORS_H_
#define RETORT_GRAPH_ERRORS_H_

#include <retort/error.h>

#include <string>
#include <utility>
#include <vector>

namespace retort::graph {

// Every revision-graph failure (exit code 1). what() is the line a user sees,
// worded as Alembic words it; revision() is the revision id at fault (empty
// when none is), so the script layer can add that revision's file name.
class RevisionError : public Error {
 public:
  explicit RevisionError(const std::string& message, std::string revision = {})
      : Error(message), revision_(std::move(revision)) {}
  const std::string& revision() const { return revision_; }

 private:
  std::string revision_;
};

// A spec that names no revision ("Can't locate revision identified by 'x'").
// argument() is the part of the spec that failed to resolve.
class ResolutionError : public RevisionError {
 public:
  ResolutionError(const std::string& message, std::string argument)
      : RevisionError(message, argument), argument_(std::move(argument)) {}
  const std::string& argument() const { return argument_; }

 private:
  std::string argument_;
};

// A prefix matching several revisions (or labels); candidates() lists the
// first three matches, as Alembic's message does.
class AmbiguousPrefix : public ResolutionError {
 public:
  AmbiguousPrefix(const std::string& message, std::string argument,
                  std::vector<std::string> candidates)
      : ResolutionError(message, std::move(argument)), candidates_(std::move(candidates)) {}
  const std::vector<std::string>& candidates() const { return candidates_; }

 private:
  std::vector<std::string> candidates_;
};

// A spec ("head", "label@head") that names several heads where one is needed.
class MultipleHeads : public RevisionError {
 public:
  MultipleHeads(const std::string& message, std::vector<std::string> heads, std::string argument)
      : RevisionError(message, argument),
        heads_(std::move(heads)),
        argument_(std::move(argument)) {}
  const std::vector<std::string>& heads() const { return heads_; }
  const std::string& argument() const { return argument_; }

 private:
  std::vector<std::string> heads_;
  std::string argument_;
};

// The two ends of a range (or a destination and the current heads) are not
// on one line of descent.
class RangeNotAncestorError : public RevisionError {
 public:
  RangeNotAncestorError(const std::string& message, std::string lower, std::string upper)
      : RevisionError(message, upper), lower_(std::move(lower)), upper_(std::move(upper)) {}
  const std::string& lower() const { return lower_; }
  const std::string& upper() const { return upper_; }

 private:
  std::string lower_;
  std::string upper_;
};

// A cycle through down revisions; revisions() are the ones on or behind it
// (sorted), revision() the first of them.
class CycleDetected : public RevisionError {
 public:
  CycleDetected(const std::string& message, std::vector<std::string> revisions)
      : RevisionError(message, revisions.empty() ? std::string() : revisions.front()),
        revisions_(std::move(revisions)) {}
  const std::vector<std::string>& revisions() const { return revisions_; }

 private:
  std::vector<std::string> revisions_;
};

// A relative walk with several ways to go ("Ambiguous walk: m has 2 parents
// (a, b); name the one you mean"); choices() are those revisions, so the
// command at hand can add the line that would work.
class AmbiguousWalk : public RevisionError {
 public:
  AmbiguousWalk(const std::string& message, std::vector<std::string> choices)
      : RevisionError(message), choices_(std::move(choices)) {}
  const std::vector<std::string>& choices() const { return choices_; }

 private:
  std::vector<std::string> choices_;
};

// A cycle that only exists through Depends On edges.
class DependencyCycleDetected : public CycleDetected {
 public:
  using CycleDetected::CycleDetected;
};

// Two revisions declare the same id; revision() is the id.
class DuplicateRevision : public RevisionError {
 public:
  using RevisionError::RevisionError;
};

// A Revises entry naming no revision. revision() declares it, missing() is it.
class UnknownDownRevision : public RevisionError {
 public:
  UnknownDownRevision(const std::string& message, std::string revision, std::string missing)
      : RevisionError(message, std::move(revision)), missing_(std::move(missing)) {}
  const std::string& missing() const { return missing_; }

 private:
  std::string missing_;
};

// A Depends On entry naming no revision or label.
class UnknownDependency : public RevisionError {
 public:
  UnknownDependency(const std::string& message, std::string revision, std::string missing)
      : RevisionError(message, std::move(revision)), missing_(std::move(missing)) {}
  const std::string& missing() const { return missing_; }

 private:
  std::string missing_;
};

// A branch label declared twice, or equal to a revision id. revision() is the
// later declaration, other_revision() the one already holding the name.
class DuplicateBranchLabel : public RevisionError {
 public:
  DuplicateBranchLabel(const std::string& message, std::string revision, std::string label,
                       std::string other_revision)
      : RevisionError(message, std::move(revision)),
        label_(std::move(label)),
        other_revision_(std::move(other_revision)) {}
  const std::string& label() const { return label_; }
  const std::string& other_revision() const { return other_revision_; }

 private:
  std::string label_;
  std::string other_revision_;
};

}  // namespace retort::graph

#endif  // RETORT_GRAPH_ERRORS_H_
