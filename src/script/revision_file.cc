// Parsing one revision file (script.h). One pass over the file's bytes with
// string_views: ScriptDirectory parses thousands of these at start-up.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <utility>

#include "retort/error.h"
#include "script/script.h"
#include "util/strings.h"

namespace retort::script {
namespace {

enum class Key {
  kRevisionId,
  kRevises,
  kCreateDate,
  kBranchLabels,
  kDependsOn,
  kTransactional,
  kStep,
  kNeedsRewrite
};

struct KeyInfo {
  std::string_view normalized;
  std::string_view display;
  Key key;
};

// Keys compare without case, spaces, '_' or '-': "Revision ID", "revision_id"
// and "Revision-Id" are one key.
constexpr KeyInfo kKeys[] = {
    {"revisionid", "Revision ID", Key::kRevisionId},
    {"revises", "Revises", Key::kRevises},
    {"createdate", "Create Date", Key::kCreateDate},
    {"branchlabels", "Branch Labels", Key::kBranchLabels},
    {"dependson", "Depends On", Key::kDependsOn},
    {"transactional", "Transactional", Key::kTransactional},
    {"step", "Step", Key::kStep},
    {"needsrewrite", "Needs Rewrite", Key::kNeedsRewrite},
};

const KeyInfo* FindKey(std::string_view text) {
  char normalized[32];
  size_t n = 0;
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') continue;
    if (n == sizeof(normalized)) return nullptr;
    normalized[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view key(normalized, n);
  for (const KeyInfo& info : kKeys) {
    if (info.normalized == key) return &info;
  }
  return nullptr;
}

// Labels (and Depends On entries, which may be labels) allow '-' and '.'
// besides word characters; '@', ',' and spaces would break revision specs.
bool IsLabel(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// True when `sql` holds anything besides whitespace and comments.
bool HasStatements(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return true;  // let the database report it
      i = end + 2;
    } else {
      return true;
    }
  }
  return false;
}

// open, fstat, one read, close: the buffer is one byte larger than the
// file, so a read that does not fill it has reached the end (a regular
// file reads short only there) and no second read() is needed to see 0.
std::string ReadWholeFile(const std::string& path, FileStat* stat) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot read revision file: {}", path, std::strerror(errno)));
  }
  std::string content;
  struct stat info {};
  size_t capacity = 65536;
  if (::fstat(fd, &info) == 0) {
    if (stat != nullptr) *stat = FileStat::Of(info);
    if (info.st_size >= 0) capacity = static_cast<size_t>(info.st_size) + 1;
  }
  content.resize(capacity);
  size_t got = 0;
  while (true) {
    ssize_t n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      ::close(fd);
      throw Error(fmt::format("{}: cannot read revision file: {}", path, std::strerror(saved)));
    }
    got += static_cast<size_t>(n);
    if (n == 0 || got < content.size()) break;
    content.resize(content.size() * 2);  // it grew since fstat: read on
  }
  ::close(fd);
  content.resize(got);
  return content;
}

class Parser {
 public:
  Parser(const std::string& path, std::string content)
      : path_(path), content_(std::move(content)) {}

  Script Parse() {
    Script script;
    script.path = path_;
    std::string_view text = content_;
    // A UTF-8 byte order mark from some Windows editors.
    size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    int line_number = 0;
    bool in_header = true;
    bool doc_done = false;
    bool keys_seen = false;
    std::vector<std::string_view> header_lines;
    std::vector<std::string_view> doc_lines;
    SqlSection* open_section = nullptr;
    size_t section_start = 0;
    int upgrade_line = 0, downgrade_line = 0;

    while (pos < text.size()) {
      size_t line_start = pos;
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_number;
      std::string_view trimmed = util::Trim(line);
      bool comment = trimmed.size() >= 2 && trimmed[0] == '-' && trimmed[1] == '-';

      if (comment) {
        std::string_view after = util::TrimLeft(trimmed.substr(2));
        if (after.size() >= 8 && util::EqualsIgnoreCase(after.substr(0, 8), "migrate:")) {
          std::string name = util::ToLower(util::Trim(after.substr(8)));
          int* seen = name == "upgrade"     ? &upgrade_line
                      : name == "downgrade" ? &downgrade_line
                                            : nullptr;
          if (seen == nullptr) {
            Fail(line_number,
                 fmt::format("unknown section marker '{}' (expected '-- migrate:upgrade' or "
                             "'-- migrate:downgrade')",
                             trimmed));
          }
          if (*seen != 0) {
            Fail(line_number,
                 fmt::format("second '-- migrate:{}' section (first at line {})", name, *seen));
          }
          *seen = line_number;
          if (open_section != nullptr) {
            open_section->sql = std::string(text.substr(section_start, line_start - section_start));
          }
          open_section = name == "upgrade" ? &script.upgrade : &script.downgrade;
          open_section->first_line = line_number + 1;
          section_start = std::min(pos, text.size());
          in_header = false;
          continue;
        }
      }
      if (!in_header) continue;
      if (trimmed.empty()) {
        header_lines.push_back({});
        if (!doc_lines.empty()) doc_done = true;
        continue;
      }
      if (!comment) {
        Fail(line_number, "SQL before '-- migrate:upgrade' (the header is '-- ' comment lines)");
      }
      std::string_view body = trimmed.substr(2);
      if (!body.empty() && body[0] == ' ') body.remove_prefix(1);
      header_lines.push_back(body);
      size_t colon = body.find(':');
      const KeyInfo* key =
          colon == std::string_view::npos ? nullptr : FindKey(body.substr(0, colon));
      if (key != nullptr) {
        keys_seen = true;
        HeaderValue(script, *key, util::Trim(body.substr(colon + 1)), line_number);
      } else if (util::Trim(body).empty()) {
        if (!doc_lines.empty()) doc_done = true;
      } else if (!doc_done && !keys_seen) {
        doc_lines.push_back(util::TrimRight(body));
      }
    }
    if (open_section != nullptr) {
      open_section->sql = std::string(text.substr(std::min(section_start, text.size())));
    }

    if (script.revision.id.empty()) Fail(1, "no 'Revision ID' header");
    if (upgrade_line == 0) Fail(1, "no '-- migrate:upgrade' section");
    script.upgrade.has_statements = HasStatements(script.upgrade.sql);
    script.downgrade.has_statements = HasStatements(script.downgrade.sql);

    while (!header_lines.empty() && util::Trim(header_lines.back()).empty())
      header_lines.pop_back();
    size_t first = 0;
    while (first < header_lines.size() && util::Trim(header_lines[first]).empty()) ++first;
    for (size_t i = first; i < header_lines.size(); ++i) {
      if (i > first) script.header_text += '\n';
      script.header_text += util::TrimRight(header_lines[i]);
    }
    for (size_t i = 0; i < doc_lines.size(); ++i) {
      if (i > 0) script.revision.doc += '\n';
      script.revision.doc += doc_lines[i];
    }
    return script;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& message) const {
    throw Error(fmt::format("{}:{}: {}", path_, line, message));
  }

  std::vector<std::string> List(const KeyInfo& key, std::string_view value, int line,
                                bool ids_only) const {
    std::vector<std::string> items;
    // "None" is how `down_revision = None` (and `depends_on = None`) is
    // often transcribed from an Alembic script: it means none, as empty does.
    if (value.empty() || value == "None") return items;
    if (value.front() == '(' || value.front() == '[' || value.front() == '\'' ||
        value.front() == '"') {
      Fail(line, fmt::format("'{}: {}' is Python syntax; write them separated by commas: "
                             "'{}: {}'",
                             key.display, value, key.display, PlainList(value)));
    }
    for (const std::string& raw : util::Split(value, ',')) {
      std::string_view item = util::Trim(raw);
      if (item.empty()) Fail(line, fmt::format("empty item in '{}: {}'", key.display, value));
      if (ids_only) {
        CheckId(item, line);
      } else if (!IsLabel(item)) {
        Fail(line,
             fmt::format("bad name '{}' in '{}' (names are [A-Za-z0-9_.-]+)", item, key.display));
      }
      items.emplace_back(item);
    }
    return items;
  }

  // ('a', 'b') -> "a, b": what a Python tuple or list of strings says.
  static std::string PlainList(std::string_view value) {
    std::string out;
    for (const std::string& raw : util::Split(value, ',')) {
      std::string_view item = util::Trim(raw);
      constexpr std::string_view kOpen = "(['\"", kClose = ")]'\"";
      while (!item.empty() && kOpen.find(item.front()) != kOpen.npos) item.remove_prefix(1);
      while (!item.empty() && kClose.find(item.back()) != kClose.npos) item.remove_suffix(1);
      item = util::Trim(item);
      if (item.empty()) continue;
      if (!out.empty()) out += ", ";
      out += item;
    }
    return out;
  }

  void CheckId(std::string_view id, int line) const {
    if (!util::IsWordString(id)) {
      Fail(line, fmt::format("Character(s) '{}' not allowed in revision identifier '{}' (ids are "
                             "[A-Za-z0-9_]+)",
                             util::NonWordCharacters(id), id));
    }
  }

  void HeaderValue(Script& script, const KeyInfo& key, std::string_view value, int line) {
    if (auto [it, inserted] = key_lines_.emplace(key.key, line); !inserted) {
      Fail(line, fmt::format("second '{}' header (first at line {})", key.display, it->second));
    }
    switch (key.key) {
      case Key::kRevisionId:
        if (value.empty()) Fail(line, "empty 'Revision ID'");
        CheckId(value, line);
        script.revision.id = std::string(value);
        break;
      case Key::kRevises:
        script.revision.down_revisions = List(key, value, line, /*ids_only=*/true);
        break;
      case Key::kCreateDate:
        script.create_date = std::string(value);
        break;
      case Key::kBranchLabels:
        script.revision.branch_labels = List(key, value, line, /*ids_only=*/false);
        break;
      case Key::kDependsOn:
        script.revision.dependencies = List(key, value, line, /*ids_only=*/false);
        break;
      case Key::kStep:
        if (value.empty()) Fail(line, "empty 'Step' name");
        if (!IsLabel(value)) {
          Fail(line, fmt::format("bad 'Step' name '{}' (names are [A-Za-z0-9_.-]+)", value));
        }
        script.step = std::string(value);
        break;
      case Key::kNeedsRewrite:
        script.needs_rewrite = std::string(value);
        break;
      case Key::kTransactional: {
        std::string word = util::ToLower(value);
        if (word.empty() || word == "yes" || word == "true" || word == "on" || word == "1") {
          script.transactional = true;
        } else if (word == "no" || word == "false" || word == "off" || word == "0") {
          script.transactional = false;
        } else {
          Fail(line, fmt::format("bad 'Transactional' value '{}' (expected yes or no)", value));
        }
        break;
      }
    }
  }

  const std::string& path_;
  std::string content_;
  std::map<Key, int> key_lines_;
};

}  // namespace

FileStat FileStat::Of(const struct stat& info) {
  return FileStat{
      static_cast<unsigned long long>(info.st_dev), static_cast<unsigned long long>(info.st_ino),
      static_cast<unsigned long long>(info.st_size),
      static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec,
      static_cast<long long>(info.st_ctim.tv_sec) * 1000000000LL + info.st_ctim.tv_nsec};
}

Script ParseRevisionFile(const std::filesystem::path& path) {
  return ParseRevisionFile(path.string(), nullptr);
}

Script ParseRevisionFile(const std::string& path, FileStat* stat) {
  return Parser(path, ReadWholeFile(path, stat)).Parse();
}

Script ParseRevisionText(const std::filesystem::path& path, std::string content) {
  const std::string name = path.string();
  return Parser(name, std::move(content)).Parse();
}

}  // namespace retort::script
