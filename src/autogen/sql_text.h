#ifndef RETORT_AUTOGEN_SQL_TEXT_H_
#define RETORT_AUTOGEN_SQL_TEXT_H_

// Small lexical helpers over SQL text shared by Compare and the PostgreSQL
// renderer. They know tokens, not grammar: enough to find the names a
// definition mentions and to quote a name the way PostgreSQL's
// quote_ident does.

#include <map>
#include <set>
#include <string>

namespace retort::autogen {

// Identifier tokens of `sql`, string literals skipped: unquoted words
// lower-cased, "quoted" ones as written.
std::set<std::string> Identifiers(const std::string& sql);

// `sql` with every identifier token that `renames` maps replaced by its new
// name (quoted when needed); string literals are left alone.
std::string RenameIdentifiers(const std::string& sql,
                              const std::map<std::string, std::string>& renames);

// `name` as PostgreSQL writes it: bare when it is a lower-case identifier
// and not a reserved word, else double-quoted. "schema.name" quotes each
// part.
std::string QuoteName(const std::string& name);

// `text` as a single-quoted SQL string literal.
std::string QuoteLiteral(const std::string& text);

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_SQL_TEXT_H_
