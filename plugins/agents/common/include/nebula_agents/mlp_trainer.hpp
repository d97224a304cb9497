// A small fully connected network (Linear/ReLU, linear output) trained with
// Adam on a masked mean-squared error. libtorch stays behind this header
// (pimpl), so agent code and tests never include torch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_agents/dense_snapshot.hpp"

namespace nebula::agents {

struct Architecture {
  int64_t inputs = 0;
  int64_t outputs = 0;
  std::vector<int64_t> hidden;

  std::string describe() const;  // "13-32-32-2"
  // Hidden widths scaled by `factor` (at least 2 units each).
  Architecture scaled(double factor) const;
  nlohmann::json to_json() const;
  // Throws nebula::Error(NEBULA_INVALID) on a malformed description.
  static Architecture from_json(const nlohmann::json& j);
  bool operator==(const Architecture&) const = default;
};

// One training example: inputs, targets, and a 0/1 mask per target (a
// target the producer did not report is left out of the loss).
struct Sample {
  std::vector<float> x;
  std::vector<float> y;
  std::vector<float> mask;
};

class MlpTrainer {
 public:
  // Weights are drawn from `seed` (PyTorch's default uniform ranges), so the
  // same seed and data give the same model regardless of torch's global RNG.
  MlpTrainer(const Architecture& arch, double learning_rate, uint64_t seed);
  ~MlpTrainer();
  MlpTrainer(const MlpTrainer&) = delete;
  MlpTrainer& operator=(const MlpTrainer&) = delete;

  // One Adam step on the batch; returns its loss (NaN for an empty batch).
  double step(const std::vector<const Sample*>& batch);
  // Mean masked squared error over the samples (no gradient).
  double loss(const std::vector<const Sample*>& samples) const;
  DenseSnapshot snapshot() const;
  // Overwrites the weights with `layers` (same shapes as snapshot(), else
  // NEBULA_INVALID). The optimiser state is kept: see docs/agents.md, federation.
  void set_parameters(const std::vector<DenseLayer>& layers);

  // Same weights, fresh optimiser with another learning rate (a warm-started candidate).
  std::unique_ptr<MlpTrainer> clone(double learning_rate) const;

  // torch archives (OutputArchive::save_to); load throws nebula::Error(NEBULA_INVALID).
  std::string save_weights() const;
  void load_weights(const std::string& bytes);
  std::string save_optimizer() const;
  void load_optimizer(const std::string& bytes);

  const Architecture& architecture() const { return arch_; }
  double learning_rate() const { return lr_; }

 private:
  struct Impl;
  Architecture arch_;
  double lr_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nebula::agents
