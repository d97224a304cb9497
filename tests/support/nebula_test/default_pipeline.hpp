// The default pipeline (config/pipeline.yaml) as the text a test pool
// (PoolProcess in tests/integration/pool_harness.hpp) runs: the shipped
// components, read from the file itself so the end-to-end tests follow it
// when it changes, with what a test changes said explicitly; and the short
// batch windows those tests run them with. Link yaml-cpp.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace nebula_test {

// What a test changes in the shipped components.
struct DefaultPipelineChanges {
  // Components left out; they are left out of every other component's inputs too.
  std::set<std::string> leave_out{};
  // Config (a YAML map) set key by key over a component's shipped config.
  std::map<std::string, std::string> config{};
  // Inputs added after a component's shipped ones.
  std::map<std::string, std::vector<std::string>> more_inputs{};
};

// Every "${VAR:-default}" value of `node` replaced by its default: a test pool
// does not depend on the environment it happens to run in. (Emitted as it is,
// such a value would come out quoted in flow style, and the pool reads quoted
// values as strings.)
inline void use_env_defaults(YAML::Node node) {
  if (node.IsMap() || node.IsSequence()) {
    for (auto entry : node) use_env_defaults(node.IsMap() ? entry.second : entry);
    return;
  }
  if (!node.IsScalar()) return;
  const std::string value = node.Scalar();
  const auto fallback = value.find(":-");
  if (value.rfind("${", 0) == 0 && value.back() == '}' && fallback != std::string::npos)
    node = value.substr(fallback + 2, value.size() - fallback - 3);
}

// The `components:` entries, one "  - {...}" line each, in the shipped order:
// the HTTP transport alone (id http_in, 127.0.0.1, an ephemeral port) in
// place of the shipped transports, then every processor, agent and sink.
// Throws std::invalid_argument for a change naming a component the pipeline does not have.
inline std::string default_pipeline_components(const DefaultPipelineChanges& changes = {}) {
  const YAML::Node shipped = YAML::LoadFile(NEBULA_SOURCE_DIR "/config/pipeline.yaml");
  std::set<std::string> left_out = changes.leave_out;
  std::set<std::string> ids;
  for (const auto& component : shipped["components"]) {
    const auto id = component["id"].as<std::string>();
    const auto plugin = component["plugin"].as<std::string>();
    ids.insert(id);
    if (plugin.rfind("nebula.transport.", 0) == 0 && plugin != "nebula.transport.http") left_out.insert(id);
  }
  auto check = [&](const std::string& id) {
    if (!ids.count(id)) throw std::invalid_argument("config/pipeline.yaml has no component " + id);
  };
  for (const auto& id : changes.leave_out) check(id);
  for (const auto& [id, _] : changes.config) check(id);
  for (const auto& [id, _] : changes.more_inputs) check(id);

  std::string text;
  for (const auto& shipped_component : shipped["components"]) {
    YAML::Node component = YAML::Clone(shipped_component);
    const auto id = component["id"].as<std::string>();
    if (left_out.count(id)) continue;
    if (component["plugin"].as<std::string>() == "nebula.transport.http")
      component["config"] = YAML::Load("{address: 127.0.0.1, port: 0}");
    if (component["inputs"]) {
      YAML::Node inputs(YAML::NodeType::Sequence);
      for (const auto& input : component["inputs"])
        if (!left_out.count(input.as<std::string>())) inputs.push_back(input);
      if (const auto more = changes.more_inputs.find(id); more != changes.more_inputs.end())
        for (const auto& input : more->second) inputs.push_back(input);
      component["inputs"] = inputs;
    }
    if (const auto config = changes.config.find(id); config != changes.config.end())
      for (const auto& entry : YAML::Load(config->second)) component["config"][entry.first] = entry.second;
    use_env_defaults(component);
    component.SetStyle(YAML::EmitterStyle::Flow);
    YAML::Emitter line;
    line << component;
    text += std::string("  - ") + line.c_str() + "\n";
  }
  return text;
}

// Batch windows short enough for a test pool's insights, training and sink
// deliveries to follow within a second (the shipped ones are seconds long).
struct ShortWindows {
  int batch_max_records = 1000;
  int batch_max_wait_ms = 100;
  int workers = 2;
  int training_batch_max_insights = 20;
  int training_batch_max_wait_ms = 200;
  int sinks_batch_max_wait_ms = 100;
};

// The settings lines (pool, training, sinks) PoolProcess puts before the components.
inline std::string short_window_settings(const ShortWindows& w = {}) {
  return "pool: {batch_max_records: " + std::to_string(w.batch_max_records) +
         ", batch_max_wait_ms: " + std::to_string(w.batch_max_wait_ms) + ", workers: " + std::to_string(w.workers) +
         "}\ntraining: {batch_max_insights: " + std::to_string(w.training_batch_max_insights) +
         ", batch_max_wait_ms: " + std::to_string(w.training_batch_max_wait_ms) +
         "}\nsinks: {batch_max_wait_ms: " + std::to_string(w.sinks_batch_max_wait_ms) + "}\n";
}

}  // namespace nebula_test
