// Views and triggers. A view is recreated when its definition changes and
// also when a table or view it reads is dropped or reshaped: PostgreSQL
// refuses to drop or retype a column a view uses. A changed comment alone
// is set in place (COMMENT ON VIEW).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "autogen/compare_internal.h"

namespace retort::autogen::internal {
namespace {

std::string Unqualified(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

// What each view definition names, tokenized once per definition (a
// schema may have many views).
class References {
 public:
  bool Mentions(const schema::View& view, const std::string& name) {
    auto found = identifiers_.find(view.definition);
    if (found == identifiers_.end())
      found = identifiers_.emplace(view.definition, Identifiers(view.definition)).first;
    return found->second.contains(Unqualified(name));
  }

 private:
  std::map<std::string, std::set<std::string>> identifiers_;
};

// `views` ordered so that a view comes after the views it reads.
std::vector<schema::View> InDependencyOrder(std::vector<schema::View> views, References& refs) {
  std::vector<schema::View> ordered;
  std::set<std::string> placed;
  while (!views.empty()) {
    auto ready = std::find_if(views.begin(), views.end(), [&](const schema::View& v) {
      for (const auto& other : views) {
        if (other.name != v.name && !placed.contains(other.name) && refs.Mentions(v, other.name))
          return false;
      }
      return true;
    });
    if (ready == views.end()) ready = views.begin();
    placed.insert(ready->name);
    ordered.push_back(*ready);
    views.erase(ready);
  }
  return ordered;
}

// The same view but perhaps for its comment, which COMMENT ON changes in
// place.
bool SameBody(const schema::View& a, const schema::View& b) {
  return a.name == b.name && a.materialized == b.materialized && a.definition == b.definition &&
         a.options == b.options;
}

void CompareViewList(Context& ctx) {
  References refs;
  std::map<std::string, const schema::View*> from, to;
  for (const auto& v : ctx.renamed.views) from[v.name] = &v;
  for (const auto& v : ctx.to.views) to[v.name] = &v;
  std::set<std::string> moving;  // dropped or recreated
  for (const auto& [name, view] : from) {
    auto found = to.find(name);
    if (found == to.end() || !SameBody(*found->second, *view)) moving.insert(name);
  }
  // What a moving view, a dropped table or a reshaped table takes along.
  std::set<std::string> unstable(ctx.dropped_tables.begin(), ctx.dropped_tables.end());
  unstable.insert(ctx.reshaped_tables.begin(), ctx.reshaped_tables.end());
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, view] : from) {
      if (moving.contains(name)) continue;
      for (const auto& gone : unstable) {
        if (refs.Mentions(*view, gone)) {
          moving.insert(name);
          grew = true;
          break;
        }
      }
      if (!grew) {
        for (const auto& other : moving) {
          if (other != name && refs.Mentions(*view, other)) {
            moving.insert(name);
            grew = true;
            break;
          }
        }
      }
    }
  }
  std::vector<schema::View> drops, creates;
  for (const auto& name : moving) drops.push_back(*from.at(name));
  for (const auto& [name, view] : to) {
    if (!from.contains(name) || moving.contains(name)) creates.push_back(*view);
  }
  // Indexes on materialized views go with the view: dropped before it
  // and created after it when it is recreated, else compared like any.
  std::map<std::string, const schema::Index*> old_indexes, new_indexes;
  for (const auto& i : ctx.renamed.indexes)
    if (from.contains(i.table)) old_indexes[i.name] = &i;
  for (const auto& i : ctx.to.indexes)
    if (to.contains(i.table)) new_indexes[i.name] = &i;
  for (const auto& [name, index] : old_indexes) {
    auto found = new_indexes.find(name);
    if (moving.contains(index->table) || found == new_indexes.end() || !(*found->second == *index))
      ctx.Add(kDropViews, DropIndex{*index});
  }
  drops = InDependencyOrder(std::move(drops), refs);
  for (auto it = drops.rbegin(); it != drops.rend(); ++it) ctx.Add(kDropViews, DropView{*it});
  for (auto& v : InDependencyOrder(std::move(creates), refs)) ctx.Add(kCreateViews, CreateView{v});
  // A view that stays keeps its comment unless that changed; a created
  // one carries its own.
  for (const auto& [name, view] : to) {
    auto found = from.find(name);
    if (found != from.end() && !moving.contains(name) && found->second->comment != view->comment)
      ctx.Add(kCreateViews,
              SetViewComment{name, view->materialized, found->second->comment, view->comment});
  }
  for (const auto& [name, index] : new_indexes) {
    auto found = old_indexes.find(name);
    if (!from.contains(index->table) || moving.contains(index->table) ||
        found == old_indexes.end() || !(*found->second == *index))
      ctx.Add(kCreateViews, CreateIndex{*index});
  }
}

void CompareTriggers(Context& ctx) {
  auto key = [](const schema::Trigger& t) { return t.table + "\x1e" + t.name; };
  auto surviving = [&](const std::string& table) {
    return !ctx.created_tables.contains(table) && !ctx.dropped_tables.contains(table);
  };
  std::map<std::string, const schema::Trigger*> from, to;
  for (const auto& t : ctx.renamed.triggers)
    if (surviving(t.table)) from[key(t)] = &t;
  for (const auto& t : ctx.to.triggers)
    if (surviving(t.table)) to[key(t)] = &t;
  for (const auto& [k, trigger] : from) {
    auto found = to.find(k);
    if (found == to.end() || !(*found->second == *trigger))
      ctx.Add(kDropTriggers, DropTrigger{*trigger});
  }
  for (const auto& [k, trigger] : to) {
    auto found = from.find(k);
    if (found == from.end() || !(*found->second == *trigger))
      ctx.Add(kCreateTriggers, CreateTrigger{*trigger});
  }
}

}  // namespace

void CompareViews(Context& ctx) {
  CompareViewList(ctx);
  CompareTriggers(ctx);
}

}  // namespace retort::autogen::internal
