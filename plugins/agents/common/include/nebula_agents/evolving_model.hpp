// The trainable part every agent shares: an MLP, its reservoirs, the training
// schedule, periodic architecture optimisation, version lineage and rollback,
// and its checkpoint sections. Not thread-safe: the agent serialises calls
// and publishes snapshot()/stats() for its query threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula_agents/checkpoint_frame.hpp"
#include "nebula_agents/lineage.hpp"
#include "nebula_agents/mlp_trainer.hpp"
#include "nebula_agents/sample_store.hpp"

namespace nebula::agents {

struct ModelSettings {
  Architecture architecture;
  double learning_rate = 1e-3;
  size_t batch_size = 64;
  size_t train_reservoir = 4096;
  size_t val_reservoir = 1024;
  size_t validation_every = 10;    // every 10th sample is held out
  double replay = 2.0;             // gradient steps per learn = replay * fresh / batch_size ...
  size_t max_steps_per_learn = 64; // ... capped here (bounds a learn() call's time)
  uint64_t optimise_every = 3000;  // steps between architecture searches; 0 = never
  size_t candidate_epochs = 2;     // passes over the reservoir per candidate
  double promote_margin = 0.02;    // a candidate must beat the current val loss by 2 %
  size_t keep_versions = 3;        // weights kept for rollback (current included)
  uint64_t seed = 1;
  double loss_ewma = 0.05;         // smoothing of train_loss
};

class EvolvingModel {
 public:
  explicit EvolvingModel(ModelSettings settings);

  // Adds one example (to training or validation, see SampleStore).
  void add(Sample s);
  // Trains after `fresh` samples were added since the last call; runs an
  // architecture search when one is due. Returns the gradient steps taken.
  size_t train(size_t fresh);
  // Architecture search now (also called by train() every optimise_every steps).
  nlohmann::json optimise();
  // Makes a kept version current again (throws NEBULA_INVALID if not kept).
  void rollback(int version);
  // Replaces the weights (same architecture, else NEBULA_INVALID) as a new
  // version whose parent is the current one, e.g. a federated average.
  // `to_new_units` rewrites the stored samples when the normalisation changed
  // with the weights; the parent's val loss is measured before, in its units.
  void adopt_parameters(const std::vector<DenseLayer>& layers, const std::string& origin,
                        const std::function<void(Sample&)>& to_new_units = {});

  std::shared_ptr<const DenseSnapshot> snapshot() const { return snapshot_; }
  std::optional<double> val_loss() const { return val_loss_; }
  uint64_t steps() const { return steps_; }
  uint64_t samples_seen() const { return store_.seen(); }
  int version() const { return version_; }
  const Lineage& lineage() const { return lineage_; }
  const ModelSettings& settings() const { return settings_; }
  const Architecture& architecture() const { return trainer_->architecture(); }
  double learning_rate() const { return trainer_->learning_rate(); }
  // The current weights as plain floats (what a federation round publishes).
  const std::vector<DenseLayer>& parameters() const { return snapshot_->layers(); }
  // Mean loss of the current model on the given samples (for tests / evaluation).
  double loss_on(const std::vector<const Sample*>& samples) const { return trainer_->loss(samples); }
  const SampleStore& store() const { return store_; }

  // steps, samples_seen, train_loss, val_loss, version, architecture,
  // learning_rate, lineage, kept_versions, optimisation.
  nlohmann::json stats() const;

  // Sections "model.meta", "model.weights", "model.optimizer", "model.samples", "model.kept.<v>".
  void save(CheckpointWriter& out) const;
  // Restores from the sections (throws NEBULA_INVALID; *this is unusable after
  // a throw, so load into a fresh object and swap).
  void load(const CheckpointReader& in);

 private:
  std::unique_ptr<MlpTrainer> train_candidate(std::unique_ptr<MlpTrainer> t);
  void refresh_after_change();
  // The current trainer becomes a new version (newest + 1) whose parent is
  // `parent`, recorded in the lineage and kept for rollback.
  void add_version(int parent, std::optional<double> val_loss, const std::string& origin,
                   std::optional<double> parent_val_loss);
  void keep_current();
  void trim_kept();

  ModelSettings settings_;
  std::unique_ptr<MlpTrainer> trainer_;
  SampleStore store_;
  std::mt19937_64 rng_;
  Lineage lineage_;
  std::map<int, KeptVersion> kept_;
  std::shared_ptr<const DenseSnapshot> snapshot_;
  int version_ = 1;
  uint64_t steps_ = 0;
  uint64_t last_optimise_step_ = 0;
  std::optional<double> train_loss_;
  std::optional<double> val_loss_;
  uint64_t optimisations_ = 0, promotions_ = 0, rollbacks_ = 0;
  nlohmann::json last_optimisation_;
};

}  // namespace nebula::agents
