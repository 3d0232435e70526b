#include "util/page_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

namespace retort::util {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// From here a buffer is put on huge pages: zeroing one 2 MiB page costs
// about what populating 30-40 small ones does on the VMs measured.
constexpr std::size_t kHugeFrom = 256 << 10;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older kernels say EINVAL
#endif

}  // namespace

PageBuffer PageBuffer::Read(int fd, std::size_t offset, std::size_t size) {
  PageBuffer buffer;
  if (size == 0) return buffer;
  if (size >= kHugeFrom) {
    // A 2 MiB-aligned range inside a larger reservation, marked for huge
    // pages, then populated at once (with 4 KiB pages where THP is off).
    std::size_t length = (size + kHugePage - 1) & ~(kHugePage - 1);
    void* mapping = ::mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) return buffer;
    buffer.mapping_ = mapping;
    buffer.mapped_ = length + kHugePage;
    auto aligned = (reinterpret_cast<std::uintptr_t>(mapping) + kHugePage - 1) &
                   ~std::uintptr_t{kHugePage - 1};
    buffer.data_ = reinterpret_cast<char*>(aligned);
    ::madvise(buffer.data_, length, MADV_HUGEPAGE);
    ::madvise(buffer.data_, length, MADV_POPULATE_WRITE);
  } else {
    void* mapping = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mapping == MAP_FAILED) return buffer;
    buffer.mapping_ = mapping;
    buffer.mapped_ = size;
    buffer.data_ = static_cast<char*>(mapping);
  }
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::pread(fd, buffer.data_ + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != size) return PageBuffer();  // `buffer` unmaps on the way out
  buffer.size_ = size;
  return buffer;
}

PageBuffer::~PageBuffer() { Release(); }

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)),
      mapped_(std::exchange(other.mapped_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapped_ = std::exchange(other.mapped_, 0);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void PageBuffer::Release() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_);
  mapping_ = nullptr;
  mapped_ = 0;
  data_ = nullptr;
  size_ = 0;
}

}  // namespace retort::util
