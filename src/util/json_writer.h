#ifndef RETORT_UTIL_JSON_WRITER_H_
#define RETORT_UTIL_JSON_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace retort::util {

// "text" as a JSON string literal: quotes, backslashes and control
// characters escaped (\n, \t, \u001f, ...); other bytes (UTF-8) as they are.
std::string JsonQuote(std::string_view text);

// Writes one JSON document compactly, in call order; commas are its
// business. Misuse (a value where a key is due) is the caller's bug and is
// not checked. Example:
//   JsonWriter w; w.BeginObject(); w.Key("ok"); w.Bool(true); w.EndObject();
//   w.str() == R"({"ok":true})"
class JsonWriter {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Number(long long value);
  void Bool(bool value);
  void Null();

  const std::string& str() const { return out_; }

 private:
  // Before a value or key: a comma unless it is the first in its container.
  void Separate();

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace retort::util

#endif  // RETORT_UTIL_JSON_WRITER_H_
