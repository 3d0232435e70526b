// Reading dbmate, golang-migrate, Flyway and goose migrations folders. Each
// tool's rules (file names, markers, version order) follow the tool, so a
// folder the tool accepts imports and one it refuses is refused here too,
// with the tool's reason.
#include "import/sql_tool_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "retort/error.h"
#include "util/strings.h"

namespace retort::import {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot read the file", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(fmt::format("{}: cannot read the file", path.string()));
  return text.str();
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

// Blank lines trimmed at both ends; the body as the file has it otherwise.
std::string TrimBody(std::string_view body) {
  size_t start = 0;
  while (true) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) break;
    if (!util::Trim(body.substr(start, end - start)).empty()) break;
    start = end + 1;
  }
  std::string_view rest = body.substr(std::min(start, body.size()));
  return std::string(util::TrimRight(rest));
}

bool HasStatements(std::string_view sql) {
  for (std::string_view line : Lines(sql)) {
    std::string_view t = util::Trim(line);
    if (!t.empty() && !(t.size() >= 2 && t[0] == '-' && t[1] == '-')) return true;
  }
  return false;
}

std::string StripZeros(std::string_view digits) {
  size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// Digit strings of any length compared as numbers (versions may not fit
// 64 bits: Flyway parts are BigIntegers).
int CompareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

std::string MessageFromName(std::string_view name, std::string_view fallback) {
  std::string message;
  for (char c : name) message += c == '_' ? ' ' : c;
  std::string_view trimmed = util::Trim(message);
  return trimmed.empty() ? std::string(fallback) : std::string(trimmed);
}

bool IsHidden(const fs::path& path) {
  std::string name = path.filename().string();
  return name.empty() || name[0] == '.';
}

// Regular files of `folder` in byte order (Flyway: of every subfolder too).
std::vector<fs::path> ListFiles(const fs::path& folder, bool recursive) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw UsageError(
        fmt::format("Migrations folder '{}' does not exist or is not a folder", folder.string()));
  }
  std::vector<fs::path> files;
  auto consider = [&](const fs::directory_entry& entry) {
    std::error_code type_error;
    if (entry.is_regular_file(type_error) && !IsHidden(entry.path())) {
      files.push_back(entry.path());
    }
  };
  if (recursive) {
    for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end;
         it.increment(error)) {
      if (IsHidden(it->path()) && it->is_directory()) {
        it.disable_recursion_pending();
        continue;
      }
      consider(*it);
    }
  } else {
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      consider(*it);
    }
  }
  if (error) throw Error(fmt::format("Cannot read '{}': {}", folder.string(), error.message()));
  std::sort(files.begin(), files.end());
  return files;
}

// Statements that cannot run inside a transaction, or transaction control
// the file does itself: such a file keeps running outside retort's
// transaction ("Transactional: no").
std::optional<std::string> NonTransactionalReason(std::string_view sql) {
  static const std::regex kOwnTransaction(
      R"(^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END)\s*(TRANSACTION|WORK)?\s*;)", std::regex::icase);
  static const std::regex kCannotRunInTransaction(
      R"(\bCONCURRENTLY\b|^\s*VACUUM\b|^\s*(CREATE|DROP)\s+DATABASE\b|^\s*ALTER\s+SYSTEM\b)",
      std::regex::icase);
  for (std::string_view line : Lines(sql)) {
    std::string_view t = util::Trim(line);
    if (t.size() >= 2 && t[0] == '-' && t[1] == '-') continue;
    std::string text(t);
    if (std::regex_search(text, kOwnTransaction)) return "it controls its own transaction";
    if (std::regex_search(text, kCannotRunInTransaction)) {
      return "it has a statement that cannot run in a transaction";
    }
  }
  return std::nullopt;
}

// ---- dbmate: YYYYMMDDHHMMSS_name.sql with -- migrate:up / -- migrate:down.

struct DbmateSection {
  bool present = false;
  bool transactional = true;
  int line = 0;
  std::string body;
};

ToolMigration ReadDbmateFile(const fs::path& path, const std::string& version,
                             const std::string& name) {
  static const std::regex kMarker(R"(^--\s*migrate:(up|down)(\s.*)?$)");
  std::string text = ReadText(path);
  DbmateSection up, down;
  DbmateSection* open = nullptr;
  int number = 0;
  for (std::string_view line : Lines(text)) {
    ++number;
    std::string raw(util::TrimRight(line));
    std::smatch match;
    if (std::regex_match(raw, match, kMarker)) {
      DbmateSection& section = match[1] == "up" ? up : down;
      if (section.present) {
        throw Error(fmt::format("{}:{}: a second '-- migrate:{}' block (first at line {})",
                                path.string(), number, match[1].str(), section.line));
      }
      if (&section == &up && down.present) {
        throw Error(
            fmt::format("{}:{}: '-- migrate:up' after '-- migrate:down' (dbmate requires "
                        "the up block first)",
                        path.string(), number));
      }
      section.present = true;
      section.line = number;
      for (const std::string& option : util::SplitList(match[2].str(), " \t")) {
        auto colon = option.find(':');
        std::string key = option.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : option.substr(colon + 1);
        if (key == "transaction") {
          section.transactional = value != "false";
        } else {
          throw Error(
              fmt::format("{}:{}: unknown dbmate option '{}' (retort knows "
                          "'transaction:false')",
                          path.string(), number, option));
        }
      }
      open = &section;
      continue;
    }
    if (open == nullptr) {
      std::string_view t = util::Trim(line);
      if (!t.empty() && !(t.size() >= 2 && t[0] == '-' && t[1] == '-')) {
        throw Error(fmt::format(
            "{}:{}: SQL before '-- migrate:up' (dbmate does not run statements outside its "
            "blocks)",
            path.string(), number));
      }
      continue;
    }
    open->body += line;
    open->body += '\n';
  }
  if (!up.present) {
    throw Error(
        fmt::format("{}: no '-- migrate:up' block (dbmate requires each migration to define one)",
                    path.string()));
  }
  if (!down.present) {
    throw Error(
        fmt::format("{}: no '-- migrate:down' block (dbmate requires each migration to define one)",
                    path.string()));
  }
  ToolMigration migration;
  migration.version = version;
  migration.id = "v" + version;
  migration.message = MessageFromName(name, path.stem().string());
  migration.file_stem = path.stem().string();
  migration.script = path.filename().string();
  migration.up_file = path;
  migration.upgrade_sql = TrimBody(up.body);
  migration.downgrade_sql = TrimBody(down.body);
  migration.has_down = HasStatements(migration.downgrade_sql);
  migration.transactional = up.transactional && down.transactional;
  return migration;
}

ToolFolder ReadDbmate(const fs::path& folder) {
  static const std::regex kName(R"(^(\d+)_(.*)\.sql$)");
  ToolFolder result;
  // dbmate orders by file name and records the version as written.
  for (const fs::path& path : ListFiles(folder, false)) {
    std::string file = path.filename().string();
    std::smatch match;
    if (!std::regex_match(file, match, kName)) {
      result.notes.push_back(
          fmt::format("{}: not a dbmate migration name (VERSION_name.sql), left out as dbmate does",
                      path.string()));
      continue;
    }
    result.migrations.push_back(ReadDbmateFile(path, match[1].str(), match[2].str()));
  }
  return result;
}

// ---- golang-migrate: N_name.up.sql / N_name.down.sql, numeric order.

ToolFolder ReadGolangMigrate(const fs::path& folder) {
  static const std::regex kName(R"(^([0-9]+)_(.*)\.(down|up)\.(.*)$)");
  ToolFolder result;
  struct Pair {
    std::optional<fs::path> up, down;
    std::string name;
  };
  std::map<std::string, Pair> by_version;  // normalised version -> files
  for (const fs::path& path : ListFiles(folder, false)) {
    std::string file = path.filename().string();
    std::smatch match;
    if (!std::regex_match(file, match, kName)) {
      result.notes.push_back(fmt::format(
          "{}: not a golang-migrate name (N_name.up.sql / N_name.down.sql), left out as "
          "golang-migrate does",
          path.string()));
      continue;
    }
    std::string version = StripZeros(match[1].str());
    Pair& pair = by_version[version];
    std::optional<fs::path>& slot = match[3] == "up" ? pair.up : pair.down;
    if (slot) {
      throw Error(fmt::format("{}: version {} has two {} files (also {})", path.string(), version,
                              match[3].str(), slot->string()));
    }
    slot = path;
    if (match[3] == "up") pair.name = match[2].str();
  }
  std::vector<std::pair<std::string, Pair>> ordered(by_version.begin(), by_version.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return CompareNumbers(a.first, b.first) < 0; });
  for (auto& [version, pair] : ordered) {
    if (!pair.up) {
      throw Error(fmt::format("{}: a down migration without an up migration for version {}",
                              pair.down->string(), version));
    }
    ToolMigration migration;
    migration.version = version;
    migration.id = "v" + version;
    std::string up_name = pair.up->filename().string();
    migration.file_stem = up_name.substr(0, up_name.rfind(".up."));
    migration.message = MessageFromName(pair.name, migration.file_stem);
    migration.script = up_name;
    migration.up_file = *pair.up;
    migration.upgrade_sql = TrimBody(ReadText(*pair.up));
    if (pair.down) migration.downgrade_sql = TrimBody(ReadText(*pair.down));
    migration.has_down = HasStatements(migration.downgrade_sql);
    // golang-migrate wraps nothing itself: a file that commits on its own or
    // holds CREATE INDEX CONCURRENTLY keeps running outside a transaction.
    std::optional<std::string> reason = NonTransactionalReason(migration.upgrade_sql);
    if (!reason) reason = NonTransactionalReason(migration.downgrade_sql);
    if (reason) {
      migration.transactional = false;
      migration.notes.push_back(
          fmt::format("{}: Transactional: no, because {}", pair.up->string(), *reason));
    }
    result.migrations.push_back(std::move(migration));
  }
  return result;
}

// ---- goose: N_name.sql with -- +goose Up / Down annotations.

ToolMigration ReadGooseFile(const fs::path& path, const std::string& version,
                            const std::string& name) {
  static const std::regex kAnnotation(R"(^--\s*\+goose\s+(.*?)\s*$)");
  std::string text = ReadText(path);
  enum class Where { kBefore, kUp, kDown } where = Where::kBefore;
  int up_line = 0, down_line = 0, begin_line = 0;
  bool transactional = true;
  std::string up, down;
  int number = 0;
  auto fail = [&](int line, const std::string& what) {
    throw Error(fmt::format("{}:{}: {}", path.string(), line, what));
  };
  for (std::string_view line : Lines(text)) {
    ++number;
    std::string trimmed(util::Trim(line));
    std::smatch match;
    if (std::regex_match(trimmed, match, kAnnotation)) {
      std::string command = util::ToLower(match[1].str());
      if (command == "up") {
        if (up_line != 0)
          fail(number, fmt::format("a second '-- +goose Up' (first at line {})", up_line));
        if (down_line != 0) fail(number, "'-- +goose Up' after '-- +goose Down'");
        up_line = number;
        where = Where::kUp;
        continue;
      }
      if (command == "down") {
        if (down_line != 0) {
          fail(number, fmt::format("a second '-- +goose Down' (first at line {})", down_line));
        }
        if (up_line == 0) fail(number, "'-- +goose Down' before '-- +goose Up'");
        if (begin_line != 0) {
          fail(begin_line, "'-- +goose StatementBegin' without '-- +goose StatementEnd'");
        }
        down_line = number;
        where = Where::kDown;
        continue;
      }
      if (command == "no transaction") {
        transactional = false;
        continue;
      }
      if (command == "statementbegin") {
        if (where == Where::kBefore)
          fail(number, "'-- +goose StatementBegin' before '-- +goose Up'");
        if (begin_line != 0) {
          fail(number, fmt::format("'-- +goose StatementBegin' inside another (opened at line {})",
                                   begin_line));
        }
        begin_line = number;
      } else if (command == "statementend") {
        if (begin_line == 0)
          fail(number, "'-- +goose StatementEnd' without '-- +goose StatementBegin'");
        begin_line = 0;
      } else if (command.rfind("envsub", 0) == 0) {
        fail(number, fmt::format("'{}': goose substitutes environment variables at run time, "
                                 "retort runs SQL as written; put the values in the file first",
                                 trimmed));
      } else {
        fail(number, fmt::format("unknown goose annotation '{}'", trimmed));
      }
      // StatementBegin/End stay as comments: retort's statement splitter
      // already keeps function bodies and dollar quotes whole.
    } else if (where == Where::kBefore) {
      if (!trimmed.empty() && trimmed.rfind("--", 0) != 0) {
        fail(number, "SQL before '-- +goose Up'");
      }
      continue;
    }
    std::string& body = where == Where::kUp ? up : down;
    body += line;
    body += '\n';
  }
  if (begin_line != 0)
    fail(begin_line, "'-- +goose StatementBegin' without '-- +goose StatementEnd'");
  if (up_line == 0) {
    throw Error(
        fmt::format("{}: no '-- +goose Up' annotation (goose requires one)", path.string()));
  }
  ToolMigration migration;
  migration.version = version;
  migration.id = "v" + version;
  migration.message = MessageFromName(name, path.stem().string());
  migration.file_stem = path.stem().string();
  migration.script = path.filename().string();
  migration.up_file = path;
  migration.upgrade_sql = TrimBody(up);
  migration.downgrade_sql = TrimBody(down);
  migration.has_down = HasStatements(migration.downgrade_sql);
  migration.transactional = transactional;
  return migration;
}

ToolFolder ReadGoose(const fs::path& folder) {
  static const std::regex kName(R"(^(\d+)_(.*)\.(sql|go)$)");
  ToolFolder result;
  std::map<std::string, fs::path> seen;
  for (const fs::path& path : ListFiles(folder, false)) {
    std::string file = path.filename().string();
    std::smatch match;
    if (!std::regex_match(file, match, kName)) {
      if (path.extension() == ".sql" || path.extension() == ".go") {
        result.notes.push_back(
            fmt::format("{}: not a goose migration name (N_name.sql), left out", path.string()));
      }
      continue;
    }
    if (path.extension() == ".go") {
      if (file.size() > 8 && file.compare(file.size() - 8, 8, "_test.go") == 0) continue;
      throw Error(
          fmt::format("{}: a goose Go migration; retort imports SQL migrations only: "
                      "rewrite it as an SQL file first",
                      path.string()));
    }
    std::string version = StripZeros(match[1].str());
    if (version == "0") {
      throw Error(fmt::format("{}: version 0 (goose versions start at 1)", path.string()));
    }
    if (auto [it, inserted] = seen.emplace(version, path); !inserted) {
      throw Error(
          fmt::format("{}: version {} is also {}", path.string(), version, it->second.string()));
    }
    result.migrations.push_back(ReadGooseFile(path, version, match[2].str()));
  }
  std::stable_sort(result.migrations.begin(), result.migrations.end(),
                   [](const ToolMigration& a, const ToolMigration& b) {
                     return CompareNumbers(a.version, b.version) < 0;
                   });
  return result;
}

// ---- Flyway: V<version>__desc.sql, U<version>__desc.sql, R__desc.sql.

// "1.1", "1_1", "01.1.0" -> {"1", "1"}: Flyway compares parts as numbers,
// and a trailing ".0" names the same version.
std::optional<std::vector<std::string>> FlywayParts(std::string_view version) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : std::string(version) + ".") {
    if (c == '.' || c == '_') {
      if (part.empty()) return std::nullopt;
      parts.push_back(StripZeros(part));
      part.clear();
    } else if (c >= '0' && c <= '9') {
      part += c;
    } else {
      return std::nullopt;
    }
  }
  while (parts.size() > 1 && parts.back() == "0") parts.pop_back();
  return parts;
}

int CompareFlyway(const std::string& a, const std::string& b) {
  std::vector<std::string> pa = util::Split(a, '.'), pb = util::Split(b, '.');
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    std::string x = i < pa.size() ? pa[i] : "0", y = i < pb.size() ? pb[i] : "0";
    if (int c = CompareNumbers(x, y); c != 0) return c;
  }
  return 0;
}

std::string WordId(std::string_view text) {
  std::string id;
  for (char c : text) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    id += word ? c : '_';
  }
  return id;
}

void CheckPlaceholders(const fs::path& path, std::string_view sql) {
  int number = 0;
  for (std::string_view line : Lines(sql)) {
    ++number;
    size_t at = line.find("${");
    if (at == std::string_view::npos) continue;
    size_t end = line.find('}', at);
    throw Error(fmt::format(
        "{}:{}: Flyway placeholder '{}': retort runs SQL as written; replace it with its value "
        "first",
        path.string(), number,
        line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at + 1)));
  }
}

// V1__x.sql.conf: Flyway's per-script settings; executeInTransaction=false
// is the one that changes how the file runs.
std::optional<bool> FlywayScriptTransaction(const fs::path& script) {
  fs::path conf = script;
  conf += ".conf";
  std::error_code error;
  if (!fs::exists(conf, error)) return std::nullopt;
  std::string text = ReadText(conf);  // outlives the views Lines() returns
  for (std::string_view line : Lines(text)) {
    std::string t = util::ToLower(util::Trim(line));
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    if (t == "executeintransaction=false") return false;
    if (t == "executeintransaction=true") return true;
  }
  return std::nullopt;
}

ToolFolder ReadFlyway(const fs::path& folder) {
  ToolFolder result;
  std::map<std::string, ToolMigration> versioned;  // normalised version -> migration
  std::map<std::string, fs::path> undo;            // normalised version -> U file
  std::vector<ToolMigration> repeatables;
  std::map<std::string, fs::path> ids;
  for (const fs::path& path : ListFiles(folder, true)) {
    std::string file = path.filename().string();
    if (path.extension() == ".conf" || path.extension() != ".sql") continue;
    // PREFIX VERSION "__" DESCRIPTION ".sql", split at the first "__".
    size_t separator = file.find("__");
    bool named = file.size() > 4 && (file[0] == 'V' || file[0] == 'U' || file[0] == 'R') &&
                 separator != std::string::npos && separator + 2 <= file.size() - 4;
    if (!named || (file[0] == 'R') != (separator == 1)) {
      result.notes.push_back(fmt::format(
          "{}: not a Flyway migration name (V1__x.sql, U1__x.sql, R__x.sql), left out as Flyway "
          "does",
          path.string()));
      continue;
    }
    std::string kind(1, file[0]);
    std::string version_text = file.substr(1, separator - 1);
    std::string description_text = file.substr(separator + 2, file.size() - 4 - separator - 2);
    std::string description = MessageFromName(description_text, file);
    std::string text = ReadText(path);
    CheckPlaceholders(path, text);
    if (kind == "R") {
      ToolMigration migration;
      migration.repeatable = true;
      migration.script = file;
      migration.id = "R_" + WordId(description_text);
      migration.message = description;
      migration.version = description;  // repeatables are ordered by description
      migration.file_stem = path.stem().string();
      migration.up_file = path;
      migration.upgrade_sql = TrimBody(text);
      migration.notes.push_back(fmt::format(
          "{}: a Flyway repeatable migration, imported as a one-time revision after the "
          "versioned ones; a later change to it needs a new revision",
          path.string()));
      repeatables.push_back(std::move(migration));
      continue;
    }
    std::optional<std::vector<std::string>> parts = FlywayParts(version_text);
    if (!parts) {
      throw Error(
          fmt::format("{}: version '{}' is not a Flyway version (digits separated by '.' "
                      "or '_')",
                      path.string(), version_text));
    }
    std::string version = util::Join(*parts, ".");
    if (kind == "U") {
      if (auto [it, inserted] = undo.emplace(version, path); !inserted) {
        throw Error(fmt::format("{}: undo version {} is also {}", path.string(), version,
                                it->second.string()));
      }
      continue;
    }
    ToolMigration migration;
    migration.version = version;
    migration.script = file;
    migration.id = "V" + util::Join(*parts, "_");
    migration.message = description;
    migration.file_stem = path.stem().string();
    migration.up_file = path;
    migration.upgrade_sql = TrimBody(text);
    if (std::optional<bool> tx = FlywayScriptTransaction(path)) {
      migration.transactional = *tx;
      if (!*tx) {
        migration.notes.push_back(fmt::format(
            "{}: Transactional: no, from executeInTransaction=false in its .conf", path.string()));
      }
    } else if (std::optional<std::string> reason = NonTransactionalReason(text)) {
      migration.transactional = false;
      migration.notes.push_back(
          fmt::format("{}: Transactional: no, because {}", path.string(), *reason));
    }
    if (auto it = versioned.find(version); it != versioned.end()) {
      throw Error(fmt::format("{}: version {} is also {}", path.string(), version,
                              it->second.up_file.string()));
    }
    versioned.emplace(version, std::move(migration));
  }
  for (const auto& [version, path] : undo) {
    auto it = versioned.find(version);
    if (it == versioned.end()) {
      throw Error(fmt::format("{}: an undo migration without a versioned migration {}",
                              path.string(), version));
    }
    std::string text = ReadText(path);
    CheckPlaceholders(path, text);
    it->second.downgrade_sql = TrimBody(text);
    it->second.has_down = HasStatements(it->second.downgrade_sql);
  }
  std::vector<ToolMigration> ordered;
  for (auto& [version, migration] : versioned) ordered.push_back(std::move(migration));
  std::sort(ordered.begin(), ordered.end(), [](const ToolMigration& a, const ToolMigration& b) {
    return CompareFlyway(a.version, b.version) < 0;
  });
  std::sort(repeatables.begin(), repeatables.end(),
            [](const ToolMigration& a, const ToolMigration& b) { return a.version < b.version; });
  for (ToolMigration& migration : repeatables) ordered.push_back(std::move(migration));
  for (const ToolMigration& migration : ordered) {
    if (auto [it, inserted] = ids.emplace(migration.id, migration.up_file); !inserted) {
      throw Error(fmt::format("{}: its revision id {} is also that of {}",
                              migration.up_file.string(), migration.id, it->second.string()));
    }
  }
  result.migrations = std::move(ordered);
  return result;
}

void CheckDuplicates(const ToolFolder& folder) {
  std::map<std::string, fs::path> seen;
  for (const ToolMigration& migration : folder.migrations) {
    if (auto [it, inserted] = seen.emplace(migration.id, migration.up_file); !inserted) {
      throw Error(fmt::format("{}: version {} is also {}", migration.up_file.string(),
                              migration.version, it->second.string()));
    }
  }
}

}  // namespace

ToolFolder ReadToolFolder(SqlTool tool, const fs::path& folder) {
  ToolFolder result;
  std::string_view expected;
  switch (tool) {
    case SqlTool::kDbmate:
      result = ReadDbmate(folder);
      expected = "dbmate migrations (VERSION_name.sql with '-- migrate:up')";
      break;
    case SqlTool::kGolangMigrate:
      result = ReadGolangMigrate(folder);
      expected = "golang-migrate migrations (N_name.up.sql)";
      break;
    case SqlTool::kFlyway:
      result = ReadFlyway(folder);
      expected = "Flyway migrations (V1__name.sql)";
      break;
    case SqlTool::kGoose:
      result = ReadGoose(folder);
      expected = "goose SQL migrations (N_name.sql with '-- +goose Up')";
      break;
  }
  if (result.migrations.empty()) {
    throw Error(fmt::format("{}: no {}", folder.string(), expected));
  }
  CheckDuplicates(result);
  return result;
}

std::string NormalizeVersion(SqlTool tool, std::string_view recorded_version) {
  std::string_view v = util::Trim(recorded_version);
  switch (tool) {
    case SqlTool::kDbmate:
      return std::string(v);
    case SqlTool::kGolangMigrate:
    case SqlTool::kGoose:
      return StripZeros(v);
    case SqlTool::kFlyway:
      if (std::optional<std::vector<std::string>> parts = FlywayParts(v)) {
        return util::Join(*parts, ".");
      }
      return std::string(v);
  }
  return std::string(v);
}

std::string IdForVersion(SqlTool tool, std::string_view recorded_version) {
  std::string version = NormalizeVersion(tool, recorded_version);
  if (tool == SqlTool::kFlyway) {
    std::string id = "V";
    for (char c : version) id += c == '.' ? '_' : c;
    return id;
  }
  return "v" + version;
}

}  // namespace retort::import
