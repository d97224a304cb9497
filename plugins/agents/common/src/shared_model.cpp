#include "nebula_agents/shared_model.hpp"

#include <iterator>

#include <nebula/host.hpp>

namespace nebula::agents {

SharedModel::SharedModel(ModelSettings settings)
    : settings_(settings), model_(std::make_unique<EvolvingModel>(std::move(settings))) {
  publish();
}

void SharedModel::publish() {
  auto snap = model_->snapshot();
  auto stats = model_->stats();
  const int v = model_->version();
  std::lock_guard lock(view_mu_);
  snapshot_ = std::move(snap);
  stats_ = std::move(stats);
  version_ = v;
}

std::shared_ptr<const DenseSnapshot> SharedModel::snapshot() const {
  std::lock_guard lock(view_mu_);
  return snapshot_;
}

int SharedModel::version() const {
  std::lock_guard lock(view_mu_);
  return version_;
}

nlohmann::json SharedModel::stats() const {
  std::lock_guard lock(view_mu_);
  return stats_;
}

nlohmann::json SharedModel::rollback(int version) {
  return with_model([&](EvolvingModel& m) {
    const int from = m.version();
    m.rollback(version);
    return nlohmann::json{{"rolled_back", true}, {"from_version", from}, {"version", m.version()},
                          {"architecture", m.stats()["architecture"]}, {"val_loss", m.stats()["val_loss"]}};
  });
}

nlohmann::json SharedModel::optimise() {
  return with_model([&](EvolvingModel& m) { return m.optimise(); });
}

void SharedModel::save(CheckpointWriter& out) {
  std::lock_guard lock(model_mu_);
  model_->save(out);
}

void SharedModel::load(const CheckpointReader& in) {
  auto fresh = std::make_unique<EvolvingModel>(settings_);
  fresh->load(in);
  std::lock_guard lock(model_mu_);
  model_ = std::move(fresh);
  publish();
}

nlohmann::json evaluate_samples(SharedModel& model, const std::vector<Sample>& samples) {
  std::vector<const Sample*> view;
  for (const auto& s : samples) view.push_back(&s);
  const double loss = view.empty() ? 0.0 : model.with_model([&](EvolvingModel& m) { return m.loss_on(view); });
  return {{"loss", view.empty() ? nlohmann::json(nullptr) : nlohmann::json(loss)},
          {"examples", view.size()},
          {"version", model.version()}};
}

std::vector<TrainingExample> examples_of_request(const nlohmann::json& request) {
  nlohmann::json docs = nlohmann::json::array();
  if (request.contains("insights") && request["insights"].is_array()) docs = request["insights"];
  else if (request.contains("insight")) docs.push_back(request["insight"]);
  std::vector<TrainingExample> out;
  for (const auto& d : docs) {
    // A query, not the training path: the request's DOM is written back to
    // text for the one reader of training examples.
    auto parsed = read_training_examples(d.dump());
    if (parsed) std::move(parsed->examples.begin(), parsed->examples.end(), std::back_inserter(out));
  }
  if (out.empty())
    throw Error(NEBULA_INVALID, "evaluate needs \"insights\": [training_examples documents] with usable examples");
  return out;
}

CheckpointReader read_agent_checkpoint(std::istream& in, const std::string& agent_id) {
  CheckpointReader reader(in);
  const std::string& writer = reader.at("agent");
  if (writer != agent_id)
    throw Error(NEBULA_INVALID, "checkpoint belongs to '" + writer.substr(0, 100) + "', not '" + agent_id + "'");
  return reader;
}

void tag_agent_checkpoint(CheckpointWriter& out, const std::string& agent_id) { out.add("agent", agent_id); }

}  // namespace nebula::agents
