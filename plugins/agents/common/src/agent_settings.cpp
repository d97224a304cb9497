#include "nebula_agents/agent_settings.hpp"

#include <algorithm>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::agents {

const std::vector<std::string>& common_setting_keys() {
  static const std::vector<std::string> keys = {
      "hidden",          "learning_rate",    "batch_size",     "train_reservoir", "val_reservoir",
      "validation_every", "replay",          "max_steps_per_learn", "optimise_every", "candidate_epochs",
      "promote_margin",  "keep_versions",    "seed",           "torch_threads",   "max_nodes",
      "federation",      "publish_interval_s", "publish_max_nodes"};
  return keys;
}

namespace {

// Whole-number settings: (key, lo, hi).
struct IntKey {
  const char* key;
  double lo, hi;
};
constexpr IntKey kIntKeys[] = {{"batch_size", 1, 4096},         {"train_reservoir", 16, 1e6},
                               {"val_reservoir", 8, 1e6},        {"validation_every", 2, 1000},
                               {"max_steps_per_learn", 1, 1e5},  {"optimise_every", 0, 1e9},
                               {"candidate_epochs", 1, 100},     {"keep_versions", 1, 50},
                               {"seed", 0, 9007199254740991.0},  {"torch_threads", 1, 256},
                               {"max_nodes", 1, 1e7},           {"publish_max_nodes", 1, 10000}};

}  // namespace

void validate_settings(const nlohmann::json& cfg, const std::vector<std::string>& extra_keys, ConfigErrors& errors) {
  if (!cfg.is_object()) return;
  for (auto it = cfg.begin(); it != cfg.end(); ++it) {
    const auto& common = common_setting_keys();
    if (std::find(common.begin(), common.end(), it.key()) == common.end() &&
        std::find(extra_keys.begin(), extra_keys.end(), it.key()) == extra_keys.end()) {
      std::string list;
      for (const auto& k : common) list += (list.empty() ? "" : ", ") + k;
      for (const auto& k : extra_keys) list += ", " + k;
      errors.add("/" + it.key(), "unknown key '" + it.key() + "' (known: " + list + ")");
    }
  }
  for (const auto& k : kIntKeys) config::whole_number(cfg, k.key, uint64_t{0}, k.lo, k.hi, &errors);
  validate_federation(cfg, errors);
  config::number(cfg, "learning_rate", 0, 1e-6, 1.0, &errors);
  config::number(cfg, "replay", 0, 0.1, 100, &errors);
  config::number(cfg, "promote_margin", 0, 0, 0.99, &errors);
  config::number(cfg, "publish_interval_s", 0, 0, 86400, &errors);
  if (cfg.contains("hidden")) {
    const auto& h = cfg["hidden"];
    bool ok = h.is_array() && !h.empty() && h.size() <= 8;
    if (ok)
      for (const auto& w : h) ok = ok && w.is_number_integer() && w.get<long long>() >= 1 && w.get<long long>() <= 1024;
    if (!ok) errors.add("/hidden", "must be a list of 1 to 8 layer widths, each 1..1024, got " + h.dump());
  }
}

AgentSettings parse_settings(const nlohmann::json& cfg, const ModelSettings& defaults) {
  AgentSettings s;
  s.model = defaults;
  auto& m = s.model;
  // Ranges were checked by validate_settings(); only the reading is left.
  auto whole = [&](const char* key, auto def) { return config::whole_number(cfg, key, def, 0, 1e300); };
  if (cfg.contains("hidden")) m.architecture.hidden = cfg["hidden"].get<std::vector<int64_t>>();
  m.learning_rate = config::number(cfg, "learning_rate", m.learning_rate, 0, 1e300);
  m.batch_size = whole("batch_size", m.batch_size);
  m.train_reservoir = whole("train_reservoir", m.train_reservoir);
  m.val_reservoir = whole("val_reservoir", m.val_reservoir);
  m.validation_every = whole("validation_every", m.validation_every);
  m.replay = config::number(cfg, "replay", m.replay, 0, 1e300);
  m.max_steps_per_learn = whole("max_steps_per_learn", m.max_steps_per_learn);
  m.optimise_every = whole("optimise_every", m.optimise_every);
  m.candidate_epochs = whole("candidate_epochs", m.candidate_epochs);
  m.promote_margin = config::number(cfg, "promote_margin", m.promote_margin, 0, 1);
  m.keep_versions = whole("keep_versions", m.keep_versions);
  m.seed = whole("seed", m.seed);
  s.torch_threads = whole("torch_threads", s.torch_threads);
  s.max_nodes = whole("max_nodes", s.max_nodes);
  s.federation = parse_federation(cfg);
  s.publish.interval_s = config::number(cfg, "publish_interval_s", s.publish.interval_s, 0, 1e300);
  s.publish.max_nodes = whole("publish_max_nodes", s.publish.max_nodes);
  return s;
}

}  // namespace nebula::agents
