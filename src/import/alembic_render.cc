#include "import/alembic_render.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "retort/error.h"
#include "util/strings.h"

extern char** environ;

namespace retort::import {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNeeds =
    "retort import alembic needs Python with Alembic and SQLAlchemy while it imports (never "
    "to run migrations)";

// A folder under $TMPDIR removed on every exit path.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "retort-alembic-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error(fmt::format("Cannot create a temporary folder: {}", std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string LastLine(const std::string& text) {
  std::vector<std::string> lines = util::Split(util::TrimRight(text), '\n');
  return lines.empty() ? std::string() : std::string(util::Trim(lines.back()));
}

// The interpreter of an executable Python script ("#!/usr/bin/python3",
// "#!/usr/bin/env python3"), or empty.
std::string ShebangPython(const fs::path& script) {
  std::ifstream in(script);
  std::string line;
  if (!std::getline(in, line) || line.rfind("#!", 0) != 0) return "";
  std::vector<std::string> words = util::SplitList(line.substr(2), " \t\r");
  if (words.empty()) return "";
  if (fs::path(words[0]).filename() == "env" && words.size() > 1) return words[1];
  return fs::path(words[0]).filename().string().rfind("python", 0) == 0 ? words[0] : "";
}

struct Record {
  std::string name;
  std::string value;
};

std::vector<Record> ParseRecords(const std::string& data) {
  std::vector<Record> records;
  size_t i = 0;
  while (i < data.size()) {
    size_t newline = data.find('\n', i);
    if (newline == std::string::npos) break;
    std::string head = data.substr(i, newline - i);
    size_t space = head.rfind(' ');
    if (space == std::string::npos) throw Error("Rendering with Alembic: unreadable helper output");
    size_t length = std::stoul(head.substr(space + 1));
    records.push_back({head.substr(0, space), data.substr(newline + 1, length)});
    i = newline + 1 + length + 1;
  }
  return records;
}

}  // namespace

std::string AlembicPython() {
  if (const char* python = std::getenv("RETORT_PYTHON"); python != nullptr && *python != '\0') {
    return python;
  }
  // The `alembic` on PATH knows the Python (often a virtualenv's) that has it.
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (const std::string& folder : util::Split(path, ':')) {
      if (folder.empty()) continue;
      fs::path candidate = fs::path(folder) / "alembic";
      if (access(candidate.c_str(), X_OK) == 0) {
        std::string python = ShebangPython(candidate);
        if (!python.empty()) return python;
      }
    }
  }
  return "python3";
}

std::vector<RenderedRevision> RenderAlembicRevisions(const std::vector<fs::path>& files,
                                                     const std::string& dialect) {
  std::vector<RenderedRevision> rendered(files.size());
  if (files.empty()) return rendered;
  ScratchFolder scratch;
  const fs::path helper = scratch.path() / "render.py";
  const fs::path list = scratch.path() / "files.txt";
  const fs::path out = scratch.path() / "out";
  const fs::path err = scratch.path() / "err";
  std::unordered_map<std::string, size_t> index;
  {
    std::ofstream(helper) << kAlembicRenderHelper;
    std::ofstream list_out(list);
    for (size_t i = 0; i < files.size(); ++i) {
      std::string absolute = fs::absolute(files[i]).lexically_normal().string();
      index.emplace(absolute, i);
      list_out << absolute << '\n';
    }
  }

  const std::string python = AlembicPython();
  std::vector<std::string> args{python,          "-X",    "utf8",        "-B",
                                helper.string(), dialect, list.string(), out.string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, python.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw UsageError(
        fmt::format("{}: cannot run '{}': {} (set RETORT_PYTHON to a Python that has "
                    "them)",
                    kNeeds, python, std::strerror(spawn_error)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string errors = ReadAll(err);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (code == 3 || code == 127) {
    throw UsageError(
        fmt::format("{}: '{}' cannot import them ({}); install them (apt-get install "
                    "python3-alembic, or pip install alembic) or set RETORT_PYTHON",
                    kNeeds, python, LastLine(errors)));
  }
  if (code != 0) {
    throw Error(fmt::format("Rendering the revisions with Alembic ('{}') failed: {}", python,
                            LastLine(errors)));
  }

  RenderedRevision* current = nullptr;
  std::vector<bool> seen(files.size(), false);
  for (Record& record : ParseRecords(ReadAll(out))) {
    if (record.name == "file") {
      auto it = index.find(record.value);
      current = it == index.end() ? nullptr : &rendered[it->second];
      if (current != nullptr) seen[it->second] = true;
      continue;
    }
    if (current == nullptr) continue;
    if (record.name == "syntax_error") throw Error(record.value);
    if (record.name == "module_error") {
      current->module_problem = std::move(record.value);
      continue;
    }
    const bool up = record.name.rfind("upgrade", 0) == 0;
    RenderedBody& body = up ? current->upgrade : current->downgrade;
    std::string_view kind = std::string_view(record.name).substr(up ? 7 : 9);
    if (kind.empty()) {
      body.sql = std::move(record.value);
    } else if (kind == "_error") {
      body.problem = std::move(record.value);
    } else if (kind == "_missing") {
      body.missing = true;
    } else if (kind == "_irreversible") {
      body.irreversible = true;
      body.problem = std::move(record.value);
    } else if (kind == "_autocommit") {
      body.autocommit = true;
    }
  }
  // A revision the helper never reported must not become an empty one.
  for (size_t i = 0; i < files.size(); ++i) {
    if (!seen[i]) {
      throw Error(fmt::format("Rendering with Alembic ('{}') returned nothing for '{}': {}", python,
                              files[i].string(), errors.empty() ? "no output" : LastLine(errors)));
    }
  }
  return rendered;
}

}  // namespace retort::import
