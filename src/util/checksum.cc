#include "util/checksum.h"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace retort::util {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsTagChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The dollar-quote tag starting at `pos` ("$$" or "$name$"), or empty when
// `pos` does not start one. A tag may not start with a digit: "$1" is a
// parameter, not a quote.
std::string_view DollarTag(std::string_view sql, std::size_t pos) {
  std::size_t end = pos + 1;
  if (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') return {};
  while (end < sql.size() && IsTagChar(sql[end]) && sql[end] != '$') ++end;
  if (end < sql.size() && sql[end] == '$') return sql.substr(pos, end - pos + 1);
  return {};
}

}  // namespace

std::string NormalizeSql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool pending_space = false;
  // Whitespace and comments become one pending space, written only before
  // the next kept character, so none is left at either end.
  auto keep = [&](std::string_view text) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += text;
  };
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (IsSpace(c)) {
      pending_space = true;
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end;
      pending_space = true;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
      pending_space = true;
    } else if (c == '\'' || c == '"' || c == '`') {
      // A quoted run ends at the next lone quote; a doubled quote is part of
      // it. E'...' strings let a backslash escape the quote too.
      bool backslash_escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e');
      std::size_t end = i + 1;
      while (end < sql.size()) {
        if (backslash_escapes && sql[end] == '\\') {
          end += 2;
          continue;
        }
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      end = std::min(end + 1, sql.size());
      keep(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && !DollarTag(sql, i).empty()) {
      std::string_view tag = DollarTag(sql, i);
      std::size_t close = sql.find(tag, i + tag.size());
      std::size_t end = close == std::string_view::npos ? sql.size() : close + tag.size();
      keep(sql.substr(i, end - i));
      i = end;
    } else {
      keep(sql.substr(i, 1));
      ++i;
    }
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    // Only an OpenSSL built without SHA-256 gets here.
    throw std::runtime_error("SHA-256 is not available from libcrypto");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string SqlChecksum(std::string_view upgrade_sql, std::string_view downgrade_sql) {
  // Section names delimit the two texts: moving a statement from one section
  // to the other changes the checksum.
  return Sha256Hex("upgrade\n" + NormalizeSql(upgrade_sql) + "\ndowngrade\n" +
                   NormalizeSql(downgrade_sql));
}

bool IsChecksum(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace retort::util
