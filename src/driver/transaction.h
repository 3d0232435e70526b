#ifndef RETORT_DRIVER_TRANSACTION_H_
#define RETORT_DRIVER_TRANSACTION_H_

#include "driver/connection.h"

namespace retort::driver {

// A transaction on `connection` that rolls back unless Commit() is called,
// so every early return and exception leaves the database as it was.
// The connection must outlive it.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) { connection_.Begin(); }
  ~Transaction() {
    if (open_) {
      // A destructor must not throw; a failed rollback leaves SQLite and
      // PostgreSQL to discard the transaction when the connection closes.
      try {
        connection_.Rollback();
      } catch (...) {
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit() {
    open_ = false;
    connection_.Commit();
  }
  void Rollback() {
    open_ = false;
    connection_.Rollback();
  }
  bool open() const { return open_; }

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace retort::driver

#endif  // RETORT_DRIVER_TRANSACTION_H_
