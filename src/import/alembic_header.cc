// Reads an Alembic revision's header with a small Python tokenizer: enough of
// Python's lexical rules (strings of every quoting, comments, brackets, line
// continuations) to find the module docstring and the top-level header
// assignments without being fooled by a `revision = ...` inside a string or
// a function body.
#include "import/alembic_header.h"

#include <fmt/format.h>

#include <optional>
#include <variant>

#include "retort/error.h"
#include "util/strings.h"

namespace retort::import {
namespace {

struct Token {
  enum Kind { kName, kString, kOp, kNewline, kOther, kEnd } kind = kEnd;
  std::string text;  // name, decoded string value, or the operator character
  int line = 0;
  bool line_start = false;  // first token of a logical line
  int column = 0;           // of a line_start token: its indentation
};

class Tokenizer {
 public:
  Tokenizer(const std::filesystem::path& path, std::string_view text) : path_(path), s_(text) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    bool line_start = true;
    int depth = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        ++i_;
        ++line_;
        line_begin_ = i_;
        if (depth == 0 && !line_start) {
          tokens.push_back({Token::kNewline, "", line_ - 1, false, 0});
          line_start = true;
        }
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++i_;
        continue;
      }
      if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        continue;
      }
      if (c == '\\' && i_ + 1 < s_.size() && (s_[i_ + 1] == '\n' || s_[i_ + 1] == '\r')) {
        i_ += (s_[i_ + 1] == '\r' && i_ + 2 < s_.size() && s_[i_ + 2] == '\n') ? 3 : 2;
        ++line_;
        line_begin_ = i_;
        continue;
      }
      Token token;
      token.line = line_;
      token.line_start = line_start;
      token.column = static_cast<int>(i_ - line_begin_);
      line_start = false;
      if (IsNameStart(c)) {
        size_t start = i_;
        while (i_ < s_.size() && IsNameChar(s_[i_])) ++i_;
        std::string_view word = s_.substr(start, i_ - start);
        if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'') && IsStringPrefix(word)) {
          token.kind = Token::kString;
          token.text = ReadString(word);
        } else {
          token.kind = Token::kName;
          token.text = std::string(word);
        }
      } else if (c == '"' || c == '\'') {
        token.kind = Token::kString;
        token.text = ReadString("");
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
        token.kind = Token::kOp;
        token.text = std::string(1, c);
        ++i_;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth > 0) --depth;
        token.kind = Token::kOp;
        token.text = std::string(1, c);
        ++i_;
      } else if (c == '=' || c == ',' || c == ':') {
        token.kind = Token::kOp;
        token.text = std::string(1, c);
        ++i_;
        // "==", ":=" and friends are not the assignment we look for.
        if (i_ < s_.size() && s_[i_] == '=') {
          token.kind = Token::kOther;
          ++i_;
        }
      } else {
        token.kind = Token::kOther;
        token.text = std::string(1, c);
        ++i_;
      }
      tokens.push_back(std::move(token));
    }
    tokens.push_back({Token::kNewline, "", line_, false, 0});
    tokens.push_back({Token::kEnd, "", line_, false, 0});
    return tokens;
  }

 private:
  static bool IsNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
  static bool IsStringPrefix(std::string_view word) {
    if (word.size() > 2) return false;
    for (char c : word) {
      if (std::string_view("rRbBuUfF").find(c) == std::string_view::npos) return false;
    }
    return true;
  }

  // At the opening quote; `prefix` as written (r, b, u, f, combinations).
  std::string ReadString(std::string_view prefix) {
    const bool raw = prefix.find_first_of("rR") != std::string_view::npos;
    const int start_line = line_;
    const char quote = s_[i_];
    const bool triple = s_.substr(i_, 3) == std::string(3, quote);
    i_ += triple ? 3 : 1;
    std::string value;
    while (true) {
      if (i_ >= s_.size()) {
        throw Error(fmt::format("{}:{}: unterminated string", path_.string(), start_line));
      }
      char c = s_[i_];
      if (c == quote && (!triple || s_.substr(i_, 3) == std::string(3, quote))) {
        i_ += triple ? 3 : 1;
        return value;
      }
      if (c == '\n') {
        if (!triple) {
          throw Error(fmt::format("{}:{}: unterminated string", path_.string(), start_line));
        }
        ++line_;
        line_begin_ = i_ + 1;
      }
      if (c == '\\' && i_ + 1 < s_.size()) {
        char next = s_[i_ + 1];
        i_ += 2;
        if (next == '\n') {
          ++line_;
          line_begin_ = i_;
          if (raw) value += "\\\n";
          continue;
        }
        if (raw) {
          value += '\\';
          value += next;
          continue;
        }
        switch (next) {
          case 'n':
            value += '\n';
            break;
          case 't':
            value += '\t';
            break;
          case 'r':
            value += '\r';
            break;
          case '\\':
            value += '\\';
            break;
          case '\'':
            value += '\'';
            break;
          case '"':
            value += '"';
            break;
          default:
            value += '\\';
            value += next;
        }
        continue;
      }
      value += c;
      ++i_;
    }
  }

  const std::filesystem::path& path_;
  std::string_view s_;
  size_t i_ = 0;
  size_t line_begin_ = 0;
  int line_ = 1;
};

// A header value: None, a string, or a sequence of values.
struct Value {
  enum Kind { kNone, kString, kSequence } kind = kNone;
  std::string text;
  std::vector<Value> items;
};

class HeaderParser {
 public:
  HeaderParser(const std::filesystem::path& path, std::vector<Token> tokens)
      : path_(path), tokens_(std::move(tokens)) {}

  AlembicHeader Parse() {
    AlembicHeader header;
    std::optional<Value> revision, down_revision, branch_labels, depends_on;
    int revision_line = 0, down_line = 0;
    bool first_statement = true;
    while (tokens_[pos_].kind != Token::kEnd) {
      const Token& token = tokens_[pos_];
      if (token.kind == Token::kNewline) {
        ++pos_;
        continue;
      }
      const bool top_level = token.line_start && token.column == 0;
      if (first_statement && token.kind == Token::kString) {
        // The module docstring: a statement made of string literals only.
        std::string doc;
        size_t at = pos_;
        while (tokens_[at].kind == Token::kString) doc += tokens_[at++].text;
        if (tokens_[at].kind == Token::kNewline) {
          header.longdoc = std::string(util::Trim(doc));
          pos_ = at;
          first_statement = false;
          continue;
        }
      }
      first_statement = false;
      if (top_level && token.kind == Token::kName) {
        std::optional<Value>* target = nullptr;
        if (token.text == "revision") target = &revision;
        if (token.text == "down_revision") target = &down_revision;
        if (token.text == "branch_labels") target = &branch_labels;
        if (token.text == "depends_on") target = &depends_on;
        if (target != nullptr && Assignment(*target, token.text, token.line)) {
          if (target == &revision) revision_line = token.line;
          if (target == &down_revision) down_line = token.line;
          continue;
        }
      }
      SkipStatement();
    }

    if (revision) {
      if (revision->kind != Value::kString) {
        Fail(revision_line, "'revision' is not a string");
      }
      header.revision = revision->text;
    } else {
      // Alembic 0.1's convention: the id is the file name.
      std::string stem = path_.stem().string();
      if (!stem.empty() && path_.extension() == ".py" &&
          stem.find_first_not_of("0123456789abcdef") == std::string::npos) {
        header.revision = stem;
      } else {
        Fail(1, "no 'revision = ...' assignment (Alembic reads the revision id from it)");
      }
    }
    CheckId(header.revision, revision_line);
    if (!down_revision) Fail(1, "no 'down_revision = ...' assignment");
    header.down_revisions = Strings(*down_revision, "down_revision", down_line);
    for (const std::string& id : header.down_revisions) CheckId(id, down_line);
    if (branch_labels) {
      header.branch_labels = Strings(*branch_labels, "branch_labels", labels_line_);
      for (const std::string& label : header.branch_labels) CheckLabel(label, labels_line_);
    }
    if (depends_on) {
      header.depends_on = Strings(*depends_on, "depends_on", depends_line_);
      for (const std::string& item : header.depends_on) CheckLabel(item, depends_line_);
    }

    size_t paragraph_end = header.longdoc.find("\n\n");
    header.message = header.longdoc.substr(0, paragraph_end);
    for (const std::string& line : util::Split(header.longdoc, '\n')) {
      std::string_view text = util::Trim(line);
      constexpr std::string_view kCreateDate = "Create Date:";
      if (text.substr(0, kCreateDate.size()) == kCreateDate) {
        header.create_date = std::string(util::Trim(text.substr(kCreateDate.size())));
        break;
      }
    }
    return header;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& what) const {
    throw Error(fmt::format("{}:{}: {}", path_.string(), line, what));
  }

  void SkipStatement() {
    while (tokens_[pos_].kind != Token::kNewline && tokens_[pos_].kind != Token::kEnd) ++pos_;
  }

  // At NAME; returns false when this is not an assignment (an annotation
  // alone, a comparison, a call...). Python's last assignment wins.
  bool Assignment(std::optional<Value>& target, const std::string& name, int line) {
    size_t at = pos_ + 1;
    if (tokens_[at].kind == Token::kOp && tokens_[at].text == ":") {
      // A type annotation: skip to the '=' (or the end: no value).
      int depth = 0;
      ++at;
      while (tokens_[at].kind != Token::kNewline && tokens_[at].kind != Token::kEnd) {
        const Token& t = tokens_[at];
        if (t.kind == Token::kOp && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
        if (t.kind == Token::kOp && (t.text == ")" || t.text == "]" || t.text == "}")) --depth;
        if (depth == 0 && t.kind == Token::kOp && t.text == "=") break;
        ++at;
      }
    }
    if (tokens_[at].kind != Token::kOp || tokens_[at].text != "=") return false;
    pos_ = at + 1;
    Value value = Expression(name, line);
    if (tokens_[pos_].kind != Token::kNewline) NotLiteral(name, line);
    target = std::move(value);
    if (name == "branch_labels") labels_line_ = line;
    if (name == "depends_on") depends_line_ = line;
    return true;
  }

  [[noreturn]] void NotLiteral(const std::string& name, int line) const {
    Fail(line, fmt::format("'{}' is not a literal retort can read without running the file "
                           "(a string, None, or a tuple or list of strings)",
                           name));
  }

  bool AtOp(std::string_view op) const {
    return tokens_[pos_].kind == Token::kOp && tokens_[pos_].text == op;
  }

  // expression := atom (',' atom)* [','] -- several make a tuple.
  Value Expression(const std::string& name, int line) {
    Value first = Atom(name, line);
    if (!AtOp(",")) return first;
    Value tuple;
    tuple.kind = Value::kSequence;
    tuple.items.push_back(std::move(first));
    while (AtOp(",")) {
      ++pos_;
      if (tokens_[pos_].kind == Token::kNewline || AtOp(")") || AtOp("]") || AtOp("}")) break;
      tuple.items.push_back(Atom(name, line));
    }
    return tuple;
  }

  Value Atom(const std::string& name, int line) {
    const Token& token = tokens_[pos_];
    Value value;
    if (token.kind == Token::kString) {
      value.kind = Value::kString;
      while (tokens_[pos_].kind == Token::kString) value.text += tokens_[pos_++].text;
      return value;
    }
    if (token.kind == Token::kName && token.text == "None") {
      ++pos_;
      return value;
    }
    if (token.kind == Token::kOp && (token.text == "(" || token.text == "[" || token.text == "{")) {
      const std::string close = token.text == "(" ? ")" : token.text == "[" ? "]" : "}";
      const bool parenthesis = token.text == "(";
      ++pos_;
      value.kind = Value::kSequence;
      if (AtOp(close)) {
        ++pos_;
        return value;
      }
      Value inner = Expression(name, line);
      if (!AtOp(close)) NotLiteral(name, line);
      ++pos_;
      // "(x)" is x; "(x,)" and "[x]" are sequences.
      if (parenthesis) return inner;
      if (inner.kind == Value::kSequence) {
        value.items = std::move(inner.items);
      } else {
        value.items.push_back(std::move(inner));
      }
      return value;
    }
    NotLiteral(name, line);
  }

  std::vector<std::string> Strings(const Value& value, const std::string& name, int line) const {
    std::vector<std::string> out;
    if (value.kind == Value::kNone) return out;
    if (value.kind == Value::kString) {
      out.push_back(value.text);
      return out;
    }
    for (const Value& item : value.items) {
      if (item.kind != Value::kString) NotLiteral(name, line);
      out.push_back(item.text);
    }
    return out;
  }

  void CheckId(const std::string& id, int line) const {
    if (!util::IsWordString(id)) {
      Fail(line, fmt::format("revision id '{}' has characters retort does not allow in ids ('{}'; "
                             "ids are [A-Za-z0-9_]+)",
                             id, util::NonWordCharacters(id)));
    }
  }

  void CheckLabel(const std::string& label, int line) const {
    bool ok = !label.empty();
    for (char c : label) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-');
    }
    if (!ok) {
      Fail(line, fmt::format("name '{}' has characters retort does not allow (names are "
                             "[A-Za-z0-9_.-]+)",
                             label));
    }
  }

  const std::filesystem::path& path_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int labels_line_ = 0;
  int depends_line_ = 0;
};

}  // namespace

AlembicHeader ReadAlembicHeader(const std::filesystem::path& path, std::string_view content) {
  return HeaderParser(path, Tokenizer(path, content).Run()).Parse();
}

}  // namespace retort::import
