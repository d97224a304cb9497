// Loads the sqlite sink plugin and drives it as the host would: batches with
// the source and timestamps the test chooses (a redelivered batch carries
// the same ones), and queries whose status the test can check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden_insights.hpp"
#include "nebula/testing/mock_host.hpp"

namespace nebula::sinks::testing {

const nebula_plugin_descriptor* sqlite_sink();

// A fresh folder removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct Delivered {
  std::string topic;
  std::string source;
  std::string json;
  double timestamp = 0;
};

// `insights` as delivered, timestamps first_timestamp, +1 s, +2 s, ...
std::vector<Delivered> timed(const std::vector<GoldenInsight>& insights, double first_timestamp);

struct Outcome {
  nebula_status status = NEBULA_OK;
  std::string error;
};

Outcome deliver(nebula::testing::Instance& sink, const std::vector<Delivered>& batch);

struct QueryOutcome {
  nebula_status status = NEBULA_OK;
  std::string error;
  nlohmann::json answer;
};

QueryOutcome query(nebula::testing::Instance& sink, const nlohmann::json& request);

// Follows "next" from the first page to the last; fails the test on an error.
std::vector<nlohmann::json> all_pages(nebula::testing::Instance& sink, nlohmann::json request);

}  // namespace nebula::sinks::testing
