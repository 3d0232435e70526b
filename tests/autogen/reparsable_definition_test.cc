// ReparsableDefinition: the rewrite of PostgreSQL's deparsed varchar IN
// lists (the server side of it is in postgres_roundtrip_test.cc, which
// checks that the rewritten text loads to the declared definition).
#include <gtest/gtest.h>

#include "autogen/sql_text.h"

namespace retort::autogen {
namespace {

TEST(ReparsableDefinitionTest, PrettyInListOnVarchar) {
  EXPECT_EQ(ReparsableDefinition("CHECK (status::text = ANY (ARRAY['new'::character varying, "
                                 "'open'::character varying]::text[]))"),
            "CHECK (status = ANY (ARRAY['new'::character varying, 'open'::character varying]))");
  EXPECT_EQ(ReparsableDefinition("CHECK (s::character varying(5)::text <> ALL (ARRAY['it''s'::"
                                 "character varying, NULL::character varying]::text[]))"),
            "CHECK (s::character varying(5) <> ALL (ARRAY['it''s'::character varying, "
            "NULL::character varying]))");
}

TEST(ReparsableDefinitionTest, ElementsThatAreNotPlainLiterals) {
  EXPECT_EQ(ReparsableDefinition("CHECK (s::text = ANY (ARRAY['a'::text::character varying, "
                                 "(k)::character varying(3)::character varying, "
                                 "f(x, ARRAY[1])::character varying]::text[]))"),
            "CHECK (s = ANY (ARRAY['a'::text::character varying, "
            "(k)::character varying(3)::character varying, f(x, ARRAY[1])::character varying]))");
  EXPECT_EQ(
      ReparsableDefinition("CHECK (s::text = ANY (ARRAY[k, 'a'::character varying]::text[]))"),
      "CHECK (s::text = ANY (ARRAY[k, 'a'::character varying]::text[]))");
}

TEST(ReparsableDefinitionTest, NonPrettyIndexPredicate) {
  EXPECT_EQ(ReparsableDefinition("USING btree (id) WHERE ((status)::text = ANY ((ARRAY['a'::"
                                 "character varying, 'b'::character varying])::text[]))"),
            "USING btree (id) WHERE ((status) = ANY ((ARRAY['a'::character varying, "
            "'b'::character varying])))");
}

TEST(ReparsableDefinitionTest, SeveralInOneViewBody) {
  EXPECT_EQ(ReparsableDefinition(
                "SELECT id FROM t WHERE (t.a::text = ANY (ARRAY['x'::character varying]::text[])) "
                "AND (t.b::text <> ALL (ARRAY['y'::character varying]::text[]));"),
            "SELECT id FROM t WHERE (t.a = ANY (ARRAY['x'::character varying])) "
            "AND (t.b <> ALL (ARRAY['y'::character varying]));");
}

TEST(ReparsableDefinitionTest, LeavesTextThatRoundTripsAlone) {
  for (const char* text : {
           "CHECK (status::text = ANY (ARRAY['a'::text, 'b'::text]))",
           "CHECK (status::text = ANY ('{a,b}'::text[]))",
           "CHECK (ch = ANY (ARRAY['abc'::bpchar, 'de'::bpchar]))",
           "CHECK (n::text = ANY (ARRAY['a'::character varying(3), 'b'::character "
           "varying(3)]::text[]))",
           "CHECK (name <> 'x'::character varying(3)::text)",
           // Inside a string literal or a quoted name it is not SQL.
           "CHECK (note <> 'x::text = ANY (ARRAY[''a''::character varying]::text[])')",
           "SELECT 1 AS \"ARRAY['a'::character varying]::text[]\"",
           "CHECK (s::text = ANY (ARRAY['a'::character varying, 'b'::character varying]))",
       }) {
    EXPECT_EQ(ReparsableDefinition(text), text);
  }
}

}  // namespace
}  // namespace retort::autogen
