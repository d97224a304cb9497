#include "offset_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport::file {
namespace {

std::string errno_text() { return std::strerror(errno); }

void write_all(int fd, const std::string& text, const std::string& what) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(NEBULA_IO, "cannot write " + what + ": " + errno_text());
    done += static_cast<size_t>(n);
  }
}

}  // namespace

bool hash_head(int fd, uint64_t len, uint64_t& out) {
  uint64_t h = 1469598103934665603ull;
  char buf[kHeadBytes];
  if (len > sizeof buf) len = sizeof buf;
  ssize_t n = ::pread(fd, buf, len, 0);
  if (n < 0 || static_cast<uint64_t>(n) != len) return false;
  for (uint64_t i = 0; i < len; ++i) {
    h ^= static_cast<unsigned char>(buf[i]);
    h *= 1099511628211ull;
  }
  out = h;
  return true;
}

std::map<std::string, FilePosition> OffsetStore::load() const {
  std::map<std::string, FilePosition> out;
  std::ifstream in(file_);
  if (!in) return out;
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  auto damaged = [&](const std::string& why) {
    return Error(NEBULA_INVALID, "offsets file " + file_.string() + " is damaged (" + why +
                                     "); fix or remove it (removing re-reads every spool file from the start)");
  };
  if (!doc.is_object() || !doc.contains("files") || !doc["files"].is_object()) throw damaged("no \"files\" object");
  for (auto& [key, v] : doc["files"].items()) {
    if (!v.is_object() || !v.contains("offset") || !v["offset"].is_number_unsigned()) throw damaged("entry " + key);
    FilePosition p;
    p.path = v.value("path", "");
    p.offset = v["offset"].get<uint64_t>();
    p.head_len = v.value("head_len", uint64_t{0});
    p.head_hash = std::stoull(v.value("head_hash", std::string("0")), nullptr, 16);
    out[key] = p;
  }
  return out;
}

void OffsetStore::save(const std::map<std::string, FilePosition>& positions) const {
  nlohmann::json files = nlohmann::json::object();
  for (auto& [key, p] : positions) {
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(p.head_hash));
    files[key] = {{"path", p.path}, {"offset", p.offset}, {"head_len", p.head_len}, {"head_hash", hash}};
  }
  const std::string text =
      nlohmann::json{{"version", 1}, {"files", files}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::string tmp = file_.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(NEBULA_IO, "cannot create " + tmp + ": " + errno_text());
  try {
    write_all(fd, text, tmp);
    if (::fsync(fd) != 0) throw Error(NEBULA_IO, "cannot fsync " + tmp + ": " + errno_text());
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), file_.c_str()) != 0)
    throw Error(NEBULA_IO, "cannot replace " + file_.string() + ": " + errno_text());
  // The rename itself must survive a crash too.
  int dir = ::open(file_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace nebula::transport::file
