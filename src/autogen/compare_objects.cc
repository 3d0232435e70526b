// Schemas, extensions, domains, functions and procedures, partitions, and the object
// kinds retort cannot render (Snapshot::objects): one ObjectChange per
// object created, dropped or changed, in the phase its dependencies need
// (compare_internal.h):
//   schemas first (anything may live in one), dropped last;
//   extensions before everything else (a domain or column may be of their type);
//   domains after enums, then their parts (default, NOT NULL, CHECK);
//   functions and procedures before tables: column defaults, CHECK
//   constraints and expression indexes may call them, so they cannot come
//   after. Their bodies are not validated when they are created (the
//   renderer sets check_function_bodies off around them, as pg_dump does),
//   so a LANGUAGE sql body may name a table created further down. A
//   SQL-standard body (BEGIN ATOMIC, RETURN) is parsed whatever that
//   setting says: such functions come after the tables and columns;
//   partitions right after the tables, parents before children; triggers
//   (compare_views.cc) after all of them.
// Drops mirror that order, so Reverse() of the list is executable too.
//
// SQLite's header pragmas (kind "pragma": user_version, application_id) are
// set where the declared side sets them to another value than the
// database's; one only the database sets is the application's own business
// and never reset (many applications number their own data with
// user_version). The change carries the database's value ("0" when it has
// none), so Reverse() puts it back.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autogen/compare_internal.h"

namespace retort::autogen::internal {
namespace {

using Key = std::pair<std::string, std::string>;  // (kind, name)

// Within a phase: a domain before its parts when created.
int Rank(const std::string& kind) {
  if (kind == "domain") return 0;
  if (kind == "domain default" || kind == "domain not null") return 1;
  return 2;
}

bool IsDomainPart(const std::string& kind) { return kind.rfind("domain", 0) == 0; }

// How many partitions up the chain `name` sits (0 for a partition of a
// plain partitioned table).
int Depth(const std::map<std::string, std::string>& parents, std::string name) {
  int depth = 0;
  for (auto found = parents.find(name); found != parents.end() && depth < 100;
       found = parents.find(name)) {
    name = found->second;
    ++depth;
  }
  return depth;
}

Phase CreatePhase(const schema::SchemaObject& o) {
  if (o.kind == "schema") return kCreateSchemas;
  if (o.kind == "extension") return kCreateExtensions;
  if (IsDomainPart(o.kind)) return kCreateDomains;
  if (o.kind == "function" || o.kind == "procedure") {
    return o.after_tables ? kCreateLateRoutines : kCreateRoutines;
  }
  if (o.kind == "partition") return kCreatePartitions;
  return kUnrendered;
}

Phase DropPhase(const schema::SchemaObject& o) {
  if (o.kind == "schema") return kDropSchemas;
  if (o.kind == "extension") return kDropExtensions;
  if (IsDomainPart(o.kind)) return kDropDomains;
  if (o.kind == "function" || o.kind == "procedure") {
    return o.after_tables ? kDropLateRoutines : kDropRoutines;
  }
  if (o.kind == "partition") return kDropPartitions;
  return kUnrendered;
}

}  // namespace

void CompareObjects(Context& ctx) {
  std::map<Key, const schema::SchemaObject*> from, to;
  std::map<std::string, std::string> to_parents, from_parents;  // partition -> parent
  std::map<std::string, std::string> pragmas;                   // the database's: name -> value
  for (const auto& o : ctx.from.objects) {
    if (o.kind == "pragma") {
      pragmas[o.name] = o.definition;
      continue;
    }
    from[{o.kind, o.name}] = &o;
    if (o.kind == "partition") from_parents[o.name] = o.parent;
  }
  for (const auto& o : ctx.to.objects) {
    if (o.kind == "pragma") {
      auto found = pragmas.find(o.name);
      std::string value = found == pragmas.end() ? "0" : found->second;
      if (value != o.definition) {
        ctx.Add(kTableComments,
                ObjectChange{
                    schema::SchemaObject{.kind = o.kind, .name = o.name, .definition = value}, o});
      }
      continue;
    }
    to[{o.kind, o.name}] = &o;
    if (o.kind == "partition") to_parents[o.name] = o.parent;
  }
  // A partitioned table's key is written in its CREATE TABLE: it comes and
  // goes with the table. On a table that stays, a new or changed key cannot
  // be altered in place.
  auto with_table = [&](const schema::SchemaObject& o) {
    return o.kind == "partition key" &&
           (ctx.created_tables.contains(o.name) || ctx.dropped_tables.contains(o.name));
  };

  struct Pending {
    Phase phase;
    int order;
    ObjectChange change;
  };
  std::vector<Pending> pending;
  for (const auto& [key, o] : to) {
    if (!RendersObjectKind(o->kind) && o->kind != "partition key") {
      ctx.warnings.push_back(fmt::format(
          "the declared schema holds {} '{}', which autogenerate cannot render: write it in a "
          "revision by hand (check reports it while the database differs)",
          o->kind, o->name));
    }
    if (with_table(*o)) continue;
    auto found = from.find(key);
    if (found == from.end()) {
      int order = o->kind == "partition" ? Depth(to_parents, o->name) : Rank(o->kind);
      pending.push_back({CreatePhase(*o), order, ObjectChange{std::nullopt, *o}});
    } else if (!(*found->second == *o)) {
      int order = o->kind == "partition" ? Depth(to_parents, o->name) : Rank(o->kind);
      pending.push_back({CreatePhase(*o), order, ObjectChange{*found->second, *o}});
    }
  }
  for (const auto& [key, o] : from) {
    if (to.contains(key) || with_table(*o)) continue;
    // Dropped in the reverse order of creation: children, parts first.
    int order = o->kind == "partition" ? -Depth(from_parents, o->name) : -Rank(o->kind);
    pending.push_back({DropPhase(*o), order, ObjectChange{*o, std::nullopt}});
  }
  std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return a.phase != b.phase ? a.phase < b.phase : a.order < b.order;
  });
  for (auto& p : pending) ctx.Add(p.phase, std::move(p.change));
}

}  // namespace retort::autogen::internal
