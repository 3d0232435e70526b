#include "util/page_buffer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace retort::util {
namespace {

namespace fs = std::filesystem;

// A file of `size` bytes whose every byte tells its offset (mod 251).
class PageBufferTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) fs::remove(path_);
  }
  int Open(std::size_t size) {
    char name[] = "/tmp/retort-page-buffer-XXXXXX";
    fd_ = ::mkstemp(name);
    path_ = name;
    content_.resize(size);
    for (std::size_t i = 0; i < size; ++i) content_[i] = static_cast<char>(i % 251);
    std::ofstream(path_, std::ios::binary) << content_;
    return fd_;
  }
  int fd_ = -1;
  fs::path path_;
  std::string content_;
};

TEST_F(PageBufferTest, ReadsASmallRangeExactly) {
  int fd = Open(10000);
  PageBuffer buffer = PageBuffer::Read(fd, 100, 5000);
  ASSERT_FALSE(buffer.empty());
  EXPECT_EQ(buffer.size(), 5000u);
  EXPECT_EQ(buffer.view(), std::string_view(content_).substr(100, 5000));
}

// Past 256 KiB the buffer is on huge pages: the bytes must be the same.
TEST_F(PageBufferTest, ReadsALargeRangeExactly) {
  int fd = Open(5 << 20);
  PageBuffer buffer = PageBuffer::Read(fd, 12345, (4 << 20) + 7);
  ASSERT_FALSE(buffer.empty());
  EXPECT_EQ(buffer.size(), (4u << 20) + 7);
  EXPECT_TRUE(buffer.view() == std::string_view(content_).substr(12345, (4 << 20) + 7))
      << "the large read differs from the file";
}

TEST_F(PageBufferTest, AShortFileGivesAnEmptyBuffer) {
  int fd = Open(300 << 10);
  EXPECT_TRUE(PageBuffer::Read(fd, 0, (300 << 10) + 1).empty());
  EXPECT_TRUE(PageBuffer::Read(fd, 1000, 300 << 10).empty());
  EXPECT_TRUE(PageBuffer::Read(fd, 0, 0).empty());
  EXPECT_TRUE(PageBuffer::Read(-1, 0, 100).empty());
}

TEST_F(PageBufferTest, MovingKeepsTheBytesAndEmptiesTheSource) {
  int fd = Open(400 << 10);
  PageBuffer first = PageBuffer::Read(fd, 0, 400 << 10);
  ASSERT_FALSE(first.empty());
  PageBuffer second(std::move(first));
  EXPECT_TRUE(first.empty());  // NOLINT(bugprone-use-after-move): what a move leaves
  EXPECT_EQ(second.view(), std::string_view(content_));
  PageBuffer third = PageBuffer::Read(fd, 0, 10);
  third = std::move(second);
  EXPECT_EQ(third.view(), std::string_view(content_));
}

}  // namespace
}  // namespace retort::util
