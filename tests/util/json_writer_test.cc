#include "util/json_writer.h"

#include <gtest/gtest.h>

namespace retort::util {
namespace {

TEST(JsonQuoteTest, EscapesWhatJsonRequires) {
  struct Case {
    const char* text;
    const char* quoted;
  };
  const Case cases[] = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {"say \"hi\"", R"("say \"hi\"")"},
      {"C:\\dir", R"("C:\\dir")"},
      {"a\nb\tc\r", R"("a\nb\tc\r")"},
      {"\x01\x1f", R"("\u0001\u001f")"},
      {"\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\""},
  };
  for (const Case& c : cases) EXPECT_EQ(JsonQuote(c.text), c.quoted) << c.text;
}

TEST(JsonWriterTest, NestsWithCommas) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a");
  w.Number(1);
  w.Key("b");
  w.BeginArray();
  w.String("x");
  w.Bool(false);
  w.Null();
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  w.Key("c");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",false,null,{}],"c":[]})");
}

}  // namespace
}  // namespace retort::util
