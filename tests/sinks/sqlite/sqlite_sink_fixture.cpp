#include "sqlite_sink_fixture.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>

namespace nebula::sinks::testing {

const nebula_plugin_descriptor* sqlite_sink() {
  static nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_sink_sqlite.so");
  return lib.find("nebula.sink.sqlite");
}

TempDir::TempDir() {
  static std::atomic<int> next{0};
  path_ = std::filesystem::temp_directory_path() /
          ("nebula-sink-sqlite-" + std::to_string(::getpid()) + "-" + std::to_string(next++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<Delivered> timed(const std::vector<GoldenInsight>& insights, double first_timestamp) {
  std::vector<Delivered> out;
  for (size_t i = 0; i < insights.size(); ++i)
    out.push_back({insights[i].topic, insights[i].processor, insights[i].json, first_timestamp + static_cast<double>(i)});
  return out;
}

Outcome deliver(nebula::testing::Instance& sink, const std::vector<Delivered>& batch) {
  const auto* table = sink.capability<nebula_sink_v1>(NEBULA_CAP_SINK);
  std::vector<nebula_insight> raw;
  for (const auto& d : batch)
    raw.push_back({sizeof(nebula_insight), d.topic.c_str(), d.source.c_str(), d.json.c_str(), d.json.size(), d.timestamp});
  char err[NEBULA_ERROR_CAP] = {};
  const nebula_status st = table->deliver(sink.raw(), raw.data(), raw.size(), err, sizeof err);
  return {st, err};
}

QueryOutcome query(nebula::testing::Instance& sink, const nlohmann::json& request) {
  const auto* table = sink.capability<nebula_sink_v1>(NEBULA_CAP_SINK);
  std::string out;
  const std::string text = request.dump();
  nebula_sink writer{&out, [](void* ctx, const void* data, size_t len) {
                       static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), len);
                       return NEBULA_OK;
                     }};
  char err[NEBULA_ERROR_CAP] = {};
  const nebula_status st = table->query(sink.raw(), text.data(), text.size(), &writer, err, sizeof err);
  QueryOutcome q{st, err, nullptr};
  if (st == NEBULA_OK) q.answer = nlohmann::json::parse(out);
  return q;
}

std::vector<nlohmann::json> all_pages(nebula::testing::Instance& sink, nlohmann::json request) {
  std::vector<nlohmann::json> insights;
  for (int page = 0; page < 100000; ++page) {
    const QueryOutcome q = query(sink, request);
    if (q.status != NEBULA_OK) {
      ADD_FAILURE() << "query " << request.dump() << ": " << q.error;
      break;
    }
    for (const auto& item : q.answer.at("insights")) insights.push_back(item);
    if (q.answer.at("next").is_null()) break;
    request["after"] = q.answer.at("next");
  }
  return insights;
}

}  // namespace nebula::sinks::testing
