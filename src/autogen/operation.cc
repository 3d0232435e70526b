#include "autogen/operation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace retort::autogen {
namespace {

// std::visit with one lambda per alternative.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string Quoted(const std::string& name) { return "'" + name + "'"; }

// "'uq_email'" or, for a constraint SQLite keeps without a name, nothing.
std::string QuotedName(const std::string& name) { return name.empty() ? "" : Quoted(name); }

// "unique constraint uq_email", or "unique constraint" when unnamed.
std::string Named(const std::string& kind, const std::string& name) {
  return name.empty() ? kind : kind + " " + name;
}

std::string Dotted(const std::string& table, const std::string& column) {
  return Quoted(table + "." + column);
}

std::string Join(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

std::string OrNone(const std::optional<std::string>& text) { return text ? *text : "(none)"; }

std::string QuotedList(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& value : values) quoted.push_back(Quoted(value));
  return Join(quoted);
}

// Values of `a` that `b` lacks, in `a`'s order.
std::vector<std::string> Missing(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& value : a) {
    if (std::find(b.begin(), b.end(), value) == b.end()) out.push_back(value);
  }
  return out;
}

// The family and width of a PostgreSQL or SQLite type, for telling a
// widening change (no value can fail to convert) from any other.
struct TypeShape {
  std::string family;  // "int", "text", "float", "" for anything else
  int rank = 0;        // wider is larger; 0 = unbounded
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

TypeShape ShapeOf(const std::string& raw) {
  std::string type = Lower(raw);
  if (type == "smallint" || type == "int2") return {"int", 1};
  if (type == "integer" || type == "int" || type == "int4") return {"int", 2};
  if (type == "bigint" || type == "int8") return {"int", 3};
  if (type == "numeric") return {"int", 4};
  if (type == "real" || type == "float4") return {"float", 1};
  if (type == "double precision" || type == "float8") return {"float", 2};
  if (type == "text") return {"text", 0};
  for (const char* prefix : {"character varying(", "varchar(", "character(", "char("}) {
    std::string p = prefix;
    if (type.rfind(p, 0) == 0) {
      try {
        return {"text", std::stoi(type.substr(p.size()))};
      } catch (...) {
        return {};
      }
    }
  }
  if (type == "character varying" || type == "varchar") return {"text", 0};
  return {};
}

// True when every value of type `from` converts to `to` unchanged.
bool Widens(const std::string& from, const std::string& to) {
  TypeShape a = ShapeOf(from), b = ShapeOf(to);
  if (a.family.empty() || a.family != b.family) return false;
  if (b.rank == 0) return a.family == "text" || b.family != "int";
  if (a.rank == 0) return false;
  return b.rank >= a.rank;
}

std::vector<std::string> ColumnChanges(const AlterColumn& op) {
  const schema::Column& from = op.from;
  const schema::Column& to = op.to;
  std::vector<std::string> parts;
  if (from.type != to.type) {
    parts.push_back(fmt::format("type change from {} to {} on {}", from.type, to.type,
                                Dotted(to.table, to.name)));
  }
  if (from.not_null != to.not_null) {
    parts.push_back(fmt::format("{} on column {}", to.not_null ? "NOT NULL" : "NULL",
                                Dotted(to.table, to.name)));
  }
  if (from.default_value != to.default_value) {
    parts.push_back(fmt::format("server default change from {} to {} on {}",
                                OrNone(from.default_value), OrNone(to.default_value),
                                Dotted(to.table, to.name)));
  }
  if (from.comment != to.comment) {
    parts.push_back("column comment on " + Dotted(to.table, to.name));
  }
  if (parts.empty()) parts.push_back("unchanged column " + Dotted(to.table, to.name));
  return parts;
}

}  // namespace

Operation Reverse(const Operation& operation) {
  return std::visit(
      Overloaded{
          [](const CreateTable& op) -> Operation { return DropTable{op.definition}; },
          [](const DropTable& op) -> Operation { return CreateTable{op.definition}; },
          [](const RenameTable& op) -> Operation {
            return RenameTable{op.to, op.from};
          },
          [](const AddColumn& op) -> Operation { return DropColumn{op.column}; },
          [](const DropColumn& op) -> Operation { return AddColumn{op.column}; },
          [](const RenameColumn& op) -> Operation {
            return RenameColumn{op.table, op.to, op.from};
          },
          [](const AlterColumn& op) -> Operation {
            return AlterColumn{op.to, op.from};
          },
          [](const AddPrimaryKey& op) -> Operation { return DropPrimaryKey{op.key}; },
          [](const DropPrimaryKey& op) -> Operation { return AddPrimaryKey{op.key}; },
          [](const AddUniqueConstraint& op) -> Operation {
            return DropUniqueConstraint{op.constraint};
          },
          [](const DropUniqueConstraint& op) -> Operation {
            return AddUniqueConstraint{op.constraint};
          },
          [](const AddForeignKey& op) -> Operation { return DropForeignKey{op.key}; },
          [](const DropForeignKey& op) -> Operation { return AddForeignKey{op.key}; },
          [](const AddCheckConstraint& op) -> Operation { return DropCheckConstraint{op.check}; },
          [](const DropCheckConstraint& op) -> Operation { return AddCheckConstraint{op.check}; },
          [](const CreateIndex& op) -> Operation { return DropIndex{op.index}; },
          [](const DropIndex& op) -> Operation { return CreateIndex{op.index}; },
          [](const CreateView& op) -> Operation { return DropView{op.view}; },
          [](const DropView& op) -> Operation { return CreateView{op.view}; },
          [](const CreateTrigger& op) -> Operation { return DropTrigger{op.trigger}; },
          [](const DropTrigger& op) -> Operation { return CreateTrigger{op.trigger}; },
          [](const CreateSequence& op) -> Operation { return DropSequence{op.sequence}; },
          [](const DropSequence& op) -> Operation { return CreateSequence{op.sequence}; },
          [](const AlterSequence& op) -> Operation {
            return AlterSequence{op.to, op.from};
          },
          [](const CreateEnum& op) -> Operation { return DropEnum{op.type}; },
          [](const DropEnum& op) -> Operation { return CreateEnum{op.type}; },
          [](const AlterEnum& op) -> Operation {
            return AlterEnum{op.to, op.from};
          },
          [](const SetTableComment& op) -> Operation {
            return SetTableComment{op.table, op.to, op.from};
          },
          [](const SetViewComment& op) -> Operation {
            return SetViewComment{op.view, op.materialized, op.to, op.from};
          },
          [](const RenameConstraint& op) -> Operation {
            return RenameConstraint{op.table, op.to, op.from};
          },
          [](const RenameIndex& op) -> Operation {
            return RenameIndex{op.table, op.to, op.from};
          },
          [](const ObjectChange& op) -> Operation {
            return ObjectChange{op.to, op.from};
          },
          [](const AlterTableOptions& op) -> Operation {
            return AlterTableOptions{op.to, op.from};
          },
      },
      operation);
}

bool RendersObjectKind(const std::string& kind) {
  return kind == "schema" || kind == "extension" || kind == "domain" || kind == "domain default" ||
         kind == "domain not null" || kind == "domain constraint" || kind == "function" ||
         kind == "procedure" || kind == "partition";
}

std::vector<Operation> Reverse(const std::vector<Operation>& operations) {
  std::vector<Operation> reversed;
  reversed.reserve(operations.size());
  for (auto it = operations.rbegin(); it != operations.rend(); ++it) {
    reversed.push_back(Reverse(*it));
  }
  return reversed;
}

std::string Describe(const Operation& operation) {
  return std::visit(
      Overloaded{
          [](const CreateTable& op) { return "added table " + Quoted(op.definition.table.name); },
          [](const DropTable& op) { return "removed table " + Quoted(op.definition.table.name); },
          [](const RenameTable& op) {
            return fmt::format("renamed table {} to {}", Quoted(op.from), Quoted(op.to));
          },
          [](const AddColumn& op) {
            return "added column " + Dotted(op.column.table, op.column.name);
          },
          [](const DropColumn& op) {
            return "removed column " + Dotted(op.column.table, op.column.name);
          },
          [](const RenameColumn& op) {
            return fmt::format("renamed column {} to {}", Dotted(op.table, op.from),
                               Dotted(op.table, op.to));
          },
          [](const AlterColumn& op) {
            return fmt::format("{}", fmt::join(ColumnChanges(op), "; "));
          },
          [](const AddPrimaryKey& op) {
            return fmt::format("added primary key {}({}) on {}", QuotedName(op.key.name),
                               Join(op.key.columns), Quoted(op.key.table));
          },
          [](const DropPrimaryKey& op) {
            return fmt::format("removed primary key {}({}) on {}", QuotedName(op.key.name),
                               Join(op.key.columns), Quoted(op.key.table));
          },
          [](const AddUniqueConstraint& op) {
            return fmt::format("added unique constraint {}({}) on {}",
                               QuotedName(op.constraint.name), Join(op.constraint.columns),
                               Quoted(op.constraint.table));
          },
          [](const DropUniqueConstraint& op) {
            return fmt::format("removed unique constraint {}({}) on {}",
                               QuotedName(op.constraint.name), Join(op.constraint.columns),
                               Quoted(op.constraint.table));
          },
          // Alembic's own words for foreign keys.
          [](const AddForeignKey& op) {
            return fmt::format("added foreign key ({})({}) on table {}", Join(op.key.columns),
                               Join(op.key.referenced_columns), op.key.table);
          },
          [](const DropForeignKey& op) {
            return fmt::format("removed foreign key ({})({}) on table {}", Join(op.key.columns),
                               Join(op.key.referenced_columns), op.key.table);
          },
          [](const AddCheckConstraint& op) {
            return fmt::format("added {} on {}",
                               Named("check constraint", QuotedName(op.check.name)),
                               Quoted(op.check.table));
          },
          [](const DropCheckConstraint& op) {
            return fmt::format("removed {} on {}",
                               Named("check constraint", QuotedName(op.check.name)),
                               Quoted(op.check.table));
          },
          [](const CreateIndex& op) {
            return fmt::format("added index {} on {}", Quoted(op.index.name),
                               Quoted(op.index.table));
          },
          [](const DropIndex& op) {
            return fmt::format("removed index {} on {}", Quoted(op.index.name),
                               Quoted(op.index.table));
          },
          [](const CreateView& op) {
            return fmt::format("added {}view {}", op.view.materialized ? "materialized " : "",
                               Quoted(op.view.name));
          },
          [](const DropView& op) {
            return fmt::format("removed {}view {}", op.view.materialized ? "materialized " : "",
                               Quoted(op.view.name));
          },
          [](const CreateTrigger& op) {
            return fmt::format("added trigger {} on {}", Quoted(op.trigger.name),
                               Quoted(op.trigger.table));
          },
          [](const DropTrigger& op) {
            return fmt::format("removed trigger {} on {}", Quoted(op.trigger.name),
                               Quoted(op.trigger.table));
          },
          [](const CreateSequence& op) { return "added sequence " + Quoted(op.sequence.name); },
          [](const DropSequence& op) { return "removed sequence " + Quoted(op.sequence.name); },
          [](const AlterSequence& op) {
            if (op.from.name != op.to.name) {
              return fmt::format("renamed sequence {} to {}", Quoted(op.from.name),
                                 Quoted(op.to.name));
            }
            return "changed sequence " + Quoted(op.to.name);
          },
          [](const CreateEnum& op) { return "added enum type " + Quoted(op.type.name); },
          [](const DropEnum& op) { return "removed enum type " + Quoted(op.type.name); },
          [](const AlterEnum& op) {
            std::vector<std::string> parts;
            std::vector<std::string> added = Missing(op.to.values, op.from.values);
            std::vector<std::string> removed = Missing(op.from.values, op.to.values);
            if (!added.empty()) {
              parts.push_back(fmt::format("added values {} to enum type {}", QuotedList(added),
                                          Quoted(op.to.name)));
            }
            if (!removed.empty()) {
              parts.push_back(fmt::format("removed values {} from enum type {}",
                                          QuotedList(removed), Quoted(op.to.name)));
            }
            if (parts.empty())
              parts.push_back("reordered values of enum type " + Quoted(op.to.name));
            return fmt::format("{}", fmt::join(parts, "; "));
          },
          [](const SetTableComment& op) {
            if (!op.to) return "removed table comment on " + Quoted(op.table);
            return "table comment on " + Quoted(op.table);
          },
          [](const SetViewComment& op) {
            std::string what =
                op.materialized ? "materialized view comment on " : "view comment on ";
            return (op.to ? "" : "removed ") + what + Quoted(op.view);
          },
          [](const AlterTableOptions& op) {
            std::vector<std::string> parts;
            if (op.from.unlogged != op.to.unlogged)
              parts.push_back(op.to.unlogged ? "UNLOGGED" : "LOGGED");
            if (op.from.options != op.to.options)
              parts.push_back("storage parameters (" + op.to.options + ")");
            return fmt::format("table options {} on {}", fmt::join(parts, ", "),
                               Quoted(op.to.name));
          },
          [](const RenameConstraint& op) {
            return fmt::format("renamed constraint {} to {} on {}", Quoted(op.from), Quoted(op.to),
                               Quoted(op.table));
          },
          [](const RenameIndex& op) {
            return fmt::format("renamed index {} to {} on {}", Quoted(op.from), Quoted(op.to),
                               Quoted(op.table));
          },
          [](const ObjectChange& op) {
            const schema::SchemaObject& o = op.to ? *op.to : *op.from;
            // SQLite's user_version / application_id: always both sides.
            if (o.kind == "pragma" && op.from && op.to) {
              return fmt::format("PRAGMA {} change from {} to {}", o.name, op.from->definition,
                                 op.to->definition);
            }
            std::string what = !op.from ? "added" : !op.to ? "removed" : "changed";
            std::string text = fmt::format("{} {} {}", what, o.kind, Quoted(o.name));
            // A domain's base type cannot change in place.
            if (!RendersObjectKind(o.kind) || (op.from && op.to && o.kind == "domain")) {
              text += " (not rendered: retort cannot write this change, do it by hand)";
            }
            return text;
          },
      },
      operation);
}

std::optional<std::string> DestructiveReason(const Operation& operation) {
  using Reason = std::optional<std::string>;
  return std::visit(
      Overloaded{
          [](const DropTable& op) -> Reason {
            return fmt::format("drops table {} and its data", op.definition.table.name);
          },
          [](const DropColumn& op) -> Reason {
            return fmt::format("drops column {}.{} and its data", op.column.table, op.column.name);
          },
          [](const AlterColumn& op) -> Reason {
            std::vector<std::string> reasons;
            if (op.from.type != op.to.type && !Widens(op.from.type, op.to.type)) {
              reasons.push_back(fmt::format(
                  "changes the type of {}.{} from {} to {}: values may fail to convert or be cut",
                  op.to.table, op.to.name, op.from.type, op.to.type));
            }
            if (op.from.not_null && !op.to.not_null) {
              reasons.push_back(fmt::format("drops NOT NULL on {}.{}: NULLs become possible",
                                            op.to.table, op.to.name));
            }
            if (reasons.empty()) return std::nullopt;
            return fmt::format("{}", fmt::join(reasons, "; "));
          },
          [](const DropPrimaryKey& op) -> Reason {
            return fmt::format("drops {} on {}: values may repeat",
                               Named("primary key", op.key.name), op.key.table);
          },
          [](const DropUniqueConstraint& op) -> Reason {
            return fmt::format("drops {} on {}: values may repeat",
                               Named("unique constraint", op.constraint.name), op.constraint.table);
          },
          [](const DropForeignKey& op) -> Reason {
            return fmt::format("drops {} on {}: rows may point nowhere",
                               Named("foreign key", op.key.name), op.key.table);
          },
          [](const DropCheckConstraint& op) -> Reason {
            return fmt::format("drops {} on {}", Named("check constraint", op.check.name),
                               op.check.table);
          },
          [](const DropSequence& op) -> Reason {
            return fmt::format("drops sequence {} and its current value", op.sequence.name);
          },
          [](const DropEnum& op) -> Reason {
            return fmt::format("drops enum type {}", op.type.name);
          },
          [](const AlterEnum& op) -> Reason {
            std::vector<std::string> removed = Missing(op.from.values, op.to.values);
            if (removed.empty()) return std::nullopt;
            return fmt::format("removes values {} from enum type {}: rows holding them fail",
                               QuotedList(removed), op.to.name);
          },
          [](const ObjectChange& op) -> Reason {
            if (op.to || !op.from) return std::nullopt;
            const schema::SchemaObject& o = *op.from;
            if (o.kind == "partition") {
              return fmt::format("drops partition {} and its data", o.name);
            }
            if (o.kind == "domain constraint" || o.kind == "domain not null") {
              return fmt::format("drops {} {}", o.kind, o.name);
            }
            return std::nullopt;
          },
          [](const auto&) -> Reason { return std::nullopt; },
      },
      operation);
}

}  // namespace retort::autogen
