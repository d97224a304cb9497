// An EvolvingModel shared between the training thread and query threads.
//
// Training, optimisation, rollback, save and load run under one lock; after
// each change the model publishes an immutable snapshot and a stats document
// under a second, short lock, which is all queries and stats() ever take.
// Lock order for callers: the model lock (inside with_model) before any lock
// of their own; snapshot()/stats() take only the short publication lock.
#pragma once

#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "nebula_agents/checkpoint_frame.hpp"
#include "nebula_agents/evolving_model.hpp"
#include "nebula_agents/training_examples.hpp"

namespace nebula::agents {

class SharedModel {
 public:
  explicit SharedModel(ModelSettings settings);

  // Runs f(EvolvingModel&) under the model lock, then publishes.
  template <class F>
  auto with_model(F&& f) {
    std::lock_guard lock(model_mu_);
    struct Publish {
      SharedModel* self;
      ~Publish() { self->publish(); }
    } publish_on_exit{this};
    return f(*model_);
  }

  std::shared_ptr<const DenseSnapshot> snapshot() const;
  int version() const;
  nlohmann::json stats() const;

  // {"action":"rollback","version":N} / {"action":"optimise"} answers.
  nlohmann::json rollback(int version);
  nlohmann::json optimise();

  // Adds the model's sections (call inside with_model or on its own).
  void save(CheckpointWriter& out);
  // Loads into a fresh model and swaps it in only on success.
  void load(const CheckpointReader& in);

 private:
  void publish();

  ModelSettings settings_;
  std::mutex model_mu_;
  std::unique_ptr<EvolvingModel> model_;
  mutable std::mutex view_mu_;
  std::shared_ptr<const DenseSnapshot> snapshot_;
  nlohmann::json stats_;
  int version_ = 1;
};

// {"loss": ..., "examples": n} of the current model on `samples` (no training).
nlohmann::json evaluate_samples(SharedModel& model, const std::vector<Sample>& samples);

// The examples of an {"action":"evaluate","insights":[training_examples, ...]}
// request (or a single "insight"); throws NEBULA_INVALID when there are none.
std::vector<TrainingExample> examples_of_request(const nlohmann::json& request);

// Reads a checkpoint written by write_agent_checkpoint for `agent_id`;
// throws NEBULA_INVALID on damage or on another agent's checkpoint.
CheckpointReader read_agent_checkpoint(std::istream& in, const std::string& agent_id);
// Adds the "agent" section naming the writer.
void tag_agent_checkpoint(CheckpointWriter& out, const std::string& agent_id);

}  // namespace nebula::agents
