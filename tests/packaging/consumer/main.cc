// A program built against an installed retort (tests/packaging): parses a
// URL, loads a project's retort.ini and upgrades an SQLite database to head
// through the library, as an application does at start-up.
//
// Usage: consumer PROJECT_DIR DATABASE_FILE
// Prints "url: ...", "upgraded: N revision(s)" and "error: ..." for a bad
// URL; exits 1 on any unexpected failure.
#include <retort/commands.h>
#include <retort/config.h>
#include <retort/database_url.h>
#include <retort/error.h>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer PROJECT_DIR DATABASE_FILE\n");
    return 2;
  }
  const std::string project = argv[1];
  const std::string url = std::string("sqlite:///") + argv[2];
  try {
    retort::DatabaseUrl parsed = retort::DatabaseUrl::Parse(url);
    if (parsed.backend() != retort::DatabaseUrl::Backend::kSqlite) return 1;
    std::printf("url: %s\n", parsed.Redacted().c_str());

    retort::ConfigSource source;
    source.file = project + "/retort.ini";
    source.url = url;
    retort::Config config = retort::Config::Load(source);

    retort::Output out;
    out.print = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
    out.log = [](const std::string& line) { std::printf("log: %s\n", line.c_str()); };
    auto steps = retort::Upgrade(config, "head", retort::MigrateOptions{}, out);
    std::printf("upgraded: %zu revision(s)\n", steps.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected: %s\n", e.what());
    return 1;
  }
  // Errors are retort::Error with the CLI's one-line message.
  try {
    retort::DatabaseUrl::Parse("oracle://u:secret@host/db");
    return 1;
  } catch (const retort::Error& e) {
    std::printf("error: %s (exit %d)\n", e.what(), e.ExitCode());
  }
  return 0;
}
