// retort::OneLine (declared in retort/error.h): every error message passes
// through it, so this is the one place echoed input is made printable.

#include <fmt/format.h>

#include "retort/error.h"
#include "util/ini.h"

namespace retort {
namespace {

constexpr size_t kMaxLength = 4000;
constexpr size_t kKeepHead = 3000;
constexpr size_t kKeepTail = 900;

void Escape(std::string& out, unsigned char byte) {
  switch (byte) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += fmt::format("\\x{:02x}", byte);
  }
}

// The length of the well-formed UTF-8 sequence at text[i] (2 to 4 bytes,
// no overlong forms, surrogates or C1 controls), or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char second = byte(i + 1);
  if (lead == 0xC2 && second < 0xA0) return 0;   // U+0080..U+009F: C1
  if (lead == 0xE0 && second < 0xA0) return 0;   // overlong
  if (lead == 0xED && second >= 0xA0) return 0;  // surrogate
  if (lead == 0xF0 && second < 0x90) return 0;   // overlong
  if (lead == 0xF4 && second >= 0x90) return 0;  // > U+10FFFF
  return length;
}

bool IsCut(std::string_view text, size_t i) {
  return i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
}

}  // namespace

std::string OneLine(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (size_t i = 0; i < message.size();) {
    auto c = static_cast<unsigned char>(message[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t length = c >= 0x80 ? Utf8Length(message, i) : 0; length > 0) {
      out.append(message.substr(i, length));
      i += length;
    } else {
      Escape(out, c);
      ++i;
    }
  }
  if (out.size() <= kMaxLength) return out;
  // Cut at character boundaries (the escaped text is ASCII and UTF-8).
  size_t head = kKeepHead, tail = out.size() - kKeepTail;
  while (IsCut(out, head)) --head;
  while (IsCut(out, tail)) ++tail;
  return fmt::format("{} ... [{} characters left out] ... {}", out.substr(0, head), tail - head,
                     out.substr(tail));
}

std::string MaskSecrets(std::string_view message) { return util::MaskUrlPasswords(message); }

}  // namespace retort
