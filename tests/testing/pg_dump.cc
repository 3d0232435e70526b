#include "testing/pg_dump.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace retort::test {

std::string PgBin(const std::string& program) {
  std::string best;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
    std::filesystem::path candidate = entry.path() / "bin" / program;
    if (std::filesystem::exists(candidate) && candidate.string() > best) best = candidate.string();
  }
  return best;
}

std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

std::string PgDumpCatalog(const std::string& url) {
  std::string dump = Capture(PgBin("pg_dump") +
                             " --schema-only --no-owner --no-privileges "
                             "--exclude-table='retort_*' '" +
                             url + "'");
  std::istringstream in(dump);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("--") || line.starts_with("\\restrict") ||
        line.starts_with("\\unrestrict")) {
      continue;
    }
    kept += line + "\n";
  }
  return kept;
}

}  // namespace retort::test
