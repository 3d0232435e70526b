// A service that owns its schema: its migrations are compiled into the
// binary (retort_embed_migrations in CMakeLists.txt), it registers the C++
// step one of them names, and it upgrades the database at start-up before
// doing its work. Usage: retort_example_service DATABASE_URL
#include <retort/retort.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "service_migrations.h"  // generated: service_migrations()

namespace {

// The data migration of revision 8f3a9b7c6d5e: program logic that plain SQL
// would make awkward. It runs on the migration's connection, inside the
// revision's transaction; throwing rolls the revision back.
void BackfillOrderSize(retort::Connection& db) {
  for (const retort::Row& row :
       db.Query("SELECT id, amount_cents FROM orders WHERE size IS NULL")) {
    const long cents = std::stol(row[1].value_or("0"));
    const std::string size = cents >= 10000 ? "large" : "small";
    db.Query("UPDATE orders SET size = $1 WHERE id = $2", {size, row[0].value_or("")});
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " DATABASE_URL\n";
    return 2;
  }
  const std::string url = argv[1];
  try {
    retort::StepRegistry steps;
    steps.Register("backfill_order_size", BackfillOrderSize);

    retort::Options options;
    options.steps = &steps;
    // A service would hand these to its own logger.
    options.log = [](const std::string& line) { std::cerr << "[migrations] " << line << '\n'; };
    std::vector<retort::AppliedStep> applied =
        retort::Upgrade(url, service_migrations(), "head", options);
    std::cout << "applied " << applied.size() << " revision(s)\n";

    std::unique_ptr<retort::Connection> db = retort::Connect(url);
    for (const retort::Row& row : db->Query("SELECT id, size FROM orders ORDER BY id")) {
      std::cout << "order " << row[0].value_or("NULL") << ": " << row[1].value_or("NULL") << '\n';
    }
    return 0;
  } catch (const retort::Error& e) {
    std::cerr << "FAILED: " << e.what() << '\n';
    return e.ExitCode();
  }
}
