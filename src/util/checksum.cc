#include "util/checksum.h"

#include <nettle/sha2.h>

#include <algorithm>
#include <array>
#include <cstdint>

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

// `brackets`: keep SQLite's [bracket identifiers] byte for byte too. Off
// only for LegacySqlChecksum, the checksum before that was fixed.
std::string Normalize(std::string_view sql, bool brackets) {
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
    } else if (c == '[' && brackets) {
      // SQLite's [identifier]: no escapes, it ends at the first ']'.
      // (PostgreSQL's array brackets are kept as written too: a whitespace
      // edit there counts, which errs on the side of reporting.)
      std::size_t close = sql.find(']', i + 1);
      std::size_t end = close == std::string_view::npos ? sql.size() : close + 1;
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

}  // namespace

std::string NormalizeSql(std::string_view sql) { return Normalize(sql, /*brackets=*/true); }

std::string Sha256Hex(std::string_view data) {
  // Nettle's SHA-256 (libnettle8): a small, established implementation with
  // no global initialisation. OpenSSL 3's EVP_Digest loaded its config and
  // providers on first use and fetched the algorithm on every call, which
  // cost a no-op `upgrade head` on 1,000 revisions about a quarter of its time
  // (docs/performance.md).
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&context, digest.size(), digest.data());

  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * digest.size());
  for (std::uint8_t byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

namespace {

std::string Checksum(std::string_view upgrade_sql, std::string_view downgrade_sql, bool brackets) {
  // Section names delimit the two texts: moving a statement from one section
  // to the other changes the checksum.
  return Sha256Hex("upgrade\n" + Normalize(upgrade_sql, brackets) + "\ndowngrade\n" +
                   Normalize(downgrade_sql, brackets));
}

}  // namespace

std::string SqlChecksum(std::string_view upgrade_sql, std::string_view downgrade_sql) {
  return Checksum(upgrade_sql, downgrade_sql, /*brackets=*/true);
}

std::string LegacySqlChecksum(std::string_view upgrade_sql, std::string_view downgrade_sql) {
  return Checksum(upgrade_sql, downgrade_sql, /*brackets=*/false);
}

bool IsChecksum(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace retort::util
