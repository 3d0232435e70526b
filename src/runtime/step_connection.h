#ifndef RETORT_RUNTIME_STEP_CONNECTION_H_
#define RETORT_RUNTIME_STEP_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "driver/connection.h"
#include "retort/step.h"

namespace retort::runtime {

// The public Connection (retort/step.h) over a driver connection: what a
// C++ step receives (borrowing the run's connection) and what
// retort::Connect() returns (owning its own).
class StepConnection : public Connection {
 public:
  explicit StepConnection(driver::Connection& db) : db_(db) {}
  explicit StepConnection(std::unique_ptr<driver::Connection> owned)
      : owned_(std::move(owned)), db_(*owned_) {}

  void Execute(const std::string& sql) override { db_.ExecuteScript(sql); }
  std::vector<Row> Query(const std::string& sql, const std::vector<std::string>& params) override {
    return db_.Query(sql, params);
  }
  std::string dialect() const override { return std::string(db_.dialect()); }

 private:
  std::unique_ptr<driver::Connection> owned_;
  driver::Connection& db_;
};

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_STEP_CONNECTION_H_
