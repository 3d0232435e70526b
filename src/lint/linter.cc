#include "lint/linter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <span>

#include "lint/sql_lexer.h"
#include "lint/transaction_control.h"

namespace retort::lint {

namespace {

using Tokens = std::span<const Token>;

constexpr std::string_view kAllowMarker = "retort:allow";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsWord(Tokens t, size_t i, std::string_view word) {
  return i < t.size() && t[i].kind == Token::Kind::kWord && t[i].text == word;
}

bool IsSymbol(Tokens t, size_t i, std::string_view symbol) {
  return i < t.size() && t[i].kind == Token::Kind::kSymbol && t[i].text == symbol;
}

size_t SkipWords(Tokens t, size_t i, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (!IsWord(t, i, word)) return i;
    ++i;
  }
  return i;
}

// A possibly schema-qualified name starting at t[i]. Unquoted names fold to
// lower case, as PostgreSQL and SQLite compare them; only the last part is
// kept, so "public.users" and "users" are the same table here.
struct Name {
  std::string name;
  size_t next = 0;
};

Name ReadName(Tokens t, size_t i) {
  Name result{"", i};
  while (i < t.size() &&
         (t[i].kind == Token::Kind::kWord || t[i].kind == Token::Kind::kQuotedIdentifier)) {
    result.name = t[i].kind == Token::Kind::kWord ? Lower(t[i].raw) : t[i].text;
    result.next = ++i;
    if (!IsSymbol(t, i, ".")) break;
    ++i;
  }
  return result;
}

// Splits t at the commas outside parentheses (ALTER TABLE actions, column
// definitions).
std::vector<Tokens> SplitTopLevel(Tokens t) {
  std::vector<Tokens> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (IsSymbol(t, i, "(")) ++depth;
    if (IsSymbol(t, i, ")")) --depth;
    if (depth == 0 && IsSymbol(t, i, ",")) {
      if (i > start) parts.push_back(t.subspan(start, i - start));
      start = i + 1;
    }
  }
  if (start < t.size()) parts.push_back(t.subspan(start));
  return parts;
}

// True when `first` followed by `second` occurs outside parentheses.
bool HasPair(Tokens t, std::string_view first, std::string_view second) {
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (IsSymbol(t, i, "(")) ++depth;
    if (IsSymbol(t, i, ")")) --depth;
    if (depth == 0 && IsWord(t, i, first) && (second.empty() || IsWord(t, i + 1, second))) {
      return true;
    }
  }
  return false;
}

// The tokens of a column type, from t[i] up to the first constraint keyword
// outside parentheses, written canonically: "varchar(40)", "numeric(10,2)".
std::string TypeText(Tokens t, size_t i) {
  static const std::set<std::string_view> kStop = {
      "NOT",     "NULL",       "DEFAULT", "PRIMARY", "UNIQUE", "CHECK",     "REFERENCES",
      "COLLATE", "CONSTRAINT", "USING",   "AS",      "ON",     "GENERATED", "IDENTITY"};
  std::string text;
  int depth = 0;
  for (; i < t.size(); ++i) {
    const Token& token = t[i];
    if (depth == 0 && token.kind == Token::Kind::kWord && kStop.contains(token.text)) break;
    if (IsSymbol(t, i, "(")) ++depth;
    if (IsSymbol(t, i, ")")) --depth;
    bool word = token.kind == Token::Kind::kWord;
    if (word && !text.empty() &&
        (std::isalnum(static_cast<unsigned char>(text.back())) || text.back() == ')')) {
      text += ' ';
    }
    text += word ? Lower(token.text) : token.text;
  }
  return text;
}

// A type's family and capacity, for the families where "smaller" is clear.
struct Capacity {
  std::string family;
  double size = 0;
};

std::optional<Capacity> Measure(const std::string& type) {
  constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  std::string base = type.substr(0, type.find('('));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  std::optional<double> argument;
  if (auto open = type.find('('); open != std::string::npos) {
    try {
      argument = std::stod(type.substr(open + 1));
    } catch (const std::exception&) {
    }
  }
  if (base == "smallint" || base == "int2" || base == "smallserial") return Capacity{"int", 2};
  if (base == "integer" || base == "int" || base == "int4" || base == "serial") {
    return Capacity{"int", 4};
  }
  if (base == "bigint" || base == "int8" || base == "bigserial") return Capacity{"int", 8};
  if (base == "real" || base == "float4") return Capacity{"float", 4};
  if (base == "double precision" || base == "float8") return Capacity{"float", 8};
  if (base == "text") return Capacity{"char", kUnbounded};
  if (base == "varchar" || base == "character varying" || base == "char varying") {
    return Capacity{"char", argument.value_or(kUnbounded)};
  }
  if (base == "char" || base == "character" || base == "bpchar") {
    return Capacity{"char", argument.value_or(1)};
  }
  if (base == "numeric" || base == "decimal") {
    return Capacity{"numeric", argument.value_or(kUnbounded)};
  }
  return std::nullopt;
}

bool Narrows(const std::string& from, const std::string& to) {
  std::optional<Capacity> old_capacity = Measure(from), new_capacity = Measure(to);
  return old_capacity && new_capacity && old_capacity->family == new_capacity->family &&
         new_capacity->size < old_capacity->size;
}

// The rules' metadata; the checks live in RevisionLinter below.
const std::vector<RuleInfo> kRules = {
    {"drop-table", false, "DROP TABLE of a table not created in the same revision"},
    {"drop-column", false, "ALTER TABLE ... DROP [COLUMN]"},
    {"type-narrowing", false,
     "ALTER COLUMN ... TYPE to a smaller type of the same family than an earlier revision "
     "declared (shorter varchar, smaller int/numeric/float)"},
    {"create-index-not-concurrently", true,
     "CREATE INDEX without CONCURRENTLY on a table not created in the same revision"},
    {"add-column-not-null-without-default", true,
     "ADD COLUMN ... NOT NULL without DEFAULT on an existing table"},
    {"alter-column-type", true, "ALTER COLUMN ... TYPE on an existing table (a table rewrite)"},
    {"add-foreign-key-without-not-valid", true,
     "ADD FOREIGN KEY without NOT VALID on an existing table"},
    {"add-check-without-not-valid", true, "ADD CHECK without NOT VALID on an existing table"},
    {"missing-lock-timeout", true,
     "DDL on an existing table with no SET [LOCAL] lock_timeout before it in the revision"},
    {"needs-rewrite", false,
     "a revision `retort import` could not render ('Needs Rewrite' header): it refuses to run "
     "until its SQL is written"},
    {"transaction-control", false,
     "BEGIN, COMMIT, END, ROLLBACK, ABORT or START/PREPARE TRANSACTION in a transactional "
     "revision (it would commit or discard the run so far; `upgrade` refuses it)"},
    {"mysql-add-column-not-last", false,
     "ADD COLUMN ... FIRST/AFTER on an existing table without ALGORITHM=INSTANT (MySQL before "
     "8.0.29 copies the table to add a column anywhere but last)",
     true},
    {"mysql-modify-column", false,
     "MODIFY/CHANGE COLUMN on an existing table without ALGORITHM=INSTANT/INPLACE (a type change "
     "copies the table and blocks writes while it runs)",
     true},
    {"mysql-index-without-algorithm-lock", false,
     "ADD INDEX/KEY/UNIQUE, CREATE INDEX or DROP INDEX on an existing table without "
     "ALGORITHM=INPLACE and LOCK=NONE (the server picks a locking way without saying so)",
     true},
    {"mysql-add-foreign-key", false,
     "ADD FOREIGN KEY on an existing table while foreign_key_checks is on (the table is copied)",
     true},
};

bool PostgresqlOnly(std::string_view rule) {
  for (const RuleInfo& info : kRules) {
    if (info.name == rule) return info.postgresql_only;
  }
  return false;
}

bool MysqlOnly(std::string_view rule) {
  for (const RuleInfo& info : kRules) {
    if (info.name == rule) return info.mysql_only;
  }
  return false;
}

// The value of `ALGORITHM [=] X` or `LOCK [=] X` anywhere in the statement
// outside parentheses (ALTER TABLE's clauses, CREATE INDEX's options), or "".
std::string MysqlOption(Tokens t, std::string_view option) {
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (IsSymbol(t, i, "(")) ++depth;
    if (IsSymbol(t, i, ")")) --depth;
    if (depth != 0 || !IsWord(t, i, option)) continue;
    size_t j = IsSymbol(t, i + 1, "=") ? i + 2 : i + 1;
    if (j < t.size() && t[j].kind == Token::Kind::kWord) return t[j].text;
  }
  return "";
}

// Lints one revision's statements in order.
class RevisionLinter {
 public:
  RevisionLinter(Dialect dialect, std::map<std::string, std::string>& column_types)
      : dialect_(dialect), column_types_(column_types) {}

  std::vector<Finding> Run(std::string_view sql, int first_line, bool transactional) {
    LexedSql lexed = Lex(sql, first_line);
    for (const Statement& statement : lexed.statements) {
      statement_line_ = statement.line();
      Check(statement.tokens);
    }
    for (const PendingDrop& drop : pending_drops_) {
      statement_line_ = drop.statement_line;
      FlagDropTable(drop.line, drop.table);
    }
    if (transactional) {
      for (const TransactionControl& control : FindTransactionControl(lexed.statements)) {
        statement_line_ = control.line;
        Flag(control.line, "transaction-control",
             fmt::format("{} in a transactional revision would commit or discard the run so far "
                         "behind retort's back; remove it, or mark the revision "
                         "'Transactional: no' to run it outside a transaction",
                         control.statement));
      }
    }
    return Unsilenced(lexed.comments);
  }

 private:
  struct Raw {
    Finding finding;
    int statement_line;
  };

  bool Existing(const std::string& table) const { return !created_.contains(table); }

  void Flag(int line, std::string_view rule, std::string message) {
    if (PostgresqlOnly(rule) && dialect_ != Dialect::kPostgresql) return;
    if (MysqlOnly(rule) && dialect_ != Dialect::kMysql) return;
    raw_.push_back({Finding{"", {}, line, std::string(rule), std::move(message)}, statement_line_});
  }

  // A statement that locks an existing table: PostgreSQL queues every later
  // query on the table behind the waiting lock, so without lock_timeout one
  // long transaction elsewhere stalls the application. Reported once.
  void LockingDdl(int line, std::string_view what) {
    if (lock_timeout_set_ || lock_timeout_reported_) return;
    lock_timeout_reported_ = true;
    Flag(line, "missing-lock-timeout",
         fmt::format("{} locks an existing table and no lock_timeout is set before it; a blocked "
                     "lock queues every query on the table (add SET lock_timeout = '5s' first)",
                     what));
  }

  void Check(Tokens t) {
    if (IsWord(t, 0, "SET")) {
      size_t i = IsWord(t, 1, "SESSION") || IsWord(t, 1, "LOCAL") ? 2 : 1;
      if (IsWord(t, i, "LOCK_TIMEOUT")) lock_timeout_set_ = true;
      // MySQL: SET [SESSION] foreign_key_checks = 0 makes ADD FOREIGN KEY
      // in place.
      if (IsWord(t, i, "FOREIGN_KEY_CHECKS")) {
        size_t v = IsSymbol(t, i + 1, "=") ? i + 2 : i + 1;
        foreign_key_checks_off_ = v < t.size() && (t[v].text == "0" || t[v].text == "OFF");
      }
    } else if (IsWord(t, 0, "CREATE")) {
      size_t i = SkipWords(t, 1, {"OR", "REPLACE"});
      if (IsWord(t, i, "GLOBAL") || IsWord(t, i, "LOCAL")) ++i;
      if (IsWord(t, i, "TEMP") || IsWord(t, i, "TEMPORARY") || IsWord(t, i, "UNLOGGED")) ++i;
      if (IsWord(t, i, "TABLE")) CreateTable(t, i + 1);
      if (IsWord(t, i, "UNIQUE")) ++i;
      if (IsWord(t, i, "INDEX")) CreateIndex(t, i + 1);
    } else if (IsWord(t, 0, "INSERT") && IsWord(t, 1, "INTO")) {
      InsertSelect(t);
    } else if (IsWord(t, 0, "DROP") && IsWord(t, 1, "TABLE")) {
      DropTable(t);
    } else if (IsWord(t, 0, "DROP") && IsWord(t, 1, "INDEX") && !IsWord(t, 2, "CONCURRENTLY")) {
      LockingDdl(t[0].line, "DROP INDEX");
      if (dialect_ == Dialect::kMysql) {
        size_t on = 2;
        while (on < t.size() && !IsWord(t, on, "ON")) ++on;
        Name table = ReadName(t, on + 1);
        if (!table.name.empty() && Existing(table.name)) {
          MysqlIndexOptions(t, t[0].line, fmt::format("DROP INDEX on '{}'", table.name));
        }
      }
    } else if (IsWord(t, 0, "ALTER") && IsWord(t, 1, "TABLE")) {
      AlterTable(t);
    }
  }

  void CreateTable(Tokens t, size_t i) {
    Name table = ReadName(t, SkipWords(t, i, {"IF", "NOT", "EXISTS"}));
    if (table.name.empty()) return;
    created_.insert(table.name);
    if (!IsSymbol(t, table.next, "(")) return;  // CREATE TABLE ... AS SELECT
    size_t close = t.size();
    for (size_t k = t.size(); k > table.next; --k) {
      if (IsSymbol(t, k - 1, ")")) {
        close = k - 1;
        break;
      }
    }
    if (close <= table.next) return;
    static const std::set<std::string_view> kTableConstraints = {
        "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"};
    for (Tokens element : SplitTopLevel(t.subspan(table.next + 1, close - table.next - 1))) {
      if (element.front().kind == Token::Kind::kWord &&
          kTableConstraints.contains(element.front().text)) {
        continue;
      }
      Name column = ReadName(element, 0);
      if (!column.name.empty()) {
        column_types_[table.name + "." + column.name] = TypeText(element, column.next);
      }
    }
  }

  void CreateIndex(Tokens t, size_t i) {
    bool concurrently = IsWord(t, i, "CONCURRENTLY");
    size_t on = i;
    while (on < t.size() && !IsWord(t, on, "ON")) ++on;
    Name table = ReadName(t, SkipWords(t, on + 1, {"ONLY"}));
    if (concurrently || table.name.empty() || !Existing(table.name)) return;
    if (dialect_ == Dialect::kMysql) {
      MysqlIndexOptions(t, t[0].line, fmt::format("CREATE INDEX on '{}'", table.name));
      return;
    }
    Flag(t[0].line, "create-index-not-concurrently",
         fmt::format("CREATE INDEX on existing table '{}' blocks writes to it while the index "
                     "builds; use CREATE INDEX CONCURRENTLY in a 'Transactional: no' revision",
                     table.name));
    LockingDdl(t[0].line, fmt::format("CREATE INDEX on '{}'", table.name));
  }

  void DropTable(Tokens t) {
    for (Tokens part : SplitTopLevel(t.subspan(SkipWords(t, 2, {"IF", "EXISTS"})))) {
      Name table = ReadName(part, 0);
      if (table.name.empty() || !Existing(table.name)) continue;
      if (auto copy = copied_into_.find(table.name); copy != copied_into_.end()) {
        // A table rebuild (what autogenerate writes for SQLite): the rows
        // were copied; the drop loses nothing if the copy takes its name.
        pending_drops_.push_back({part.front().line, statement_line_, table.name, copy->second});
        copied_into_.erase(copy);
      } else {
        FlagDropTable(part.front().line, table.name);
      }
      LockingDdl(t[0].line, fmt::format("DROP TABLE '{}'", table.name));
      std::erase_if(column_types_,
                    [&](const auto& entry) { return entry.first.starts_with(table.name + "."); });
    }
  }

  void FlagDropTable(int line, const std::string& table) {
    Flag(line, "drop-table", fmt::format("DROP TABLE '{}' destroys the table and its data", table));
  }

  // INSERT INTO new [(columns)] SELECT ... FROM old, every row (nothing after
  // the source table), into a table created in this revision: the first
  // half of a table rebuild.
  void InsertSelect(Tokens t) {
    Name target = ReadName(t, 2);
    if (target.name.empty() || Existing(target.name)) return;
    int depth = 0;
    for (size_t i = target.next; i < t.size(); ++i) {
      if (IsSymbol(t, i, "(")) ++depth;
      if (IsSymbol(t, i, ")")) --depth;
      if (depth != 0 || !IsWord(t, i, "FROM")) continue;
      Name source = ReadName(t, i + 1);
      if (!source.name.empty() && source.next == t.size()) copied_into_[source.name] = target.name;
      return;
    }
  }

  // ALTER TABLE copy RENAME TO old: the rebuild is complete.
  void RenameCompletesRebuild(const std::string& from, Tokens t, size_t i) {
    if (!IsWord(t, i, "RENAME") || !IsWord(t, i + 1, "TO")) return;
    Name to = ReadName(t, i + 2);
    std::erase_if(pending_drops_, [&](const PendingDrop& drop) {
      return drop.copy == from && drop.table == to.name;
    });
  }

  void AlterTable(Tokens t) {
    size_t i = SkipWords(t, 2, {"IF", "EXISTS"});
    if (IsWord(t, i, "ONLY")) ++i;
    Name table = ReadName(t, i);
    if (table.name.empty()) return;
    i = table.next;
    RenameCompletesRebuild(table.name, t, i);
    if (IsSymbol(t, i, "*")) ++i;
    bool existing = Existing(table.name);
    if (existing) LockingDdl(t[0].line, fmt::format("ALTER TABLE '{}'", table.name));
    for (Tokens action : SplitTopLevel(t.subspan(std::min(i, t.size())))) {
      if (dialect_ == Dialect::kMysql && existing) MysqlAction(table.name, t, action);
      if (IsWord(action, 0, "ADD")) {
        AddAction(table.name, existing, action);
      } else if (IsWord(action, 0, "DROP") && !IsWord(action, 1, "CONSTRAINT") &&
                 !IsWord(action, 1, "INDEX") && !IsWord(action, 1, "KEY") &&
                 !IsWord(action, 1, "FOREIGN") && !IsWord(action, 1, "PRIMARY") &&
                 !IsWord(action, 1, "CHECK")) {
        size_t j = SkipWords(action, IsWord(action, 1, "COLUMN") ? 2 : 1, {"IF", "EXISTS"});
        Name column = ReadName(action, j);
        if (column.name.empty()) continue;
        if (existing) {
          Flag(action[0].line, "drop-column",
               fmt::format("DROP COLUMN '{}.{}' destroys the column and its data", table.name,
                           column.name));
        }
        column_types_.erase(table.name + "." + column.name);
      } else if (IsWord(action, 0, "ALTER")) {
        AlterColumn(table.name, existing, action);
      }
    }
  }

  // MySQL's online DDL: ALTER TABLE without ALGORITHM/LOCK lets the server
  // copy the table or block writes without a word. Stating them makes it
  // refuse instead (docs/lint.md).
  void MysqlIndexOptions(Tokens statement, int line, const std::string& what) {
    std::string algorithm = MysqlOption(statement, "ALGORITHM");
    std::string lock = MysqlOption(statement, "LOCK");
    if ((algorithm == "INPLACE" || algorithm == "INSTANT") && lock == "NONE") return;
    if (algorithm == "INSTANT") return;
    Flag(line, "mysql-index-without-algorithm-lock",
         fmt::format("{} without ALGORITHM=INPLACE, LOCK=NONE may block writes to the table while "
                     "it runs; state them so the server builds it online or refuses",
                     what));
  }

  void MysqlAction(const std::string& table, Tokens statement, Tokens action) {
    const std::string algorithm = MysqlOption(statement, "ALGORITHM");
    const int line = action[0].line;
    size_t j = 1;
    if (IsWord(action, 0, "ADD")) {
      if (IsWord(action, j, "CONSTRAINT")) j = ReadName(action, j + 1).next;
      if (IsWord(action, j, "FOREIGN")) {
        if (!foreign_key_checks_off_) {
          Flag(line, "mysql-add-foreign-key",
               fmt::format("ADD FOREIGN KEY on '{}' copies the table while foreign_key_checks is "
                           "on; SET foreign_key_checks = 0 before it (and back to 1 after) to "
                           "add it in place",
                           table));
        }
        return;
      }
      if (IsWord(action, j, "UNIQUE") || IsWord(action, j, "INDEX") || IsWord(action, j, "KEY") ||
          IsWord(action, j, "FULLTEXT") || IsWord(action, j, "SPATIAL") ||
          IsWord(action, j, "PRIMARY")) {
        MysqlIndexOptions(statement, line, fmt::format("ADD INDEX on '{}'", table));
        return;
      }
      if (IsWord(action, j, "CHECK") || IsWord(action, j, "CONSTRAINT")) return;
      if (algorithm == "INSTANT") return;
      if (HasPair(action, "FIRST", "") || HasPair(action, "AFTER", "")) {
        if (IsWord(action, j, "COLUMN")) ++j;
        Name column = ReadName(action, j);
        Flag(line, "mysql-add-column-not-last",
             fmt::format("ADD COLUMN '{}.{}' FIRST/AFTER copies the table on MySQL before 8.0.29 "
                         "(and blocks writes); add it last, or state ALGORITHM=INSTANT so the "
                         "server refuses rather than copies",
                         table, column.name));
      }
    } else if (IsWord(action, 0, "MODIFY") || IsWord(action, 0, "CHANGE")) {
      if (algorithm == "INSTANT" || algorithm == "INPLACE") return;
      Name column = ReadName(action, IsWord(action, 1, "COLUMN") ? 2 : 1);
      Flag(line, "mysql-modify-column",
           fmt::format("{} COLUMN '{}.{}' copies the table and blocks writes while it runs when "
                       "the type changes; state ALGORITHM=INPLACE, LOCK=NONE (or INSTANT) so the "
                       "server refuses what it cannot do online",
                       action[0].text, table, column.name));
    } else if (IsWord(action, 0, "DROP") &&
               (IsWord(action, 1, "INDEX") || IsWord(action, 1, "KEY"))) {
      MysqlIndexOptions(statement, line, fmt::format("DROP INDEX on '{}'", table));
    }
  }

  void AddAction(const std::string& table, bool existing, Tokens action) {
    size_t j = 1;
    bool named_constraint = IsWord(action, j, "CONSTRAINT");
    if (named_constraint) j = ReadName(action, j + 1).next;
    bool not_valid = HasPair(action, "NOT", "VALID");
    if (IsWord(action, j, "FOREIGN")) {
      if (existing && !not_valid) {
        Flag(action[0].line, "add-foreign-key-without-not-valid",
             fmt::format("ADD FOREIGN KEY on '{}' scans the table under a lock that blocks "
                         "writes; add it NOT VALID, then VALIDATE CONSTRAINT separately",
                         table));
      }
      return;
    }
    if (IsWord(action, j, "CHECK")) {
      if (existing && !not_valid) {
        Flag(action[0].line, "add-check-without-not-valid",
             fmt::format("ADD CHECK on '{}' scans the table under an ACCESS EXCLUSIVE lock; add "
                         "it NOT VALID, then VALIDATE CONSTRAINT separately",
                         table));
      }
      return;
    }
    if (named_constraint || IsWord(action, j, "PRIMARY") || IsWord(action, j, "UNIQUE") ||
        IsWord(action, j, "EXCLUDE")) {
      return;
    }
    if (IsWord(action, j, "COLUMN")) ++j;
    Name column = ReadName(action, SkipWords(action, j, {"IF", "NOT", "EXISTS"}));
    if (column.name.empty()) return;
    column_types_[table + "." + column.name] = TypeText(action, column.next);
    Tokens rest = action.subspan(column.next);
    if (existing && HasPair(rest, "NOT", "NULL") && !HasPair(rest, "DEFAULT", "") &&
        !HasPair(rest, "GENERATED", "")) {
      Flag(action[0].line, "add-column-not-null-without-default",
           fmt::format("ADD COLUMN '{}.{}' NOT NULL without a DEFAULT fails on a table with rows; "
                       "add a DEFAULT, or add it nullable, backfill, then SET NOT NULL",
                       table, column.name));
    }
  }

  void AlterColumn(const std::string& table, bool existing, Tokens action) {
    size_t j = IsWord(action, 1, "COLUMN") ? 2 : 1;
    Name column = ReadName(action, j);
    if (column.name.empty()) return;
    j = column.next;
    if (IsWord(action, j, "SET") && IsWord(action, j + 1, "DATA")) j += 2;
    if (!IsWord(action, j, "TYPE")) return;
    std::string key = table + "." + column.name;
    std::string new_type = TypeText(action, j + 1);
    if (existing) {
      Flag(action[0].line, "alter-column-type",
           fmt::format("ALTER COLUMN '{}' TYPE {} may rewrite table '{}' under an ACCESS "
                       "EXCLUSIVE lock",
                       key, new_type, table));
      auto known = column_types_.find(key);
      if (known != column_types_.end() && Narrows(known->second, new_type)) {
        Flag(action[0].line, "type-narrowing",
             fmt::format("'{}' narrows from {} to {}: existing values may not fit", key,
                         known->second, new_type));
      }
    }
    column_types_[key] = new_type;
  }

  // Drops the findings a `retort:allow` comment silences.
  std::vector<Finding> Unsilenced(const std::vector<Comment>& comments) {
    std::map<int, std::set<std::string>> allowed;  // line -> rule names ("all")
    for (const Comment& comment : comments) {
      auto marker = comment.text.find(kAllowMarker);
      if (marker == std::string::npos) continue;
      std::string rest = comment.text.substr(marker + kAllowMarker.size());
      for (char& c : rest) {
        if (c == ',') c = ' ';
      }
      std::set<std::string> rules;
      size_t pos = 0;
      while (pos < rest.size()) {
        size_t start = rest.find_first_not_of(" \t\r\n", pos);
        if (start == std::string::npos) break;
        size_t end = rest.find_first_of(" \t\r\n", start);
        if (end == std::string::npos) end = rest.size();
        rules.insert(rest.substr(start, end - start));
        pos = end;
      }
      for (int line = comment.first_line; line <= comment.last_line; ++line) {
        allowed[line].insert(rules.begin(), rules.end());
      }
    }
    std::vector<Finding> kept;
    for (Raw& raw : raw_) {
      bool silenced = false;
      for (int line = raw.statement_line - 1; line <= raw.finding.line && !silenced; ++line) {
        auto found = allowed.find(line);
        silenced = found != allowed.end() &&
                   (found->second.contains(raw.finding.rule) || found->second.contains("all"));
      }
      if (!silenced) kept.push_back(std::move(raw.finding));
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Finding& a, const Finding& b) { return a.line < b.line; });
    return kept;
  }

  Dialect dialect_;
  std::map<std::string, std::string>& column_types_;
  std::set<std::string> created_;
  // Table rebuilds in progress: old table -> the new table its rows were
  // copied into; then the DROP of the old one, flagged at the end of the
  // revision unless the copy was renamed to the old name.
  struct PendingDrop {
    int line;
    int statement_line;
    std::string table;
    std::string copy;
  };
  std::map<std::string, std::string> copied_into_;
  std::vector<PendingDrop> pending_drops_;
  bool lock_timeout_set_ = false;
  bool foreign_key_checks_off_ = false;
  bool lock_timeout_reported_ = false;
  int statement_line_ = 0;
  std::vector<Raw> raw_;
};

}  // namespace

const std::vector<RuleInfo>& Rules() { return kRules; }

std::vector<Finding> Linter::LintSql(std::string_view sql, int first_line) {
  return RevisionLinter(dialect_, column_types_).Run(sql, first_line, /*transactional=*/true);
}

std::vector<Finding> Linter::Lint(const script::Script& script) {
  std::vector<Finding> findings =
      RevisionLinter(dialect_, column_types_)
          .Run(script.upgrade.sql, script.upgrade.first_line, script.transactional);
  if (!script.needs_rewrite.empty()) {
    findings.insert(findings.begin(),
                    Finding{"",
                            {},
                            1,
                            "needs-rewrite",
                            "imported without SQL (" + script.needs_rewrite +
                                "): write its SQL, then delete the 'Needs Rewrite' line"});
  }
  for (Finding& finding : findings) {
    finding.revision = script.revision.id;
    finding.file = script.path;
  }
  return findings;
}

}  // namespace retort::lint
