#ifndef RETORT_UTIL_PAGE_BUFFER_H_
#define RETORT_UTIL_PAGE_BUFFER_H_

#include <cstddef>
#include <string_view>

namespace retort::util {

// Bytes of a file read into memory of their own, for a reader that keeps
// views into them (the revision cache). The memory is populated in one
// system call instead of a page fault per 4 KiB, on 2 MiB transparent huge
// pages when the read is large (docs/performance.md, "Page faults"). Read,
// not mapped from the file: a file truncated by someone else meanwhile must
// not turn into SIGBUS. Move-only; the memory lives as long as the buffer.
class PageBuffer {
 public:
  // `size` bytes of `fd` from `offset`; an empty buffer when the file is
  // shorter or the memory cannot be had.
  static PageBuffer Read(int fd, std::size_t offset, std::size_t size);

  PageBuffer() = default;
  ~PageBuffer();
  PageBuffer(PageBuffer&& other) noexcept;
  PageBuffer& operator=(PageBuffer&& other) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  bool empty() const { return data_ == nullptr; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }

 private:
  void Release();

  void* mapping_ = nullptr;  // what munmap() gets back
  std::size_t mapped_ = 0;
  char* data_ = nullptr;  // within the mapping (2 MiB-aligned when large)
  std::size_t size_ = 0;
};

}  // namespace retort::util

#endif  // RETORT_UTIL_PAGE_BUFFER_H_
