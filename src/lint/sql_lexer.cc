#include "lint/sql_lexer.h"

#include <cctype>

namespace retort::lint {

namespace {

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view sql, int first_line) : sql_(sql), line_(first_line) {}

  LexedSql Run() {
    while (pos_ < sql_.size()) Step();
    EndStatement();
    return std::move(result_);
  }

 private:
  char At(size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }

  // Advances to `end`, counting the newlines passed.
  void AdvanceTo(size_t end) {
    if (end > sql_.size()) end = sql_.size();
    for (; pos_ < end; ++pos_) {
      if (sql_[pos_] == '\n') ++line_;
    }
  }

  void Emit(Token::Kind kind, std::string text, size_t start, int line) {
    current_.tokens.push_back(
        {kind, std::move(text), std::string(sql_.substr(start, pos_ - start)), line});
  }

  void EndStatement() {
    if (!current_.tokens.empty()) result_.statements.push_back(std::move(current_));
    current_ = Statement{};
  }

  // Quoted text from `open` (the quote's index) to the matching `quote`;
  // a doubled quote is an escaped one. Returns the unescaped content.
  std::string Quoted(size_t open, char quote, bool backslash_escapes) {
    std::string content;
    size_t i = open + 1;
    while (i < sql_.size()) {
      char c = sql_[i];
      if (backslash_escapes && c == '\\' && i + 1 < sql_.size()) {
        content += sql_[i + 1];
        i += 2;
        continue;
      }
      if (c == quote) {
        if (At(i + 1) == quote) {
          content += quote;
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      content += c;
      ++i;
    }
    AdvanceTo(i);
    return content;
  }

  void Step() {
    const size_t start = pos_;
    const int line = line_;
    char c = sql_[pos_];
    if (std::isspace(static_cast<unsigned char>(c))) {
      AdvanceTo(pos_ + 1);
    } else if (c == '-' && At(pos_ + 1) == '-') {
      size_t end = sql_.find('\n', pos_);
      if (end == std::string_view::npos) end = sql_.size();
      result_.comments.push_back({std::string(sql_.substr(pos_ + 2, end - pos_ - 2)), line, line});
      AdvanceTo(end);
    } else if (c == '/' && At(pos_ + 1) == '*') {
      int depth = 0;
      size_t i = pos_;
      while (i < sql_.size()) {
        if (sql_[i] == '/' && At(i + 1) == '*') {
          ++depth;
          i += 2;
        } else if (sql_[i] == '*' && At(i + 1) == '/') {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      size_t text_end = depth == 0 ? i - 2 : i;
      std::string text(sql_.substr(pos_ + 2, text_end > pos_ + 2 ? text_end - pos_ - 2 : 0));
      AdvanceTo(i);
      result_.comments.push_back({std::move(text), line, line_});
    } else if (c == '\'') {
      std::string text = Quoted(pos_, '\'', false);
      Emit(Token::Kind::kString, std::move(text), start, line);
    } else if ((c == 'E' || c == 'e') && At(pos_ + 1) == '\'') {
      std::string text = Quoted(pos_ + 1, '\'', true);
      Emit(Token::Kind::kString, std::move(text), start, line);
    } else if (c == '"') {
      std::string text = Quoted(pos_, '"', false);
      Emit(Token::Kind::kQuotedIdentifier, std::move(text), start, line);
    } else if (c == '`') {
      // MySQL's (and SQLite's) `quoted identifier`.
      std::string text = Quoted(pos_, '`', false);
      Emit(Token::Kind::kQuotedIdentifier, std::move(text), start, line);
    } else if (c == '$' && DollarQuote()) {
      Emit(Token::Kind::kString, dollar_body_, start, line);
    } else if (IsWordStart(c)) {
      size_t end = pos_;
      while (end < sql_.size() && IsWordChar(sql_[end])) ++end;
      AdvanceTo(end);
      Emit(Token::Kind::kWord, Upper(sql_.substr(start, end - start)), start, line);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t end = pos_;
      while (end < sql_.size() &&
             (std::isalnum(static_cast<unsigned char>(sql_[end])) || sql_[end] == '.')) {
        ++end;
      }
      AdvanceTo(end);
      Emit(Token::Kind::kNumber, std::string(sql_.substr(start, end - start)), start, line);
    } else if (c == ';') {
      AdvanceTo(pos_ + 1);
      EndStatement();
    } else {
      AdvanceTo(pos_ + 1);
      Emit(Token::Kind::kSymbol, std::string(1, c), start, line);
    }
  }

  // At a '$': if it opens $tag$...$tag$ (tag: a word or empty), consumes
  // the whole quote into dollar_body_ and returns true.
  bool DollarQuote() {
    size_t i = pos_ + 1;
    while (i < sql_.size() && IsWordChar(sql_[i]) && sql_[i] != '$') ++i;
    if (At(i) != '$') return false;
    if (i > pos_ + 1 && std::isdigit(static_cast<unsigned char>(sql_[pos_ + 1]))) return false;
    std::string_view tag = sql_.substr(pos_, i + 1 - pos_);
    size_t close = sql_.find(tag, i + 1);
    size_t body_end = close == std::string_view::npos ? sql_.size() : close;
    dollar_body_ = std::string(sql_.substr(i + 1, body_end - i - 1));
    AdvanceTo(close == std::string_view::npos ? sql_.size() : close + tag.size());
    return true;
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int line_;
  Statement current_;
  LexedSql result_;
  std::string dollar_body_;
};

}  // namespace

LexedSql Lex(std::string_view sql, int first_line) { return Lexer(sql, first_line).Run(); }

}  // namespace retort::lint
