#ifndef RETORT_SCRIPT_REVISION_TEMPLATE_H_
#define RETORT_SCRIPT_REVISION_TEMPLATE_H_

// Rendering script.sql.tmpl. The syntax (documented to users at the top of
// every installed template):
//   - lines starting with "##" are template comments and are dropped;
//   - ${name} is replaced by values[name]; "$$" is a literal '$'; any other
//     '$' is copied as is (SQL dollar quoting like $body$ keeps working);
//   - a value of several lines repeats, on each further line, the text that
//     precedes its placeholder on the template line ("-- ${message}").

#include <map>
#include <string>
#include <string_view>

namespace retort::script {

// Throws retort::Error "NAME:LINE: unknown placeholder '${x}'" or
// "NAME:LINE: unterminated placeholder", naming the template by `name`.
std::string RenderRevisionTemplate(std::string_view text,
                                   const std::map<std::string, std::string>& values,
                                   const std::string& name);

}  // namespace retort::script

#endif  // RETORT_SCRIPT_REVISION_TEMPLATE_H_
