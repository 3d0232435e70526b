#include "util/large_page_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace retort::util {
namespace {

// The block below the huge-page range: kept reachable, so that a leak
// checker does not report it.
void* volatile filler = nullptr;

}  // namespace

bool UseLargePageHeap(std::size_t reserve) {
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  constexpr std::size_t kProbe = 256 << 10;
  if (reserve < 2 * kHugePage || reserve > (std::size_t{1} << 30)) return false;
  // Grow the heap in `reserve` steps, and keep blocks up to that size in it
  // (a 400 KB vector would otherwise be a mapping of its own, 4 KiB pages).
  if (mallopt(M_TOP_PAD, static_cast<int>(reserve)) == 0) return false;
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(reserve));
  // A block larger than what is left at the heap's top makes malloc extend
  // the heap once, by the block plus the pad; freed, it is the top again,
  // so `probe` is where the next blocks will go. (volatile: a compiler may
  // drop a malloc whose block is never used.)
  char* volatile probe = static_cast<char*>(std::malloc(kProbe));
  if (probe == nullptr) return false;
  std::free(probe);
  auto top = reinterpret_cast<std::uintptr_t>(probe);
  auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  // Not glibc's brk heap (an interposed allocator, a sanitizer's): leave it.
  if (end < top || end - top > reserve + 2 * kProbe) return false;
  // Huge pages only where no 4 KiB page has been touched yet: from the
  // first 2 MiB boundary past the probe's pages.
  std::uintptr_t from = (top + kProbe + 4096 + kHugePage - 1) & ~(kHugePage - 1);
  std::uintptr_t to = end & ~(kHugePage - 1);
  if (to <= from) return false;
  if (madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE) != 0) return false;
  // Fill the heap up to `from` with a block never freed nor touched past its
  // header (no memory behind it), so that the next blocks start there.
  filler = std::malloc(from - top - 64);
  return filler != nullptr;
}

}  // namespace retort::util
