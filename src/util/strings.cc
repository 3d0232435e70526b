#include "util/strings.h"

#include <algorithm>

#include "util/wording.h"

namespace retort::util {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Python's \w matches Unicode letters too; treating every non-ASCII byte as a
// word byte keeps UTF-8 letters in the slug, as Alembic does.
bool IsWordByte(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u >= 0x80;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view TrimLeft(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  return text.substr(i);
}

std::string_view TrimRight(std::string_view text) {
  size_t n = text.size();
  while (n > 0 && IsSpace(text[n - 1])) --n;
  return text.substr(0, n);
}

std::string_view Trim(std::string_view text) { return TrimRight(TrimLeft(text)); }

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(separator, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      return out;
    }
    out.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::vector<std::string> SplitList(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t pos = text.find_first_of(separators, start);
    if (pos == std::string_view::npos) pos = text.size();
    std::string_view item = Trim(text.substr(start, pos - start));
    if (!item.empty()) out.emplace_back(item);
    start = pos + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string Slugify(std::string_view message, int truncate_length) {
  std::string slug;
  size_t i = 0;
  while (i < message.size()) {
    if (!IsWordByte(message[i])) {
      ++i;
      continue;
    }
    if (!slug.empty()) slug += '_';
    while (i < message.size() && IsWordByte(message[i])) slug += LowerAscii(message[i++]);
  }
  if (truncate_length > 0 && slug.size() > static_cast<size_t>(truncate_length)) {
    slug.resize(static_cast<size_t>(truncate_length));
    // Python's rsplit("_", 1)[0]: drop the partial last word if there is an "_".
    size_t last = slug.rfind('_');
    if (last != std::string::npos) slug.resize(last);
    slug += '_';
  }
  return slug;
}

namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool IsWordString(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsWordChar(c)) return false;
  }
  return true;
}

std::string NonWordCharacters(std::string_view text) {
  std::string bad;
  for (char c : text) {
    if (!IsWordChar(c) && bad.find(c) == std::string::npos) bad += c;
  }
  std::sort(bad.begin(), bad.end());
  std::string out;
  for (char c : bad) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

std::string FewOf(const std::vector<std::string>& items, size_t shown) {
  if (shown == 0) shown = 1;
  std::string out;
  size_t listed = items.size() <= shown + 1 ? items.size() : shown;
  for (size_t i = 0; i < listed; ++i) {
    if (i > 0) out += i + 1 == listed && listed == items.size() ? " and " : ", ";
    out += items[i];
  }
  if (listed < items.size()) out += " and " + std::to_string(items.size() - listed) + " more";
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two neighbours ("haed") is one edit.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace retort::util
