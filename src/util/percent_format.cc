#include "util/percent_format.h"

#include <fmt/format.h>

#include <optional>

namespace retort::util {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Pad(std::string text, size_t width, bool left, char fill) {
  if (text.size() >= width) return text;
  std::string padding(width - text.size(), fill);
  if (left) return text + std::string(width - text.size(), ' ');
  // Zero padding goes after the sign, as in Python.
  if (fill == '0' && !text.empty() && text[0] == '-') return "-" + padding + text.substr(1);
  return padding + text;
}

}  // namespace

std::string PercentFormat(std::string_view format, const std::map<std::string, PercentArg>& args) {
  std::string out;
  size_t i = 0;
  while (i < format.size()) {
    char c = format[i];
    if (c != '%') {
      out += c;
      ++i;
      continue;
    }
    size_t start = i;
    auto bad = [&]() {
      return UsageError(fmt::format("bad format '{}'", format.substr(start, i - start + 1)));
    };
    ++i;
    if (i < format.size() && format[i] == '%') {
      out += '%';
      ++i;
      continue;
    }
    if (i >= format.size() || format[i] != '(') throw bad();
    size_t close = format.find(')', i);
    if (close == std::string_view::npos) throw bad();
    std::string key(format.substr(i + 1, close - i - 1));
    i = close + 1;
    bool left = false;
    char fill = ' ';
    while (i < format.size() && (format[i] == '-' || format[i] == '0' || format[i] == ' ')) {
      if (format[i] == '-') left = true;
      if (format[i] == '0') fill = '0';
      ++i;
    }
    size_t width = 0;
    while (i < format.size() && IsDigit(format[i])) width = width * 10 + (format[i++] - '0');
    std::optional<size_t> precision;
    if (i < format.size() && format[i] == '.') {
      ++i;
      size_t p = 0;
      while (i < format.size() && IsDigit(format[i])) p = p * 10 + (format[i++] - '0');
      precision = p;
    }
    if (i >= format.size()) throw bad();
    char conversion = format[i];
    auto arg = args.find(key);
    if (arg == args.end()) {
      throw UsageError(fmt::format("unknown token '{}'", format.substr(start, i - start + 1)));
    }
    std::string text;
    if (conversion == 's') {
      text = std::holds_alternative<std::string>(arg->second)
                 ? std::get<std::string>(arg->second)
                 : std::to_string(std::get<std::int64_t>(arg->second));
      if (precision && text.size() > *precision) text.resize(*precision);
    } else if (conversion == 'd' || conversion == 'i') {
      if (!std::holds_alternative<std::int64_t>(arg->second)) {
        throw UsageError(fmt::format("token '{}' needs a number; use %({})s",
                                     format.substr(start, i - start + 1), key));
      }
      std::int64_t value = std::get<std::int64_t>(arg->second);
      std::string digits = std::to_string(value < 0 ? -value : value);
      if (precision && digits.size() < *precision) {
        digits = std::string(*precision - digits.size(), '0') + digits;
      }
      text = value < 0 ? "-" + digits : digits;
    } else {
      throw bad();
    }
    out += Pad(std::move(text), width, left, left ? ' ' : fill);
    ++i;
  }
  return out;
}

}  // namespace retort::util
