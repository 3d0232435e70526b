#include "util/random_id.h"

#include <random>

namespace retort::util {

std::string RandomRevisionId() {
  static constexpr char kHex[] = "0123456789abcdef";
  // random_device is not seeded state: two processes started in the same
  // microsecond still get different ids.
  std::random_device device;
  std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32) | device();
  std::string id(12, '0');
  for (int i = 11; i >= 0; --i) {
    id[static_cast<size_t>(i)] = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

}  // namespace retort::util
