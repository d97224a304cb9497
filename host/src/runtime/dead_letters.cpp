#include "runtime/dead_letters.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "wal/segment_files.hpp"

namespace nebula::host {
namespace fs = std::filesystem;

void DeadLetterStore::write(const std::vector<DeadLetter>& letters) {
  if (letters.empty()) return;
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string text;
  for (const auto& l : letters) {
    nlohmann::json line{{"time", now}, {"component", l.component}, {"reason", l.reason}};
    if (!l.topic.empty()) {
      line["topic"] = l.topic;
      line["source"] = l.insight_source;
      line["timestamp"] = l.insight_timestamp;
      line["insight"] = nlohmann::json::parse(l.insight_json, nullptr, false);
      if (line["insight"].is_discarded()) line["insight"] = l.insight_json;
    } else if (!l.format.empty()) {
      line["format"] = l.format;
      line["payload"] = l.payload;  // as text: it may be exactly what did not parse
    } else {
      line["lsn"] = l.lsn;
      line["record"] = nlohmann::json::parse(l.record_json, nullptr, false);
    }
    // Bytes that are not UTF-8 are replaced rather than losing the letter.
    text += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
  }
  std::lock_guard lock(mu_);
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const fs::path file = dir_ / kDeadLetterFile;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
  std::string error = wal::write_all(fd, text);
  if (error.empty() && ::fdatasync(fd) != 0) error = std::strerror(errno);
  ::close(fd);
  if (!error.empty()) throw std::runtime_error("cannot write " + file.string() + ": " + error);
}

std::vector<nlohmann::json> DeadLetterStore::read_pending(const fs::path& dir) {
  std::vector<nlohmann::json> out;
  std::ifstream in(dir / kDeadLetterFile);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto letter = nlohmann::json::parse(line, nullptr, false);
    out.push_back(letter.is_object() ? letter : nlohmann::json{{"damaged", line}});
  }
  return out;
}

std::vector<nlohmann::json> DeadLetterStore::take_pending() {
  std::lock_guard lock(mu_);
  const fs::path file = dir_ / kDeadLetterFile;
  std::error_code ec;
  if (!fs::exists(file, ec)) return {};
  auto letters = read_pending(dir_);
  const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  fs::rename(file, dir_ / ("replayed-" + std::to_string(stamp) + ".ndjson"), ec);
  if (ec) throw std::runtime_error("cannot move " + file.string() + " aside: " + ec.message());
  return letters;
}

}  // namespace nebula::host
