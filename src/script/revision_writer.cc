// Alembic's ScriptDirectory.generate_revision and _rev_path, for SQL files.
#include "script/revision_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "graph/errors.h"
#include "retort/error.h"
#include "script/project_template.h"
#include "script/revision_template.h"
#include "util/clock.h"
#include "util/percent_format.h"
#include "util/random_id.h"
#include "util/strings.h"

namespace retort::script {
namespace {

// The templates write "-- Transactional: yes" literally; the first such
// header line (before the upgrade marker) is the one to flip.
void MarkNonTransactional(std::string& text, const std::string& template_name) {
  size_t marker = text.find("-- migrate:upgrade");
  size_t at = text.find("Transactional: yes");
  if (at == std::string::npos || at > marker) {
    throw Error(
        fmt::format("{} has no 'Transactional: yes' header line to set to 'no'", template_name));
  }
  text.replace(at, std::string_view("Transactional: yes").size(), "Transactional: no");
}

namespace fs = std::filesystem;

constexpr char kMultipleHeads[] =
    "Multiple heads are present; please specify the head revision on which the new revision "
    "should be based, or perform a merge.";

// Alembic's _catch_revision_errors around a map lookup: its messages, as
// retort::Error (exit 1).
template <class F>
auto CatchRevisionErrors(std::string_view spec, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const graph::MultipleHeads&) {
    throw Error(kMultipleHeads);
  } catch (const graph::AmbiguousPrefix& e) {
    throw Error(e.what());
  } catch (const graph::ResolutionError& e) {
    throw Error(fmt::format("Can't locate revision identified by '{}'",
                            e.argument().empty() ? std::string(spec) : e.argument()));
  } catch (const graph::RevisionError& e) {
    throw Error(e.what());
  }
}

std::string ReadTemplate(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    // No script.sql.tmpl (a library user's hand-made folder): the built-in
    // generic one keeps `revision` working.
    return RevisionTemplateText("generic");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool SamePath(const fs::path& a, const fs::path& b) {
  auto normal = [](const fs::path& p) {
    fs::path n = fs::absolute(p).lexically_normal();
    if (!n.has_filename() && n.has_relative_path()) n = n.parent_path();
    return n;
  };
  return normal(a) == normal(b);
}

// O_EXCL: two revisions made in the same minute with one slug must not
// silently overwrite each other.
void WriteNewFile(const fs::path& path, const std::string& text) {
  std::error_code error;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) throw Error(fmt::format("File {} already exists", path.string()));
    throw Error(fmt::format("Cannot write {}: {}", path.string(), std::strerror(errno)));
  }
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      fs::remove(path, error);
      throw Error(fmt::format("Cannot write {}: {}", path.string(), std::strerror(saved)));
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
}

}  // namespace

fs::path WriteRevision(const Config& config, const ScriptDirectory& scripts,
                       const NewRevision& request) {
  const graph::RevisionMap& map = scripts.map();
  std::string rev_id = request.rev_id ? *request.rev_id : util::RandomRevisionId();
  if (!util::IsWordString(rev_id)) {
    throw UsageError(rev_id.empty()
                         ? std::string("Revision identifier must not be empty")
                         : fmt::format("Character(s) '{}' not allowed in revision identifier '{}'",
                                       util::NonWordCharacters(rev_id), rev_id));
  }
  if (map.Find(rev_id) != nullptr) {
    throw Error(
        fmt::format("Revision {} is already present in {}", rev_id, scripts.Get(rev_id).path));
  }

  // The parents: every spec resolved ("base" gives none, making a root).
  std::vector<const graph::Revision*> heads;
  for (const std::string& spec : request.heads) {
    for (const graph::Revision* revision :
         CatchRevisionErrors(spec, [&] { return map.GetRevisions(spec); })) {
      if (revision != nullptr) heads.push_back(revision);
    }
  }
  for (size_t i = 0; i < heads.size(); ++i) {
    if (std::find(heads.begin(), heads.begin() + static_cast<long>(i), heads[i]) !=
        heads.begin() + static_cast<long>(i)) {
      throw Error("Duplicate head revisions specified");
    }
  }

  util::Timestamp now = util::Now(config.GetOr("timezone", ""));

  // Where the file goes: --version-path, else the only location, else the
  // folder of the head it extends (so a branch stays in its own folder).
  fs::path version_path;
  const std::vector<fs::path>& locations = scripts.version_locations();
  if (request.version_path) {
    version_path = *request.version_path;
  } else if (locations.size() > 1) {
    if (heads.empty()) {
      throw Error("Multiple version locations present, please specify --version-path");
    }
    version_path = fs::path(scripts.Get(*heads.front()).path).parent_path();
  } else {
    version_path = locations.front();
  }
  if (std::none_of(locations.begin(), locations.end(),
                   [&](const fs::path& location) { return SamePath(location, version_path); })) {
    throw Error(fmt::format("Path {} is not represented in current version locations",
                            version_path.string()));
  }

  if (!request.splice) {
    for (const graph::Revision* head : heads) {
      if (!map.Info(*head).is_head) {
        throw Error(fmt::format(
            "Revision {} is not a head revision; please specify --splice to create a new branch "
            "from this revision",
            head->id));
      }
    }
  }

  // Depends On: a branch label stays a label, anything else becomes the
  // full id it names (Alembic keeps labels so the dependency follows them).
  std::vector<std::string> depends_on;
  for (const std::string& dep : request.depends_on) {
    const graph::Revision* revision =
        CatchRevisionErrors(dep, [&] { return map.GetRevision(dep); });
    if (revision == nullptr)
      throw Error(fmt::format("Can't locate revision identified by '{}'", dep));
    const std::vector<std::string>& labels = map.Info(*revision).all_branch_labels;
    bool is_label = std::find(labels.begin(), labels.end(), dep) != labels.end();
    depends_on.push_back(is_label ? dep : revision->id);
  }

  for (const std::string& label : request.branch_labels) {
    if (label.empty() || label.find_first_of("@:, \t") != std::string::npos ||
        label.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
            std::string::npos) {
      throw UsageError(
          fmt::format("Bad branch label '{}': use letters, digits, '_', '-' or '.'", label));
    }
    for (const graph::Revision& other : map.revisions()) {
      bool taken = other.id == label ||
                   std::find(other.branch_labels.begin(), other.branch_labels.end(), label) !=
                       other.branch_labels.end();
      if (taken) {
        throw Error(fmt::format("Branch name '{}' in revision {} already used by revision {}",
                                label, rev_id, other.id));
      }
    }
  }

  std::string slug = util::Slugify(request.message, config.truncate_slug_length());
  std::string file_name;
  try {
    file_name = util::PercentFormat(config.file_template(), {{"rev", rev_id},
                                                             {"slug", slug},
                                                             {"epoch", now.epoch},
                                                             {"year", std::int64_t{now.year}},
                                                             {"month", std::int64_t{now.month}},
                                                             {"day", std::int64_t{now.day}},
                                                             {"hour", std::int64_t{now.hour}},
                                                             {"minute", std::int64_t{now.minute}},
                                                             {"second", std::int64_t{now.second}}});
  } catch (const UsageError& e) {
    throw UsageError(
        fmt::format("{}: setting 'file_template': {}", config.file().string(), e.what()));
  }
  fs::path path = version_path / (file_name + ".sql");

  std::vector<std::string> down_revisions;
  for (const graph::Revision* head : heads) down_revisions.push_back(head->id);
  fs::path template_path = scripts.location() / "script.sql.tmpl";
  std::string text = RenderRevisionTemplate(
      ReadTemplate(template_path),
      {{"message", request.message.empty() ? "empty message" : request.message},
       {"up_revision", rev_id},
       {"down_revision", util::Join(down_revisions, ", ")},
       {"create_date", util::FormatCreateDate(now)},
       {"branch_labels", util::Join(request.branch_labels, ", ")},
       {"depends_on", util::Join(depends_on, ", ")},
       {"upgrades", request.upgrade_sql.value_or("")},
       {"downgrades", request.downgrade_sql.value_or("")}},
      template_path.string());
  if (!request.transactional) MarkNonTransactional(text, template_path.string());

  std::error_code error;
  fs::create_directories(version_path, error);
  WriteNewFile(path, text);

  // Read it back as `upgrade` will: a template that lost a header must fail
  // now, not at the next command. The bad file is removed so the folder
  // stays loadable.
  auto reject = [&](const std::string& message) {
    fs::remove(path, error);
    throw Error(message);
  };
  Script script;
  try {
    script = ParseRevisionFile(path);
  } catch (const Error& e) {
    reject(fmt::format("{} (check {})", e.what(), template_path.string()));
  }
  if (script.revision.id != rev_id) {
    reject(fmt::format("{} does not render 'Revision ID: {}'; check its header lines",
                       template_path.string(), rev_id));
  }
  if (script.revision.down_revisions != down_revisions) {
    reject(fmt::format("{} does not render 'Revises: ${{down_revision}}'", template_path.string()));
  }
  if (!request.branch_labels.empty() && script.revision.branch_labels != request.branch_labels) {
    reject(fmt::format(
        "Version {} specified branch_labels {}, however the migration file {} does not have them; "
        "have you upgraded your script.sql.tmpl to include the 'Branch Labels' header?",
        rev_id, util::Join(request.branch_labels, ", "), path.string()));
  }
  if (script.revision.dependencies != depends_on) {
    reject(fmt::format("{} does not render 'Depends On: ${{depends_on}}'", template_path.string()));
  }
  if (!request.transactional && script.transactional) {
    reject(fmt::format("{} does not render 'Transactional: no'", template_path.string()));
  }
  return path;
}

void WriteGivenRevision(std::string_view template_text, const std::string& template_name,
                        const fs::path& path, const GivenRevision& revision) {
  std::string text = RenderRevisionTemplate(
      template_text,
      {{"message", revision.message.empty() ? "empty message" : revision.message},
       {"up_revision", revision.id},
       {"down_revision", util::Join(revision.down_revisions, ", ")},
       {"create_date", revision.create_date},
       {"branch_labels", util::Join(revision.branch_labels, ", ")},
       {"depends_on", util::Join(revision.depends_on, ", ")},
       {"upgrades", revision.upgrade_sql},
       {"downgrades", revision.downgrade_sql}},
      template_name);
  if (!revision.transactional) MarkNonTransactional(text, template_name);
  WriteNewFile(path, text);
  std::error_code error;
  auto reject = [&](const std::string& message) {
    fs::remove(path, error);
    throw Error(message);
  };
  Script script;
  try {
    script = ParseRevisionFile(path);
  } catch (const Error& e) {
    reject(fmt::format("{} (check {})", e.what(), template_name));
  }
  if (script.revision.id != revision.id ||
      script.revision.down_revisions != revision.down_revisions ||
      script.revision.branch_labels != revision.branch_labels ||
      script.revision.dependencies != revision.depends_on ||
      script.transactional != revision.transactional) {
    reject(fmt::format(
        "{} does not render the headers of revision {} (Revision ID, Revises, Branch Labels, "
        "Depends On, Transactional); check its header lines",
        template_name, revision.id));
  }
}

}  // namespace retort::script
