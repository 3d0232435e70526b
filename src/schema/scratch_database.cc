#include "schema/scratch_database.h"

#include <fmt/format.h>

#include <random>
#include <string>
#include <system_error>

#include "retort/error.h"

namespace retort::schema {
namespace {

std::string RandomSuffix() {
  std::random_device device;
  std::mt19937_64 generator((static_cast<unsigned long long>(device()) << 32) ^ device());
  return fmt::format("{:016x}", generator());
}

}  // namespace

ScratchDatabase::ScratchDatabase(const Config& config) {
  std::optional<std::string> dev_url = config.Get("dev_url");
  const DatabaseUrl target = config.Url();
  DatabaseUrl base = dev_url && !dev_url->empty() ? DatabaseUrl::Parse(*dev_url) : target;
  // Revisions are written in the target's dialect: a scratch database of
  // another kind would fail them for the wrong reason.
  if (base.backend() != target.backend()) {
    throw UsageError(fmt::format(
        "dev_url {} is not the same kind of database as the target {}; set dev_url to a {} URL "
        "(or leave it empty)",
        base.Redacted(), target.Redacted(), target.dialect_name()));
  }
  if (base.backend() == DatabaseUrl::Backend::kSqlite) {
    folder_ = std::filesystem::temp_directory_path() / ("retort_scratch_" + RandomSuffix());
    std::error_code error;
    if (!std::filesystem::create_directory(folder_, error)) {
      throw Error(fmt::format("Can't create the scratch database folder {}: {}", folder_.string(),
                              error.message()));
    }
    try {
      // sqlite:////abs/path: four slashes for an absolute path.
      url_ = base.WithDatabase((folder_ / "scratch.db").string());
      config_ = config.WithUrl(url_);
    } catch (...) {
      Drop();
      throw;
    }
    return;
  }
  name_ = "retort_scratch_" + RandomSuffix();
  url_ = base.WithDatabase(name_);
  config_ = config.WithUrl(url_);
  server_url_ = std::make_unique<DatabaseUrl>(base);
  server_ = driver::Connect(base);
  try {
    if (base.backend() == DatabaseUrl::Backend::kMysql) {
      // The same default character set and collation as the database the
      // server URL names, so that tables declared without one get what
      // they would get there.
      std::string options;
      for (const driver::Row& row :
           server_->Query("SELECT @@character_set_database, @@collation_database")) {
        if (row.size() == 2 && row[0] && row[1]) {
          options = fmt::format(" CHARACTER SET {} COLLATE {}", *row[0], *row[1]);
        }
      }
      server_->ExecuteScript(fmt::format("CREATE DATABASE `{}`{}", name_, options));
    } else {
      server_->ExecuteScript(fmt::format("CREATE DATABASE \"{}\"", name_));
    }
  } catch (const Error& e) {
    throw Error(fmt::format("Can't create the scratch database {} on {}: {}", name_,
                            base.Redacted(), e.what()));
  }
}

ScratchDatabase::~ScratchDatabase() { Drop(); }

void ScratchDatabase::Drop() noexcept {
  if (!folder_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
    return;
  }
  if (!server_) return;
  const std::string drop = server_->dialect() == "mysql"
                               ? fmt::format("DROP DATABASE IF EXISTS `{}`", name_)
                               : fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name_);
  try {
    server_->ExecuteScript(drop);
  } catch (...) {
    // The server connection may have died while we worked: one fresh try.
    try {
      driver::Connect(*server_url_)->ExecuteScript(drop);
    } catch (...) {
      // A destructor cannot report; the name makes a leftover recognisable.
    }
  }
}

std::unique_ptr<driver::Connection> ScratchDatabase::Connect() const {
  return driver::Connect(url_);
}

std::string ScratchDatabase::Describe() const {
  if (!folder_.empty()) return url_.Redacted();
  return fmt::format("{} on {}", name_, server_url_->Redacted());
}

std::vector<std::string> BookkeepingTables(const Config& config) {
  std::string prefix =
      config.version_table_schema().empty() ? "" : config.version_table_schema() + ".";
  // "_progress": the per-statement progress table of MySQL runs.
  return {prefix + config.version_table(), prefix + config.version_table() + "_history",
          prefix + config.version_table() + "_progress"};
}

}  // namespace retort::schema
