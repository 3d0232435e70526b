#include "util/large_page_heap.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "testing/sanitized.h"

namespace retort::util {
namespace {

// "always [madvise] never" -> "madvise".
std::string ThpSetting() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto open = all.find('['), close = all.find(']');
  if (open == std::string::npos || close == std::string::npos) return "";
  return all.substr(open + 1, close - open - 1);
}

struct HeapUse {
  std::uintptr_t start = 0, end = 0;  // the [heap] mappings' span
  long huge_kb = 0;                   // their AnonHugePages
};

// "55d0c7a0f000-55d0c7a30000 rw-p ..." starts a mapping; "Size: ..." does not.
bool IsMappingLine(const std::string& line) {
  std::string first = line.substr(0, line.find(' '));
  return first.find('-') != std::string::npos &&
         first.find_first_not_of("0123456789abcdef-") == std::string::npos;
}

HeapUse Heap() {
  HeapUse heap;
  std::ifstream smaps("/proc/self/smaps");
  bool in_heap = false;
  for (std::string line; std::getline(smaps, line);) {
    if (IsMappingLine(line)) {
      in_heap = line.find(" [heap]") != std::string::npos;
      if (in_heap) {
        std::uintptr_t from = std::stoull(line.substr(0, line.find('-')), nullptr, 16);
        std::uintptr_t to = std::stoull(line.substr(line.find('-') + 1), nullptr, 16);
        if (heap.start == 0 || from < heap.start) heap.start = from;
        if (to > heap.end) heap.end = to;
      }
      continue;
    }
    if (in_heap && line.rfind("AnonHugePages:", 0) == 0) {
      std::istringstream fields(line.substr(14));
      long kb = 0;
      fields >> kb;
      heap.huge_kb += kb;
    }
  }
  return heap;
}

long MinorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

TEST(LargePageHeapTest, RejectsAReserveTooSmallForOneHugePage) {
  EXPECT_FALSE(UseLargePageHeap(1 << 20));
}

// What the CLI relies on: after the call, a command's many small objects
// and its large vectors land in the heap on huge pages, so 8 MB of them
// take a handful of page faults instead of ~2,000.
TEST(LargePageHeapTest, LaterBlocksLandOnHugePagesInTheHeap) {
  if (test::kSanitized) GTEST_SKIP() << "the sanitizer's allocator is not glibc's brk heap";
  std::string thp = ThpSetting();
  if (thp != "always" && thp != "madvise") {
    GTEST_SKIP() << "transparent huge pages are '" << thp << "' on this kernel";
  }
  ASSERT_TRUE(UseLargePageHeap(std::size_t{32} << 20));
  long faults_before = MinorFaults();
  std::vector<std::unique_ptr<char[]> > blocks;
  constexpr int kBlocks = 80000;
  blocks.reserve(kBlocks);
  for (int i = 0; i < kBlocks; ++i) {
    blocks.emplace_back(new char[100]);
    std::fill_n(blocks.back().get(), 100, static_cast<char>(i));
  }
  // A 400 KB block: past malloc's default mmap threshold, now in the heap.
  std::unique_ptr<char[]> large(new char[400 << 10]);
  std::fill_n(large.get(), 400 << 10, 'x');
  long faults = MinorFaults() - faults_before;
  for (int i = 0; i < kBlocks; i += 997) {
    ASSERT_EQ(blocks[i][99], static_cast<char>(i)) << "block " << i;
  }

  HeapUse heap = Heap();
  auto address = reinterpret_cast<std::uintptr_t>(large.get());
  EXPECT_TRUE(address >= heap.start && address < heap.end)
      << "the 400 KB block was mapped outside the heap";
  EXPECT_GE(heap.huge_kb, 2048) << "no huge page backs the heap";
  // 8.4 MB in 4 KiB pages would be ~2,150 faults.
  EXPECT_LT(faults, 500) << "page faults while filling 8.4 MB";
}

}  // namespace
}  // namespace retort::util
