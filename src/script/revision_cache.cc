#include "script/revision_cache.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string_view>
#include <utility>

#include "util/checksum.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;

// Bump when the entry layout or what the parser stores changes. A new build
// of retort invalidates the cache anyway (the identity line names the
// binary); this covers builds that keep the binary's stat.
constexpr std::string_view kMagic = "retort-revision-cache 2";
// "end " + 16 hex digits (payload length) + " " + 16 hex digits (hash) + "\n"
constexpr std::size_t kTrailerSize = 38;
// An entry is kept only when its file's ctime is older than this: two
// writes of the same size within one timestamp tick (coarse clocks, 1 s or
// 2 s on some file systems) would leave the stat unchanged.
constexpr long long kSettleNs = 2'000'000'000LL;

struct Corrupt {};

std::uint64_t HashOf(std::string_view bytes) { return std::hash<std::string_view>{}(bytes); }

// Which build wrote the cache: the running binary's stat (any rebuild
// changes it) and the checksum of a probe text (a changed normaliser would
// change every checksum).
std::string Identity() {
  std::string identity;
  struct stat info {};
  if (::stat("/proc/self/exe", &info) == 0) {
    identity = fmt::format("exe {} {} {} {}.{}", info.st_dev, info.st_ino, info.st_size,
                           info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
  }
  identity += " probe " + util::SqlChecksum("CREATE TABLE [a  b] (x INT); -- c\n/* d */ 'e  f'",
                                            "DROP  TABLE \"t\";\n");
  return identity;
}

class Writer {
 public:
  void Number(long long value) { out_ += fmt::format("{} ", value); }
  void Unsigned(unsigned long long value) { out_ += fmt::format("{} ", value); }
  void Text(std::string_view text) {
    out_ += fmt::format("{}:", text.size());
    out_ += text;
  }
  void List(const std::vector<std::string>& items) {
    Unsigned(items.size());
    for (const std::string& item : items) Text(item);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }
  unsigned long long Unsigned() {
    unsigned long long value = 0;
    std::size_t start = pos_;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
      if (value > (~0ULL) / 10 - 10) throw Corrupt{};
      value = value * 10 + static_cast<unsigned>(in_[pos_++] - '0');
    }
    if (pos_ == start) throw Corrupt{};
    return value;
  }
  long long Number() {
    bool negative = pos_ < in_.size() && in_[pos_] == '-';
    if (negative) ++pos_;
    unsigned long long value = Unsigned();
    Expect(' ');
    if (value > static_cast<unsigned long long>(1LL << 62)) throw Corrupt{};
    return negative ? -static_cast<long long>(value) : static_cast<long long>(value);
  }
  unsigned long long Count() {
    unsigned long long value = Unsigned();
    Expect(' ');
    if (value > in_.size()) throw Corrupt{};  // more items than bytes left
    return value;
  }
  std::string_view Text() {
    unsigned long long length = Unsigned();
    Expect(':');
    if (length > in_.size() - pos_) throw Corrupt{};
    std::string_view text = in_.substr(pos_, length);
    pos_ += length;
    return text;
  }
  void List(std::vector<std::string>& items) {
    items.resize(Count());
    for (std::string& item : items) item = Text();
  }
  bool Flag() {
    long long value = Number();
    if (value != 0 && value != 1) throw Corrupt{};
    return value == 1;
  }

 private:
  void Expect(char c) {
    if (pos_ >= in_.size() || in_[pos_] != c) throw Corrupt{};
    ++pos_;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

void WriteSection(Writer& out, const SqlSection& section) {
  out.Number(section.first_line);
  out.Number(section.has_statements ? 1 : 0);
}

SqlSection ReadSection(Reader& in) {
  SqlSection section;
  section.first_line = static_cast<int>(in.Number());
  section.has_statements = in.Flag();
  return section;
}

// The whole file, read into anonymous memory mapped with MAP_POPULATE (one
// system call instead of a page fault per 4 KiB of a heap buffer). Read, not
// mapped from the file: a cache truncated by someone else meanwhile must
// not turn into SIGBUS. Empty when missing, unreadable or changed size.
std::string_view ReadAll(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size <= 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return {};
  }
  auto size = static_cast<std::size_t>(info.st_size);
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (data == MAP_FAILED) {
    ::close(fd);
    return {};
  }
  char* bytes = static_cast<char*>(data);
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, bytes + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != size) {
    ::munmap(data, size);
    return {};
  }
  return {bytes, size};
}

long long NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<fs::path> RevisionCache::PathFor(const fs::path& script_location) {
  if (const char* off = std::getenv("RETORT_NO_CACHE");
      off != nullptr && *off != '\0' && std::strcmp(off, "0") != 0) {
    return std::nullopt;
  }
  return script_location / ".retort-cache";
}

RevisionCache::~RevisionCache() {
  if (buffer_ != nullptr) ::munmap(buffer_, buffer_size_);
}

RevisionCache::RevisionCache(RevisionCache&& other) noexcept
    : buffer_(std::exchange(other.buffer_, nullptr)),
      buffer_size_(std::exchange(other.buffer_size_, 0)),
      entries_(std::move(other.entries_)),
      next_(other.next_),
      index_(std::move(other.index_)) {}

RevisionCache RevisionCache::Read(const fs::path& file) {
  RevisionCache cache;
  std::string_view all = ReadAll(file);
  if (all.empty()) return cache;
  cache.buffer_ = const_cast<char*>(all.data());
  cache.buffer_size_ = all.size();
  if (all.size() < kTrailerSize) return cache;
  std::string_view trailer = all.substr(all.size() - kTrailerSize);
  std::string_view body = all.substr(0, all.size() - kTrailerSize);
  if (trailer.substr(0, 4) != "end " || trailer[20] != ' ' || trailer.back() != '\n') return cache;
  if (trailer.substr(4, 16) != fmt::format("{:016x}", body.size()) ||
      trailer.substr(21, 16) != fmt::format("{:016x}", HashOf(body))) {
    return cache;
  }
  std::size_t newline = body.find('\n');
  if (newline == std::string_view::npos || body.substr(0, newline) != kMagic) return cache;
  body.remove_prefix(newline + 1);
  newline = body.find('\n');
  if (newline == std::string_view::npos || body.substr(0, newline) != Identity()) return cache;
  body.remove_prefix(newline + 1);
  // Only the index (path, stat, where the script is) now: the length and
  // hash above prove every byte is what a writer wrote, and Find() decodes
  // each script straight into the caller's.
  try {
    Reader in(body);
    unsigned long long count = in.Count();
    cache.entries_.reserve(count);
    for (unsigned long long i = 0; i < count; ++i) {
      Cached& cached = cache.entries_.emplace_back();
      cached.path = in.Text();
      FileStat& stat = cached.stat;
      stat.device = static_cast<unsigned long long>(in.Number());
      stat.inode = static_cast<unsigned long long>(in.Number());
      stat.size = static_cast<unsigned long long>(in.Number());
      stat.mtime_ns = in.Number();
      stat.ctime_ns = in.Number();
      cached.script = in.Text();
    }
    if (!in.done()) throw Corrupt{};
  } catch (const Corrupt&) {
    cache.entries_.clear();
  }
  return cache;
}

bool RevisionCache::Find(std::string_view path, const FileStat& stat, Script& script) {
  // Entries are written in the order files are listed: look at the next
  // one first, and index them all only when the order differs.
  const Cached* cached = nullptr;
  if (next_ < entries_.size() && entries_[next_].path == path) {
    cached = &entries_[next_++];
  } else {
    if (index_.empty()) {
      index_.reserve(entries_.size());
      for (std::size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].path, i);
    }
    auto it = index_.find(path);
    if (it == index_.end()) return false;
    cached = &entries_[it->second];
    next_ = it->second + 1;
  }
  if (!(cached->stat == stat)) return false;
  try {
    Reader in(cached->script);
    script.revision.id = in.Text();
    in.List(script.revision.down_revisions);
    in.List(script.revision.branch_labels);
    in.List(script.revision.dependencies);
    script.revision.doc = in.Text();
    script.create_date = in.Text();
    script.transactional = in.Flag();
    script.step = in.Text();
    script.needs_rewrite = in.Text();
    script.upgrade = ReadSection(in);
    script.downgrade = ReadSection(in);
    script.header_text = in.Text();
    script.checksum = in.Text();
    if (!in.done() || script.revision.id.empty() || script.checksum.empty()) throw Corrupt{};
  } catch (const Corrupt&) {
    script = Script{};
    return false;
  }
  script.bodies_loaded = false;
  return true;
}

bool RevisionCache::Settled(const FileStat& stat) {
  return stat.ctime_ns != 0 && stat.ctime_ns < NowNs() - kSettleNs;
}

void RevisionCache::Write(const fs::path& file, const std::vector<Entry>& entries) {
  Writer out;
  out.out() = fmt::format("{}\n{}\n", kMagic, Identity());
  auto keep = [](const Entry& entry) {
    return entry.script != nullptr && util::IsChecksum(entry.script->checksum) &&
           Settled(entry.stat);
  };
  std::size_t kept = 0;
  for (const Entry& entry : entries) kept += keep(entry) ? 1 : 0;
  if (kept == 0) return;  // a brand-new project: nothing settled to keep yet
  out.Unsigned(kept);
  for (const Entry& entry : entries) {
    if (!keep(entry)) continue;
    const Script& script = *entry.script;
    out.Text(entry.path);
    out.Number(static_cast<long long>(entry.stat.device));
    out.Number(static_cast<long long>(entry.stat.inode));
    out.Number(static_cast<long long>(entry.stat.size));
    out.Number(entry.stat.mtime_ns);
    out.Number(entry.stat.ctime_ns);
    Writer blob;
    blob.Text(script.revision.id);
    blob.List(script.revision.down_revisions);
    blob.List(script.revision.branch_labels);
    blob.List(script.revision.dependencies);
    blob.Text(script.revision.doc);
    blob.Text(script.create_date);
    blob.Number(script.transactional ? 1 : 0);
    blob.Text(script.step);
    blob.Text(script.needs_rewrite);
    WriteSection(blob, script.upgrade);
    WriteSection(blob, script.downgrade);
    blob.Text(script.header_text);
    blob.Text(script.checksum);
    out.Text(blob.out());
  }
  std::string& content = out.out();
  content += fmt::format("end {:016x} {:016x}\n", content.size(), HashOf(content));

  // A name no other writer uses; rename() replaces the cache atomically.
  std::random_device random;
  fs::path temporary = file;
  temporary += fmt::format(".{}.{:08x}.tmp", ::getpid(), random());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return;
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  bool ok = ::close(fd) == 0 && written == content.size();
  if (!ok || ::rename(temporary.c_str(), file.c_str()) != 0) ::unlink(temporary.c_str());
}

}  // namespace retort::script
