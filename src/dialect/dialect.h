#ifndef RETORT_DIALECT_DIALECT_H_
#define RETORT_DIALECT_DIALECT_H_

#include <string>
#include <string_view>
#include <vector>

namespace retort::dialect {

// The version table's location: `schema` is empty for the default one.
struct VersionTable {
  std::string schema;
  std::string name;
};

// Per-dialect SQL facts (Alembic's DefaultImpl and SQLAlchemy's dialect
// compiler, for what retort renders itself). The base renders what every
// dialect shares, in Alembic's exact shapes, so that `--sql` output and
// online statements match Alembic's; subclasses override only their
// differences. Statements come without the terminating ';' (the SQL sink adds
// it offline). Instances are stateless and live for the whole program.
class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite", "postgresql" or "mysql", as driver::Connection::dialect().
  virtual std::string_view name() const = 0;
  // Whether DDL can be rolled back, so one transaction can hold a whole run.
  virtual bool transactional_ddl() const = 0;

  // Always quotes: "name" with embedded quotes doubled.
  virtual std::string QuoteIdentifier(std::string_view identifier) const;
  // Quotes only what SQLAlchemy would: reserved words, upper case, anything
  // beyond [a-z_][a-z0-9_$]*. alembic_version stays bare.
  virtual std::string FormatIdentifier(std::string_view identifier) const;
  // 'text' with embedded quotes doubled.
  virtual std::string QuoteLiteral(std::string_view value) const;

  // Offline transaction boundaries, as Alembic's emit_begin / emit_commit.
  virtual std::string BeginTransaction() const { return "BEGIN"; }
  virtual std::string CommitTransaction() const { return "COMMIT"; }

  // The table name, schema-qualified when a schema is set.
  std::string QualifiedName(const VersionTable& table) const;
  // CREATE TABLE t (\n    version_num VARCHAR(255) NOT NULL, \n    CONSTRAINT
  // t_pkc PRIMARY KEY (version_num)\n), as Alembic prints it but wider.
  virtual std::string CreateVersionTable(const VersionTable& table) const;
  virtual std::string DropVersionTable(const VersionTable& table) const;
  // SELECT t.version_num FROM t
  virtual std::string SelectVersions(const VersionTable& table) const;
  // INSERT INTO t (version_num) VALUES ('abc')
  virtual std::string InsertVersion(const VersionTable& table, std::string_view version) const;
  // UPDATE t SET version_num='def' WHERE t.version_num = 'abc'
  virtual std::string UpdateVersion(const VersionTable& table, std::string_view from,
                                    std::string_view to) const;
  // DELETE FROM t WHERE t.version_num = 'abc'
  virtual std::string DeleteVersion(const VersionTable& table, std::string_view version) const;
  // Several rows in one statement (a folded run's flush; one row gives
  // exactly InsertVersion's / DeleteVersion's statement); not empty:
  // INSERT INTO t (version_num) VALUES ('a'), ('b')
  std::string InsertVersions(const VersionTable& table,
                             const std::vector<std::string>& versions) const;
  // DELETE FROM t WHERE t.version_num IN ('a', 'b')
  std::string DeleteVersions(const VersionTable& table,
                             const std::vector<std::string>& versions) const;
  // DELETE FROM t (stamp --purge)
  virtual std::string DeleteAllVersions(const VersionTable& table) const;

 protected:
  virtual bool IsReservedWord(std::string_view lowercase_word) const;
};

// The dialect of a backend name ("sqlite", "postgresql"). Throws retort::Error
// for an unknown name.
const Dialect& ForName(std::string_view name);

}  // namespace retort::dialect

#endif  // RETORT_DIALECT_DIALECT_H_
