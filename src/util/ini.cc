#include "util/ini.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/strings.h"

namespace retort::util {
namespace {

constexpr std::string_view kDefaultSection = "DEFAULT";
// configparser's MAX_INTERPOLATION_DEPTH: stops self-referencing values.
constexpr int kMaxInterpolationDepth = 10;
// Depth alone does not bound the work: ten levels of a value naming the
// next one ten times is 10^10 expansions. A setting may expand to at most
// this many characters, through at most this many references.
constexpr size_t kMaxExpandedSize = 1 << 20;
constexpr size_t kMaxReferences = 100000;

// A short, password-masked excerpt of a line for an error message.
std::string Excerpt(std::string_view line) {
  std::string masked = MaskUrlPasswords(Trim(line));
  if (masked.size() > 60) masked = masked.substr(0, 57) + "...";
  return masked;
}

size_t IndentOf(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i;
}

struct Lookup {
  const std::string& filename;
  const IniFile::Section& own;
  const IniFile::Section* file_defaults;
  const std::map<std::string, std::string>& caller_defaults;

  // The raw text of `key` and the line to blame, or nullopt.
  std::optional<std::pair<std::string, int>> Find(const std::string& key) const {
    if (auto it = own.find(key); it != own.end()) return {{it->second.raw, it->second.line}};
    if (file_defaults != nullptr) {
      if (auto it = file_defaults->find(key); it != file_defaults->end()) {
        return {{it->second.raw, it->second.line}};
      }
    }
    if (auto it = caller_defaults.find(key); it != caller_defaults.end()) {
      return {{it->second, 0}};
    }
    return std::nullopt;
  }

  // configparser's BasicInterpolation, reporting errors at the line of the
  // key being read (`key`, `line`).
  std::string Expand(const std::string& key, int line, std::string_view raw, int depth) const {
    size_t references = 0;
    return Expand(key, line, raw, depth, references);
  }

  std::string Expand(const std::string& key, int line, std::string_view raw, int depth,
                     size_t& references) const {
    if (depth > kMaxInterpolationDepth) {
      throw IniError(
          fmt::format("{}:{}: setting '{}' refers to itself through %(...)s", filename, line, key));
    }
    std::string out;
    size_t i = 0;
    while (i < raw.size()) {
      size_t pct = raw.find('%', i);
      if (pct == std::string_view::npos) {
        out.append(raw.substr(i));
        break;
      }
      out.append(raw.substr(i, pct - i));
      std::string_view rest = raw.substr(pct);
      if (rest.size() >= 2 && rest[1] == '%') {
        out += '%';
        i = pct + 2;
        continue;
      }
      if (rest.size() >= 2 && rest[1] == '(') {
        size_t close = rest.find(')');
        if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != 's' ||
            close == 2) {
          throw IniError(
              fmt::format("{}:{}: bad reference '{}' in setting '{}' (expected %(name)s)", filename,
                          line, Excerpt(rest.substr(0, 20)), key));
        }
        std::string name = ToLower(rest.substr(2, close - 2));
        auto found = Find(name);
        if (!found) {
          throw IniError(fmt::format("{}:{}: setting '{}' refers to unknown setting '%({})s'",
                                     filename, line, key, name));
        }
        if (++references > kMaxReferences) {
          throw IniError(fmt::format(
              "{}:{}: setting '{}' expands through more than {} %(...)s references (nested "
              "references multiply)",
              filename, line, key, kMaxReferences));
        }
        out += Expand(key, line, found->first, depth + 1, references);
        if (out.size() > kMaxExpandedSize) {
          throw IniError(fmt::format(
              "{}:{}: setting '{}' expands to more than {} characters through %(...)s (nested "
              "references multiply)",
              filename, line, key, kMaxExpandedSize));
        }
        i = pct + close + 2;
        continue;
      }
      throw IniError(
          fmt::format("{}:{}: '%' in setting '{}' must be followed by '%' or '(' (write '%%' for a "
                      "literal '%')",
                      filename, line, key));
    }
    return out;
  }
};

}  // namespace

IniFile IniFile::Parse(std::string_view text, const std::string& filename) {
  IniFile ini;
  ini.filename_ = filename;
  Section* section = nullptr;
  std::string section_name;
  std::map<std::string, int> section_lines;
  Entry* value = nullptr;       // the key a continuation line would extend
  size_t value_indent = 0;      // its key's indentation
  int pending_blank_lines = 0;  // kept only if a continuation line follows

  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    std::string_view stripped = Trim(line);
    if (stripped.empty()) {
      if (value != nullptr) ++pending_blank_lines;
      continue;
    }
    if (stripped[0] == '#' || stripped[0] == ';') continue;

    size_t indent = IndentOf(line);
    if (value != nullptr && indent > value_indent) {
      value->raw.append(static_cast<size_t>(pending_blank_lines), '\n');
      value->raw += '\n';
      value->raw += stripped;
      pending_blank_lines = 0;
      continue;
    }
    value = nullptr;
    pending_blank_lines = 0;

    if (stripped[0] == '[') {
      if (stripped.back() != ']' || stripped.size() < 3) {
        throw IniError(fmt::format("{}:{}: bad section header '{}'", filename, line_number,
                                   Excerpt(stripped)));
      }
      section_name = std::string(stripped.substr(1, stripped.size() - 2));
      if (auto [it, inserted] = section_lines.emplace(section_name, line_number); !inserted) {
        throw IniError(fmt::format("{}:{}: duplicate section [{}] (first at line {})", filename,
                                   line_number, section_name, it->second));
      }
      if (section_name != kDefaultSection) ini.order_.push_back(section_name);
      section = &ini.sections_[section_name];
      continue;
    }

    size_t delimiter = stripped.find_first_of("=:");
    if (delimiter == std::string_view::npos || delimiter == 0) {
      throw IniError(fmt::format(
          "{}:{}: malformed line '{}' (expected 'key = value', '[section]' or a comment)", filename,
          line_number, Excerpt(stripped)));
    }
    if (section == nullptr) {
      throw IniError(fmt::format("{}:{}: setting '{}' before any [section] header", filename,
                                 line_number, Trim(stripped.substr(0, delimiter))));
    }
    std::string key = ToLower(Trim(stripped.substr(0, delimiter)));
    Entry entry{std::string(Trim(stripped.substr(delimiter + 1))), line_number};
    auto [it, inserted] = section->emplace(key, std::move(entry));
    if (!inserted) {
      throw IniError(fmt::format("{}:{}: duplicate setting '{}' in [{}] (first at line {})",
                                 filename, line_number, key, section_name, it->second.line));
    }
    value = &it->second;
    value_indent = indent;
  }
  return ini;
}

IniFile IniFile::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IniError(
        fmt::format("Cannot read config file '{}': {}", path.string(), std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw IniError(fmt::format("Cannot read config file '{}'", path.string()));
  }
  return Parse(text.str(), path.string());
}

bool IniFile::HasSection(std::string_view name) const {
  return name != kDefaultSection && sections_.count(std::string(name)) > 0;
}

int IniFile::LineOf(const std::string& section, const std::string& key) const {
  for (const std::string& name : {section, std::string(kDefaultSection)}) {
    auto it = sections_.find(name);
    if (it == sections_.end()) continue;
    if (auto entry = it->second.find(key); entry != it->second.end()) return entry->second.line;
  }
  return 0;
}

std::map<std::string, std::string> IniFile::Interpolated(
    const std::string& section, const std::map<std::string, std::string>& defaults) const {
  if (!HasSection(section)) {
    throw IniError(fmt::format("No section '{}' in {}", section, filename_));
  }
  const Section& own = sections_.at(section);
  auto default_it = sections_.find(std::string(kDefaultSection));
  const Section* file_defaults = default_it == sections_.end() ? nullptr : &default_it->second;
  // Caller defaults are literal text (a folder name may contain '%').
  std::map<std::string, std::string> escaped;
  for (const auto& [key, raw] : defaults) {
    std::string value;
    for (char c : raw) value += c == '%' ? std::string("%%") : std::string(1, c);
    escaped[key] = std::move(value);
  }
  Lookup lookup{filename_, own, file_defaults, escaped};

  std::map<std::string, std::string> out(defaults);
  // Each setting is bounded on its own (kMaxExpandedSize); many settings
  // just under the bound are stopped here.
  size_t total = 0;
  auto expand = [&](const std::string& key, const IniFile::Entry& entry) {
    std::string value = lookup.Expand(key, entry.line, entry.raw, 0);
    total += value.size();
    if (total > 4 * kMaxExpandedSize) {
      throw IniError(fmt::format(
          "{}:{}: the settings expand to more than {} characters in all through %(...)s (at "
          "setting '{}')",
          filename_, entry.line, 4 * kMaxExpandedSize, key));
    }
    out[key] = std::move(value);
  };
  if (file_defaults != nullptr) {
    for (const auto& [key, entry] : *file_defaults) expand(key, entry);
  }
  for (const auto& [key, entry] : own) expand(key, entry);
  return out;
}

namespace {

bool IsSchemeChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '-';
}
bool IsSpaceOrQuote(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '`';
}

// A database scheme, whose typos (postgresql:/u:p@h, postgresql//u:p@h)
// still carry a password.
bool IsDatabaseScheme(std::string_view scheme) {
  std::string lower = ToLower(scheme);
  for (std::string_view known : {"postgres", "mysql", "mariadb", "sqlite"}) {
    if (lower.starts_with(known)) return true;
  }
  return false;
}

// Masks out[colon + 1, at) when it looks like a password: a port and a
// path followed by prose ("h:5432/db is down, mail a@b") is not one.
bool MaskSpan(std::string& out, size_t colon, size_t at) {
  if (colon + 1 >= at) return false;
  std::string_view span = std::string_view(out).substr(colon + 1, at - colon - 1);
  bool has_space = span.find_first_of(" \t") != std::string_view::npos;
  if (has_space && span.find('/') != std::string_view::npos) return false;
  if (span.find('\n') != std::string_view::npos || span.find("://") != std::string_view::npos) {
    return false;
  }
  out.replace(colon + 1, at - colon - 1, "***");
  return true;
}

// The credentials after `start` (just past "scheme://"): the first ':' and
// the '@' that ends them, which may be preceded by a raw '@', '?', quote
// or space inside the password: the last '@' before the first '/' or '#'
// (or space or quote) after the first '@' ('?' does not stop it: in
// "u:p@ss?w@host/db" the password is "p@ss?w", as DatabaseUrl reads it).
// Returns where to continue.
size_t MaskCredentials(std::string& out, size_t start) {
  constexpr size_t kReach = 256;
  size_t limit = std::min(out.size(), start + kReach);
  size_t line_end = out.find('\n', start);
  if (line_end != std::string::npos) limit = std::min(limit, line_end);
  // Nor into the next URL: "sqlite:// ... postgresql://u:pw@h" is two.
  size_t next_url = out.find("://", start);
  if (next_url != std::string::npos) {
    size_t scheme = next_url;
    while (scheme > start && IsSchemeChar(out[scheme - 1])) --scheme;
    limit = std::min(limit, scheme);
  }
  size_t first_at = out.find('@', start);
  if (first_at == std::string::npos || first_at >= limit) return start;
  size_t colon = out.find(':', start);
  if (colon == std::string::npos || colon > first_at) return first_at + 1;
  size_t authority_end = first_at + 1;
  while (authority_end < out.size() && !IsSpaceOrQuote(out[authority_end]) &&
         std::string_view("/#").find(out[authority_end]) == std::string_view::npos) {
    ++authority_end;
  }
  size_t at = out.rfind('@', authority_end - 1);
  size_t before = out.size();
  if (!MaskSpan(out, colon, at)) return first_at + 1;
  return at - (before - out.size()) + 1;
}

}  // namespace

std::string MaskUrlPasswords(std::string_view text) {
  std::string out(text);
  // URLs: "scheme://", and a database scheme followed by ':' or '/' (typos).
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] != ':' && out[i] != '/') continue;
    size_t scheme_start = i;
    while (scheme_start > 0 && IsSchemeChar(out[scheme_start - 1])) --scheme_start;
    if (scheme_start == i || !std::isalpha(static_cast<unsigned char>(out[scheme_start]))) continue;
    std::string_view scheme = std::string_view(out).substr(scheme_start, i - scheme_start);
    bool standard = out.compare(i, 3, "://") == 0;
    if (!standard && !IsDatabaseScheme(scheme)) continue;
    size_t start = i;
    while (start < out.size() && (out[start] == ':' || out[start] == '/')) ++start;
    i = MaskCredentials(out, start);
  }
  // Scheme-less "user:password@host" tokens (a URL missing its scheme).
  for (size_t i = 0; i < out.size();) {
    while (i < out.size() && IsSpaceOrQuote(out[i])) ++i;
    size_t end = i;
    while (end < out.size() && !IsSpaceOrQuote(out[end])) ++end;
    std::string_view token = std::string_view(out).substr(i, end - i);
    size_t at = token.rfind('@');
    size_t colon = token.find(':');
    if (at != std::string_view::npos && colon != std::string_view::npos && colon < at &&
        token.find("://") == std::string_view::npos && token.substr(colon + 1, 3) != "***") {
      size_t before = out.size();
      MaskSpan(out, i + colon, i + at);
      end -= before - out.size();
    }
    i = end;
  }
  // password=... parameters (?password=, &password=, libpq's "password=").
  std::string lower = ToLower(out);
  for (size_t pos = lower.find("password="); pos != std::string::npos;
       pos = lower.find("password=", pos + 1)) {
    bool parameter =
        pos == 0 || std::string_view("?&; \t'\"").find(lower[pos - 1]) != std::string_view::npos;
    size_t value = pos + 9;
    size_t end = value;
    while (end < out.size() && out[end] != '&' && !IsSpaceOrQuote(out[end])) ++end;
    if (!parameter || end == value || out.compare(value, end - value, "***") == 0) continue;
    out.replace(value, end - value, "***");
    lower.replace(value, end - value, "***");
  }
  return out;
}

}  // namespace retort::util
