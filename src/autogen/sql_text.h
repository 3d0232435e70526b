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

// A PostgreSQL deparsed definition (pg_get_constraintdef, pg_get_viewdef,
// pg_get_indexdef, pretty or not) rewritten where the server's own text
// does not parse back to the same expression: `v IN ('a', 'b')` on a
// varchar (or varchar domain) column deparses as
//   v::text = ANY (ARRAY['a'::character varying, ...]::text[])
// which parses back with each element cast (ARRAY['a'::character
// varying::text, ...]), a different definition. Written as
//   v = ANY (ARRAY['a'::character varying, ...])
// it parses to the declared expression exactly (the same for `<> ALL`
// and for the non-pretty `(v)::text = ANY ((ARRAY[...])::text[])`).
// Anything else comes back unchanged.
std::string ReparsableDefinition(const std::string& sql);

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_SQL_TEXT_H_
