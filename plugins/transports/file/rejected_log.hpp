// <state_dir>/rejected.jsonl: spool lines the host refused (or that were too
// long to submit), one JSON object per line with the reason, so an operator
// can inspect, fix and re-spool them. The tailer moves past them: a line the
// host calls invalid will never become valid by retrying.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nebula::transport::file {

class RejectedLog {
 public:
  explicit RejectedLog(std::filesystem::path file) : file_(std::move(file)) {}

  // {"time":..,"path":..,"offset":..,"line":"<text>","reason":<host body or text>}
  // Throws nebula::Error(NEBULA_IO) when it cannot append.
  void append(const std::string& spool_path, uint64_t offset, std::string_view line, const nlohmann::json& reason) const;

  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
};

// The host's answer body as a reason: parsed JSON when it is JSON, else text.
nlohmann::json reason_from_body(std::string_view body);

}  // namespace nebula::transport::file
