// The commands that write files: init, list_templates, revision, merge, edit.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "commands/environment.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "script/project_template.h"
#include "script/revision_writer.h"

namespace retort {

void Init(const std::filesystem::path& directory, const std::filesystem::path& config_file,
          const std::string& template_name, const Output& out) {
  for (const std::filesystem::path& written :
       script::InitProject(directory, config_file, template_name)) {
    out.print(fmt::format("  Creating {} ...  done", written.string()));
  }
  out.print(fmt::format("Please edit configuration/connection settings in '{}' before proceeding.",
                        config_file.string()));
}

void ListTemplates(const Output& out) {
  out.print("Available templates:");
  out.print("");
  for (const script::ProjectTemplate& project : script::ListTemplates()) {
    out.print(fmt::format("{} - {}", project.name, project.description));
  }
  out.print("");
  out.print("Templates are used via the 'init' command, e.g.:");
  out.print("");
  out.print("  retort init --template generic ./scripts");
}

std::filesystem::path MakeRevision(const Config& config, const RevisionOptions& options) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  return script::WriteRevision(config, scripts, commands::ToRequest(options));
}

std::filesystem::path Merge(const Config& config, const std::vector<std::string>& revisions,
                            const RevisionOptions& options) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  script::NewRevision request = commands::ToRequest(options);
  request.heads = revisions;
  // A merge creates a new head from existing ones by definition.
  request.splice = false;
  return script::WriteRevision(config, scripts, request);
}

void Edit(const Config& config, const std::string& revision) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  std::vector<const graph::Revision*> found;
  if (revision == "current") {
    for (const std::string& row : commands::ReadCurrentHeads(config, scripts)) {
      for (const graph::Revision* r : scripts.map().GetRevisions(row)) found.push_back(r);
    }
    if (found.empty()) throw Error("No current revisions");
  } else {
    found = scripts.map().GetRevisions(revision);
    if (found.empty()) {
      throw Error(fmt::format("No revision files indicated by symbol '{}'", revision));
    }
  }
  std::string editor;
  for (const char* variable : {"EDITOR", "VISUAL"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value != '\0') {
      editor = value;
      break;
    }
  }
  if (editor.empty()) editor = "vi";
  for (const graph::Revision* r : found) {
    if (r == nullptr) continue;
    std::string path = scripts.Get(*r).path;
    // The editor may carry arguments ("code -w"), so let the shell split it;
    // the path is passed as a separate argument, never interpolated.
    pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", (editor + " \"$1\"").c_str(), "sh", path.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      throw Error(fmt::format("Editor '{}' failed on {}", editor, path));
    }
  }
}

}  // namespace retort
