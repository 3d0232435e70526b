#ifndef RETORT_ERROR_H_
#define RETORT_ERROR_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace retort {

// `message` as one printable line, as every Error's what() is: control
// characters are written as escapes (a newline as \n, ESC as \x1b, NUL as
// \x00), as are bytes that are not UTF-8 and C1 controls, so echoed input
// can neither split the line, drive the terminal nor cut the message short.
// Longer than 4,000 characters, the middle is left out (the start and the
// end, where messages say what to do, are kept). Idempotent: backslashes
// themselves are not escaped. Defined in src/util/one_line.cc.
std::string OneLine(std::string_view message);
// `message` with every URL-looking password replaced by "***" (user:pw@
// credentials, also in mistyped URLs, and password= parameters), as every
// Error's what() is: a URL echoed by any error path never shows one.
// Defined in src/util/one_line.cc.
std::string MaskSecrets(std::string_view message);

// Every failure retort reports. what() is the single line a user sees: it names
// the file, line, revision or setting at fault and never contains a password.
// ExitCode() is what the CLI exits with: 1 when an operation failed (bad
// revision file, unknown revision, SQL error, ...), 2 for usage or
// configuration errors (bad arguments, config file, URL).
class Error : public std::runtime_error {
 public:
  enum class Kind { kFailure, kUsage };

  explicit Error(const std::string& message, Kind kind = Kind::kFailure)
      : std::runtime_error(OneLine(MaskSecrets(message))), kind_(kind) {}

  Kind kind() const { return kind_; }
  int ExitCode() const { return kind_ == Kind::kUsage ? 2 : 1; }

 private:
  Kind kind_;
};

// A bad command line, configuration file, section, setting or URL (exit 2).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, Kind::kUsage) {}
};

}  // namespace retort

#endif  // RETORT_ERROR_H_
