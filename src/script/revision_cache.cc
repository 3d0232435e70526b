#include "script/revision_cache.h"

#include <fcntl.h>
#include <fmt/format.h>
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
#include "util/env_switch.h"
#include "util/page_buffer.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;

// Bump when the entry layout or what the parser stores changes. A new build
// of retort invalidates the cache anyway (the identity line names the
// binary); this covers builds that keep the binary's stat.
constexpr std::string_view kMagic = "retort-revision-cache 3";
// The first line: kMagic, a space, 16 hex digits (the length of the headers
// part, its trailer included: where the optional bodies part starts), "\n".
constexpr std::size_t kFirstLineSize = 23 + 1 + 16 + 1;
constexpr std::string_view kBodiesMagic = "bodies\n";
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

// True when `part` ends in the trailer "end <length> <hash>\n" over the
// bytes before it; `content` is then those bytes.
bool CheckTrailer(std::string_view part, std::string_view& content) {
  if (part.size() < kTrailerSize) return false;
  std::string_view trailer = part.substr(part.size() - kTrailerSize);
  content = part.substr(0, part.size() - kTrailerSize);
  if (trailer.substr(0, 4) != "end " || trailer[20] != ' ' || trailer.back() != '\n') return false;
  return trailer.substr(4, 16) == fmt::format("{:016x}", content.size()) &&
         trailer.substr(21, 16) == fmt::format("{:016x}", HashOf(content));
}

void AddTrailer(std::string& content, std::size_t from) {
  std::string_view part = std::string_view(content).substr(from);
  content += fmt::format("end {:016x} {:016x}\n", part.size(), HashOf(part));
}

long long NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<fs::path> RevisionCache::PathFor(const fs::path& script_location) {
  if (util::EnvSwitchOn("RETORT_NO_CACHE")) return std::nullopt;
  return script_location / ".retort-cache";
}

RevisionCache::~RevisionCache() {
  if (fd_ >= 0) ::close(fd_);
}

RevisionCache::RevisionCache(RevisionCache&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      file_size_(other.file_size_),
      headers_(std::move(other.headers_)),
      bodies_(std::move(other.bodies_)),
      bodies_read_(other.bodies_read_),
      entries_(std::move(other.entries_)),
      next_(other.next_),
      index_(std::move(other.index_)) {}

RevisionCache RevisionCache::Read(const fs::path& file) {
  RevisionCache cache;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return cache;
  cache.fd_ = fd;  // kept for ReadBodies(): the same file even if replaced
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) ||
      info.st_size < static_cast<off_t>(kFirstLineSize + kTrailerSize)) {
    return cache;
  }
  cache.file_size_ = static_cast<std::size_t>(info.st_size);
  // Only the headers part: the bodies after it are read when needed.
  char first[kFirstLineSize];
  if (::pread(fd, first, kFirstLineSize, 0) != static_cast<ssize_t>(kFirstLineSize)) return cache;
  std::string_view line(first, kFirstLineSize);
  if (line.substr(0, kMagic.size()) != kMagic || line[kMagic.size()] != ' ' ||
      line.back() != '\n') {
    return cache;
  }
  std::size_t headers_size = 0;
  for (char c : line.substr(kMagic.size() + 1, 16)) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return cache;
    headers_size = headers_size * 16 + static_cast<std::size_t>(digit);
  }
  if (headers_size < kFirstLineSize + kTrailerSize || headers_size > cache.file_size_) return cache;
  // A bodies part must end in its trailer with its length: a truncated or
  // overwritten file is ignored as a whole (and rewritten) here, its
  // bytes' hash is checked when the bodies are read.
  if (cache.file_size_ > headers_size) {
    char end[kTrailerSize];
    std::size_t bodies = cache.file_size_ - headers_size;
    if (bodies < kBodiesMagic.size() + kTrailerSize ||
        ::pread(fd, end, kTrailerSize, static_cast<off_t>(cache.file_size_ - kTrailerSize)) !=
            static_cast<ssize_t>(kTrailerSize) ||
        std::string_view(end, kTrailerSize).substr(0, 21) !=
            fmt::format("end {:016x} ", bodies - kTrailerSize)) {
      return cache;
    }
  }
  cache.headers_ = util::PageBuffer::Read(fd, 0, headers_size);
  if (cache.headers_.empty()) return cache;
  std::string_view body;
  if (!CheckTrailer(cache.headers_.view(), body)) return cache;
  body.remove_prefix(kFirstLineSize);
  std::size_t newline = body.find('\n');
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

void RevisionCache::ReadBodies() {
  if (bodies_read_) return;
  bodies_read_ = true;
  if (fd_ < 0 || entries_.empty() || file_size_ <= headers_.size()) return;
  bodies_ = util::PageBuffer::Read(fd_, headers_.size(), file_size_ - headers_.size());
  if (bodies_.empty()) return;
  std::string_view body;
  if (!CheckTrailer(bodies_.view(), body)) return;
  if (body.substr(0, kBodiesMagic.size()) != kBodiesMagic) return;
  body.remove_prefix(kBodiesMagic.size());
  try {
    Reader in(body);
    if (in.Count() != entries_.size()) throw Corrupt{};
    for (Cached& cached : entries_) {
      if (!in.Flag()) continue;
      cached.upgrade_sql = in.Text();
      cached.downgrade_sql = in.Text();
      cached.has_bodies = true;
    }
    if (!in.done()) throw Corrupt{};
  } catch (const Corrupt&) {
    for (Cached& cached : entries_) cached.has_bodies = false;
  }
}

bool RevisionCache::Bodies(std::size_t entry, std::string_view& upgrade_sql,
                           std::string_view& downgrade_sql) {
  ReadBodies();
  if (entry >= entries_.size() || !entries_[entry].has_bodies) return false;
  upgrade_sql = entries_[entry].upgrade_sql;
  downgrade_sql = entries_[entry].downgrade_sql;
  return true;
}

bool RevisionCache::Find(std::string_view path, const FileStat& stat, Script& script,
                         std::size_t* entry) {
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
  if (entry != nullptr) *entry = static_cast<std::size_t>(cached - entries_.data());
  return true;
}

bool RevisionCache::Settled(const FileStat& stat) {
  return stat.ctime_ns != 0 && stat.ctime_ns < NowNs() - kSettleNs;
}

void RevisionCache::Write(const fs::path& file, const std::vector<Entry>& entries) {
  Writer out;
  // The first line's length field is filled in once the headers are written.
  out.out() = fmt::format("{} {:016x}\n{}\n", kMagic, 0, Identity());
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
  std::string length = fmt::format("{:016x}", content.size() + kTrailerSize);
  content.replace(kMagic.size() + 1, 16, length);
  AddTrailer(content, 0);
  // The bodies part, when any kept entry has its SQL: read only by
  // commands that run or print it (ReadBodies()), never by `heads`.
  bool any_bodies = false;
  for (const Entry& entry : entries) any_bodies |= keep(entry) && entry.has_bodies;
  if (any_bodies) {
    std::size_t from = content.size();
    content += kBodiesMagic;
    out.Unsigned(kept);
    for (const Entry& entry : entries) {
      if (!keep(entry)) continue;
      out.Number(entry.has_bodies ? 1 : 0);
      if (!entry.has_bodies) continue;
      out.Text(entry.upgrade_sql);
      out.Text(entry.downgrade_sql);
    }
    AddTrailer(content, from);
  }

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
