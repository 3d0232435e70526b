#ifndef RETORT_AUTOGEN_OPERATION_H_
#define RETORT_AUTOGEN_OPERATION_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "schema/snapshot.h"

namespace retort::autogen {

// Schema changes as data (DESIGN.md: "operations as data, each with its
// Reverse()"). Compare() produces them, the per-dialect renderers turn them
// into SQL, and a revision's downgrade is Reverse() of its upgrade: every
// operation carries enough of the old state to be undone exactly (a dropped
// column keeps its type, default and nullability; a dropped table keeps its
// whole definition).
//
// Adding an alternative to Operation without handling it in Reverse(),
// Describe() and every renderer fails to compile: they all use std::visit
// with one overload per alternative and no catch-all.

// A table with everything that lives and dies with it: enough to CREATE it
// again after a drop.
struct TableDefinition {
  schema::Table table{};
  std::vector<schema::Column> columns{};  // in `position` order
  std::optional<schema::PrimaryKey> primary_key{};
  std::vector<schema::UniqueConstraint> unique_constraints{};
  std::vector<schema::ForeignKey> foreign_keys{};
  std::vector<schema::CheckConstraint> checks{};
  std::vector<schema::Index> indexes{};
  std::vector<schema::Trigger> triggers{};
  bool operator==(const TableDefinition&) const = default;
};

struct CreateTable {
  TableDefinition definition;
  bool operator==(const CreateTable&) const = default;
};
struct DropTable {
  TableDefinition definition;
  bool operator==(const DropTable&) const = default;
};
struct RenameTable {
  std::string from, to;
  bool operator==(const RenameTable&) const = default;
};

struct AddColumn {
  schema::Column column;
  bool operator==(const AddColumn&) const = default;
};
struct DropColumn {
  schema::Column column;
  bool operator==(const DropColumn&) const = default;
};
struct RenameColumn {
  std::string table, from, to;
  bool operator==(const RenameColumn&) const = default;
};
// Type, nullability, server default and/or comment: `from` and `to` name the
// same column.
struct AlterColumn {
  schema::Column from, to;
  bool operator==(const AlterColumn&) const = default;
};

struct AddPrimaryKey {
  schema::PrimaryKey key;
  bool operator==(const AddPrimaryKey&) const = default;
};
struct DropPrimaryKey {
  schema::PrimaryKey key;
  bool operator==(const DropPrimaryKey&) const = default;
};
struct AddUniqueConstraint {
  schema::UniqueConstraint constraint;
  bool operator==(const AddUniqueConstraint&) const = default;
};
struct DropUniqueConstraint {
  schema::UniqueConstraint constraint;
  bool operator==(const DropUniqueConstraint&) const = default;
};
struct AddForeignKey {
  schema::ForeignKey key;
  bool operator==(const AddForeignKey&) const = default;
};
struct DropForeignKey {
  schema::ForeignKey key;
  bool operator==(const DropForeignKey&) const = default;
};
struct AddCheckConstraint {
  schema::CheckConstraint check;
  bool operator==(const AddCheckConstraint&) const = default;
};
struct DropCheckConstraint {
  schema::CheckConstraint check;
  bool operator==(const DropCheckConstraint&) const = default;
};

struct CreateIndex {
  schema::Index index;
  bool operator==(const CreateIndex&) const = default;
};
struct DropIndex {
  schema::Index index;
  bool operator==(const DropIndex&) const = default;
};

struct CreateView {
  schema::View view;
  bool operator==(const CreateView&) const = default;
};
struct DropView {
  schema::View view;
  bool operator==(const DropView&) const = default;
};

struct CreateTrigger {
  schema::Trigger trigger;
  bool operator==(const CreateTrigger&) const = default;
};
struct DropTrigger {
  schema::Trigger trigger;
  bool operator==(const DropTrigger&) const = default;
};

// PostgreSQL only.
struct CreateSequence {
  schema::Sequence sequence;
  bool operator==(const CreateSequence&) const = default;
};
struct DropSequence {
  schema::Sequence sequence;
  bool operator==(const DropSequence&) const = default;
};
struct AlterSequence {
  schema::Sequence from, to;
  bool operator==(const AlterSequence&) const = default;
};
struct CreateEnum {
  schema::EnumType type;
  bool operator==(const CreateEnum&) const = default;
};
struct DropEnum {
  schema::EnumType type;
  bool operator==(const DropEnum&) const = default;
};
// Values added to (or, reversed, removed from) an enum type. PostgreSQL can
// add a value in place but removing one means recreating the type and
// converting the columns that use it; the PostgreSQL renderer finds them in
// the catalog when the statement runs (whatever ran before it in the
// revision), not in the snapshots.
struct AlterEnum {
  schema::EnumType from, to;
  bool operator==(const AlterEnum&) const = default;
};
struct SetTableComment {
  std::string table;
  std::optional<std::string> from, to;
  bool operator==(const SetTableComment&) const = default;
};
// PostgreSQL only: COMMENT ON VIEW / COMMENT ON MATERIALIZED VIEW of a view
// that stays. A created view carries its comment in CreateView.
struct SetViewComment {
  std::string view;
  bool materialized = false;
  std::optional<std::string> from, to;
  bool operator==(const SetViewComment&) const = default;
};

// PostgreSQL only: a constraint or index whose definition stays and whose
// name changes, typically one PostgreSQL named after a table or column that
// was renamed ("people_pkey" once "people" became "persons"). Renaming keeps
// the foreign keys that lean on a key where dropping it would not.
struct RenameConstraint {
  std::string table, from, to;
  bool operator==(const RenameConstraint&) const = default;
};
struct RenameIndex {
  std::string table, from, to;
  bool operator==(const RenameIndex&) const = default;
};

// PostgreSQL only: an object of Snapshot::objects (extension, domain or a
// part of one, function, procedure, partition) created (`from` empty),
// dropped (`to` empty) or changed in place (both: CREATE OR REPLACE for a
// function, DETACH/ATTACH for a partition's bounds). For a kind retort
// cannot render (schema::SchemaObject), the renderer writes a comment that
// says so and `check` counts the change.
struct ObjectChange {
  std::optional<schema::SchemaObject> from, to;
  bool operator==(const ObjectChange&) const = default;
};

// PostgreSQL: a table's persistence (UNLOGGED) or storage parameters
// (WITH (fillfactor = 70)) changed; `from`/`to` are the whole records.
struct AlterTableOptions {
  schema::Table from, to;
  bool operator==(const AlterTableOptions&) const = default;
};

using Operation =
    std::variant<CreateTable, DropTable, RenameTable, AddColumn, DropColumn, RenameColumn,
                 AlterColumn, AddPrimaryKey, DropPrimaryKey, AddUniqueConstraint,
                 DropUniqueConstraint, AddForeignKey, DropForeignKey, AddCheckConstraint,
                 DropCheckConstraint, CreateIndex, DropIndex, CreateView, DropView, CreateTrigger,
                 DropTrigger, CreateSequence, DropSequence, AlterSequence, CreateEnum, DropEnum,
                 AlterEnum, SetTableComment, SetViewComment, RenameConstraint, RenameIndex,
                 ObjectChange, AlterTableOptions>;

// Whether the PostgreSQL renderer writes SQL for ObjectChanges of `kind`
// ("extension", "domain", ..., "partition"); other kinds get a comment.
bool RendersObjectKind(const std::string& kind);

// The operation that undoes `operation` (DropColumn for AddColumn, AlterColumn
// with from/to swapped, ...).
Operation Reverse(const Operation& operation);

// The downgrade of an upgrade: each operation reversed, in reverse order, so
// that what was created last is removed first.
std::vector<Operation> Reverse(const std::vector<Operation>& operations);

// What autogenerate prints after "Detected ", in Alembic's words where it has
// them: "added table 'users'", "removed column 'users.email'", "added index
// 'ix_users_email' on 'users'", "type change from text to integer on
// 'users.age'", "NOT NULL on column 'users.email'", ...
std::string Describe(const Operation& operation);

// Why a reviewer must look twice, or nullopt when the operation keeps every
// row and every guarantee: dropped tables and columns lose data, a narrowing
// type change may fail or truncate, dropping NOT NULL (or a unique, foreign
// key or check constraint) removes a guarantee the data had.
std::optional<std::string> DestructiveReason(const Operation& operation);

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_OPERATION_H_
