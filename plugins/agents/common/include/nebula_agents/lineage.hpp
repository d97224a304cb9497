// Model versions: every promoted model is a new version with its parent,
// the training step it appeared at, its architecture, learning rate and the
// validation loss that earned the promotion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_agents/mlp_trainer.hpp"

namespace nebula::agents {

struct VersionInfo {
  int version = 1;
  int parent = 0;  // 0: none (the initial model)
  uint64_t created_at_step = 0;
  Architecture architecture;
  double learning_rate = 0;
  std::optional<double> val_loss;  // at creation (null for the initial model)
  std::string origin;
  std::optional<double> parent_val_loss;  // the replaced model's val loss on the same data              // "initial", or the candidate that won ("width x2", "lr x0.3", ...)

  nlohmann::json to_json() const;
  static VersionInfo from_json(const nlohmann::json& j);  // throws NEBULA_INVALID
};

// Weights of a version kept for rollback.
struct KeptVersion {
  int version = 0;
  Architecture architecture;
  double learning_rate = 0;
  std::string weights;  // MlpTrainer::save_weights()
};

class Lineage {
 public:
  explicit Lineage(size_t history_cap = 64) : cap_(history_cap) {}
  void add(VersionInfo v);
  const std::vector<VersionInfo>& history() const { return history_; }
  const VersionInfo* find(int version) const;
  int newest_version() const { return newest_; }
  nlohmann::json to_json() const;
  void from_json(const nlohmann::json& j);  // throws NEBULA_INVALID

 private:
  size_t cap_;
  int newest_ = 0;
  std::vector<VersionInfo> history_;  // oldest first, at most cap_ entries
};

}  // namespace nebula::agents
