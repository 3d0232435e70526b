#include "lint/transaction_control.h"

namespace retort::lint {
namespace {

bool IsWord(const std::vector<Token>& t, size_t i, std::string_view word) {
  return i < t.size() && t[i].kind == Token::Kind::kWord && t[i].text == word;
}

// CREATE TRIGGER ... BEGIN ...; END and CREATE FUNCTION ... BEGIN ATOMIC
// ...; END: the lexer ends a statement at every ';', so the body's
// statements and its closing END arrive as statements of their own.
bool OpensBody(const std::vector<Token>& t) {
  if (!IsWord(t, 0, "CREATE")) return false;
  for (size_t i = 1; i < t.size(); ++i) {
    if (IsWord(t, i, "BEGIN")) return true;
  }
  return false;
}

// The statement's transaction-control words, or "" for any other statement.
std::string Control(const std::vector<Token>& t) {
  if (t.empty() || t[0].kind != Token::Kind::kWord) return "";
  const std::string& first = t[0].text;
  if (first == "BEGIN" || first == "COMMIT" || first == "END" || first == "ABORT") return first;
  if (first == "ROLLBACK") {
    // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name stays inside.
    size_t i = IsWord(t, 1, "WORK") || IsWord(t, 1, "TRANSACTION") ? 2 : 1;
    return IsWord(t, i, "TO") ? "" : first;
  }
  if ((first == "START" || first == "PREPARE") && IsWord(t, 1, "TRANSACTION")) {
    return first + " TRANSACTION";
  }
  return "";
}

}  // namespace

std::vector<TransactionControl> FindTransactionControl(const std::vector<Statement>& statements) {
  std::vector<TransactionControl> found;
  bool in_body = false;
  for (const Statement& statement : statements) {
    const std::vector<Token>& t = statement.tokens;
    if (in_body) {
      if (IsWord(t, 0, "END")) in_body = false;
      continue;
    }
    if (OpensBody(t)) {
      in_body = true;
      // An empty body closes within the statement: BEGIN ATOMIC END.
      size_t n = t.size();
      if (n >= 2 && IsWord(t, n - 1, "END") &&
          (IsWord(t, n - 2, "BEGIN") || IsWord(t, n - 2, "ATOMIC"))) {
        in_body = false;
      }
      continue;
    }
    if (std::string control = Control(t); !control.empty()) {
      found.push_back({statement.line(), std::move(control)});
    }
  }
  return found;
}

namespace {

// Whether `sql` holds `word` (lower case) anywhere, in any case. Every
// statement `upgrade` runs is checked before the run: most hold none of the
// words a transaction-control statement starts with, and need no lexing.
bool MayHoldWord(std::string_view sql, std::string_view word) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i + word.size() <= sql.size(); ++i) {
    if (lower(sql[i]) != word[0]) continue;
    std::size_t k = 1;
    while (k < word.size() && lower(sql[i + k]) == word[k]) ++k;
    if (k == word.size()) return true;
  }
  return false;
}

}  // namespace

std::vector<TransactionControl> FindTransactionControl(std::string_view sql, int first_line) {
  // Control() only reports statements whose first word is one of these.
  constexpr std::string_view kFirstWords[] = {"begin",    "commit", "end",    "abort",
                                              "rollback", "start",  "prepare"};
  bool possible = false;
  for (std::string_view word : kFirstWords) possible = possible || MayHoldWord(sql, word);
  if (!possible) return {};
  return FindTransactionControl(Lex(sql, first_line).statements);
}

}  // namespace retort::lint
