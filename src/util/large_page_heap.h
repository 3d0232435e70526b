#ifndef RETORT_UTIL_LARGE_PAGE_HEAP_H_
#define RETORT_UTIL_LARGE_PAGE_HEAP_H_

#include <cstddef>

namespace retort::util {

// Backs the rest of this process's malloc heap with transparent huge pages
// where the kernel offers them (docs/performance.md, "Page faults"): the
// heap grows by `reserve` bytes at once, that range is marked
// MADV_HUGEPAGE, and blocks up to `reserve` bytes stay in it rather than
// getting mappings of their own. On virtual machines where each first touch
// of a 4 KiB page costs ~10 us, a command that builds a few MB of objects
// then takes a few faults instead of hundreds.
//
// For a short-lived program that owns its process (the retort CLI calls it
// first thing in main): a library must not retune its host's allocator, and
// huge pages raise the resident size by up to 2 MiB per touched range.
// Returns false, changing nothing that matters, when the heap is not
// glibc's brk heap (sanitizers, another allocator) or has no room; memory
// is then 4 KiB pages as before. Where THP is "never" it is a no-op in
// effect.
bool UseLargePageHeap(std::size_t reserve);

}  // namespace retort::util

#endif  // RETORT_UTIL_LARGE_PAGE_HEAP_H_
