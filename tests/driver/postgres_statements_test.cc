// The PostgreSQL statement splitter, table-driven: each case is a script and
// the statements it must split into, as text, so a failure shows both.
#include "driver/postgres_statements.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::driver {
namespace {

struct SplitCase {
  std::string name;
  std::string sql;
  std::vector<std::string> statements;
};

void PrintTo(const SplitCase& c, std::ostream* out) { *out << c.name; }

std::vector<std::string> Split(const std::string& sql) {
  std::vector<std::string> out;
  for (const StatementSpan& span : SplitPostgresStatements(sql)) {
    out.push_back(sql.substr(span.offset, span.length));
  }
  return out;
}

class SplitTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitTest, SplitsAsPsqlWould) {
  EXPECT_EQ(Split(GetParam().sql), GetParam().statements) << GetParam().sql;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SplitTest,
    ::testing::Values(
        SplitCase{"Empty", "", {}},
        SplitCase{"OnlyCommentsAndSemicolons", " -- a\n/* b */ ;\n;", {}},
        SplitCase{"TwoStatements", "SELECT 1; SELECT 2;", {"SELECT 1", "SELECT 2"}},
        SplitCase{"LastWithoutSemicolon", "SELECT 1;\nSELECT 2", {"SELECT 1", "SELECT 2"}},
        SplitCase{"SemicolonInString", "SELECT 'a;b'; SELECT 2", {"SELECT 'a;b'", "SELECT 2"}},
        SplitCase{
            "DoubledQuoteInString", "SELECT 'it''s;'; SELECT 2", {"SELECT 'it''s;'", "SELECT 2"}},
        SplitCase{"BackslashIsLiteralInStandardStrings",
                  "SELECT 'a\\'; SELECT 2",
                  {"SELECT 'a\\'", "SELECT 2"}},
        SplitCase{"EStringBackslashEscape",
                  "SELECT E'a\\';b'; SELECT 2",
                  {"SELECT E'a\\';b'", "SELECT 2"}},
        SplitCase{"LowercaseEString", "SELECT e'\\'';", {"SELECT e'\\''"}},
        SplitCase{"IdentifierEndingInEIsNotAnEString",
                  "SELECT name'x'; SELECT 2",
                  {"SELECT name'x'", "SELECT 2"}},
        SplitCase{"QuotedIdentifier",
                  "CREATE TABLE \"a;b\" (\"c\"\"d;\" int); SELECT 2",
                  {"CREATE TABLE \"a;b\" (\"c\"\"d;\" int)", "SELECT 2"}},
        SplitCase{"DollarQuote",
                  "DO $$ BEGIN PERFORM 1; END $$; SELECT 2",
                  {"DO $$ BEGIN PERFORM 1; END $$", "SELECT 2"}},
        SplitCase{"TaggedDollarQuoteWithInnerDollars",
                  "SELECT $fn$ a; $$ b; $x$ $fn$; SELECT 2",
                  {"SELECT $fn$ a; $$ b; $x$ $fn$", "SELECT 2"}},
        SplitCase{"ParameterIsNotADollarQuote", "SELECT $1; SELECT $2", {"SELECT $1", "SELECT $2"}},
        SplitCase{"DollarInsideIdentifier", "SELECT a$b$; SELECT 2", {"SELECT a$b$", "SELECT 2"}},
        SplitCase{"LineComment",
                  "SELECT 1 -- ; not here\n; SELECT 2",
                  {"SELECT 1 -- ; not here\n", "SELECT 2"}},
        SplitCase{"NestedBlockComment",
                  "SELECT 1 /* a /* b; */ c; */; SELECT 2",
                  {"SELECT 1 /* a /* b; */ c; */", "SELECT 2"}},
        SplitCase{"OffsetSkipsLeadingComments", "-- head\n  /* x */ SELECT 1;", {"SELECT 1"}},
        SplitCase{"BeginAtomicBody",
                  "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT "
                  "CASE WHEN true THEN 1 END; END; SELECT 2",
                  {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT "
                   "CASE WHEN true THEN 1 END; END",
                   "SELECT 2"}},
        SplitCase{"CreateOrReplaceProcedureBody",
                  "create or replace procedure p() language sql begin atomic insert into t "
                  "values (1); end; call p()",
                  {"create or replace procedure p() language sql begin atomic insert into t "
                   "values (1); end",
                   "call p()"}},
        SplitCase{
            "TransactionBeginIsNotABody", "BEGIN; SELECT 1; END;", {"BEGIN", "SELECT 1", "END"}},
        SplitCase{"CaseOutsideABodyDoesNotNest",
                  "SELECT CASE WHEN x THEN 1 END; SELECT 2",
                  {"SELECT CASE WHEN x THEN 1 END", "SELECT 2"}},
        SplitCase{"SemicolonInParentheses",
                  "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; "
                  "SELECT 2); SELECT 3",
                  {"CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)", "SELECT 3"}},
        SplitCase{"UnterminatedStringRunsToTheEnd",
                  "SELECT 1; SELECT 'oops; SELECT 2",
                  {"SELECT 1", "SELECT 'oops; SELECT 2"}},
        SplitCase{"UnterminatedDollarQuoteRunsToTheEnd", "SELECT $$ a; b", {"SELECT $$ a; b"}}),
    [](const ::testing::TestParamInfo<SplitCase>& info) { return info.param.name; });

TEST(SplitOffsetTest, OffsetsPointAtTheFirstSignificantCharacter) {
  const std::string sql = "SELECT 1;\n-- comment\n  /* c */ INSERT INTO t VALUES (1);  \n";
  auto spans = SplitPostgresStatements(sql);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].offset, 0u);
  EXPECT_EQ(spans[1].offset, sql.find("INSERT"));
  EXPECT_EQ(sql.substr(spans[1].offset, spans[1].length), "INSERT INTO t VALUES (1)");
}

}  // namespace
}  // namespace retort::driver
