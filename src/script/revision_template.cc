#include "script/revision_template.h"

#include <fmt/format.h>

#include "retort/error.h"
#include "util/strings.h"

namespace retort::script {

std::string RenderRevisionTemplate(std::string_view text,
                                   const std::map<std::string, std::string>& values,
                                   const std::string& name) {
  std::string out;
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    bool has_newline = end != std::string_view::npos;
    if (!has_newline) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (util::TrimLeft(line).substr(0, 2) == "##") continue;

    size_t line_start = out.size();
    size_t i = 0;
    while (i < line.size()) {
      char c = line[i];
      if (c != '$' || i + 1 >= line.size() || (line[i + 1] != '$' && line[i + 1] != '{')) {
        out += c;
        ++i;
        continue;
      }
      if (line[i + 1] == '$') {
        out += '$';
        i += 2;
        continue;
      }
      size_t close = line.find('}', i + 2);
      if (close == std::string_view::npos) {
        throw Error(
            fmt::format("{}:{}: unterminated placeholder '{}'", name, line_number, line.substr(i)));
      }
      std::string key(util::Trim(line.substr(i + 2, close - i - 2)));
      auto value = values.find(key);
      if (value == values.end()) {
        throw Error(fmt::format("{}:{}: unknown placeholder '${{{}}}'", name, line_number, key));
      }
      std::string prefix = out.substr(line_start);
      const std::string& v = value->second;
      for (size_t k = 0; k < v.size(); ++k) {
        out += v[k];
        if (v[k] == '\n' && k + 1 < v.size()) out += prefix;
      }
      i = close + 1;
    }
    if (has_newline) out += '\n';
  }
  return out;
}

}  // namespace retort::script
