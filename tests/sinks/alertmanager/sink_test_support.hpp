// Shared by the tests that load the real plugin module: the library, a
// patterns insight with the given incidents, a stall incident, and the
// sink tests' HTTP receiver (Alertmanager's stand-in, and the webhook
// receiver a real Alertmanager notifies).
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/testing/mock_host.hpp>

#include "http_receiver.hpp"

namespace alertmanager_test {

using nebula::sink_test::HttpReceiver;

inline const nebula::testing::PluginLibrary& sink_library() {
  static const nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_sink_alertmanager.so");
  return lib;
}

inline const nebula_plugin_descriptor* sink_descriptor() { return sink_library().find("nebula.sink.alertmanager"); }

inline double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline nlohmann::json stall_incident(const std::string& node, double start) {
  return {{"id", "stall/" + node + "/" + std::to_string(static_cast<long long>(start))},
          {"kind", "stall"},
          {"node_id", node},
          {"chain_id", "btc-testnet"},
          {"severity", {{"score", 0.82}, {"label", "high"}}},
          {"start", start},
          {"last_seen", start + 30},
          {"evidence", nlohmann::json::array({{{"metric", "blockchain.current_height"}, {"value", 90},
                                               {"baseline", 120}, {"deviation", -0.25}}})}};
}

inline nebula::testing::EmittedInsight patterns_insight(nlohmann::json active,
                                                        nlohmann::json ended = nlohmann::json::array()) {
  nlohmann::json doc{{"kind", "patterns"},        {"generated_at", wall_seconds()}, {"active", std::move(active)},
                     {"started", nlohmann::json::array()}, {"ended", std::move(ended)}, {"chains", nlohmann::json::object()},
                     {"stats", {{"records", 0}, {"invalid_records", 0}, {"out_of_order", 0}, {"evicted_nodes", 0},
                                {"counter_resets", 0}, {"nodes", 0}, {"chains", 0}}}};
  return {"patterns", doc.dump()};
}

}  // namespace alertmanager_test
