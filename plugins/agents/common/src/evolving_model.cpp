#include "nebula_agents/evolving_model.hpp"

#include <algorithm>
#include <cmath>

#include <nebula/host.hpp>
#include <nebula/json_numbers.hpp>

namespace nebula::agents {

EvolvingModel::EvolvingModel(ModelSettings settings)
    : settings_(std::move(settings)),
      trainer_(std::make_unique<MlpTrainer>(settings_.architecture, settings_.learning_rate, settings_.seed)),
      store_(settings_.train_reservoir, settings_.val_reservoir, settings_.validation_every),
      rng_(settings_.seed ^ 0x9E3779B97F4A7C15ull),
      last_optimisation_(nullptr) {
  lineage_.add({1, 0, 0, settings_.architecture, settings_.learning_rate, std::nullopt, "initial", std::nullopt});
  keep_current();
  snapshot_ = std::make_shared<DenseSnapshot>(trainer_->snapshot());
}

void EvolvingModel::add(Sample s) { store_.add(std::move(s)); }

size_t EvolvingModel::train(size_t fresh) {
  if (store_.train().size() == 0) return 0;
  const double wanted = settings_.replay * static_cast<double>(fresh) / static_cast<double>(settings_.batch_size);
  const size_t n = std::clamp<size_t>(static_cast<size_t>(std::ceil(wanted)), fresh ? 1 : 0, settings_.max_steps_per_learn);
  for (size_t i = 0; i < n; ++i) {
    const double loss = trainer_->step(store_.minibatch(rng_, settings_.batch_size, fresh));
    ++steps_;
    if (std::isfinite(loss))
      train_loss_ = train_loss_ ? (1 - settings_.loss_ewma) * *train_loss_ + settings_.loss_ewma * loss : loss;
  }
  if (settings_.optimise_every && steps_ - last_optimise_step_ >= settings_.optimise_every) optimise();
  refresh_after_change();
  return n;
}

std::unique_ptr<MlpTrainer> EvolvingModel::train_candidate(std::unique_ptr<MlpTrainer> t) {
  auto all = store_.train().all();
  std::mt19937_64 rng(settings_.seed + steps_);
  for (size_t epoch = 0; epoch < settings_.candidate_epochs; ++epoch) {
    std::shuffle(all.begin(), all.end(), rng);
    for (size_t i = 0; i < all.size(); i += settings_.batch_size) {
      std::vector<const Sample*> batch(all.begin() + static_cast<long>(i),
                                       all.begin() + static_cast<long>(std::min(all.size(), i + settings_.batch_size)));
      t->step(batch);
    }
  }
  return t;
}

nlohmann::json EvolvingModel::optimise() {
  last_optimise_step_ = steps_;
  const auto val = store_.validation().all();
  if (val.empty() || store_.train().size() < settings_.batch_size) return nullptr;
  ++optimisations_;
  const double current = trainer_->loss(val);
  const Architecture& arch = trainer_->architecture();
  const double lr = trainer_->learning_rate();
  struct Candidate {
    std::string origin;
    std::unique_ptr<MlpTrainer> trainer;
    double val_loss = 0;
  };
  std::vector<Candidate> candidates;
  // Wider / narrower networks start from scratch; other learning rates
  // continue from the current weights (a fair race on the same reservoir).
  const uint64_t seed = settings_.seed + steps_;
  candidates.push_back({"width x0.5", std::make_unique<MlpTrainer>(arch.scaled(0.5), lr, seed)});
  candidates.push_back({"width x2", std::make_unique<MlpTrainer>(arch.scaled(2.0), lr, seed + 1)});
  candidates.push_back({"lr x0.3", trainer_->clone(lr * 0.3)});
  candidates.push_back({"lr x3", trainer_->clone(std::min(lr * 3.0, 0.1))});
  nlohmann::json report = {{"at_step", steps_}, {"current_val_loss", current}, {"margin", settings_.promote_margin}};
  Candidate* best = nullptr;
  for (auto& c : candidates) {
    c.trainer = train_candidate(std::move(c.trainer));
    c.val_loss = c.trainer->loss(val);
    report["candidates"].push_back({{"origin", c.origin},
                                    {"architecture", c.trainer->architecture().describe()},
                                    {"learning_rate", c.trainer->learning_rate()},
                                    {"val_loss", number_or_null(c.val_loss)}});
    if (std::isfinite(c.val_loss) && (!best || c.val_loss < best->val_loss)) best = &c;
  }
  if (best && best->val_loss < current * (1.0 - settings_.promote_margin)) {
    keep_current();  // the parent's latest weights stay available for rollback
    const int parent = version_;
    trainer_ = std::move(best->trainer);
    add_version(parent, best->val_loss, best->origin, current);
    ++promotions_;
    report["promoted"] = version_;
  } else {
    report["promoted"] = nullptr;
  }
  last_optimisation_ = report;
  refresh_after_change();
  return report;
}

void EvolvingModel::rollback(int version) {
  auto it = kept_.find(version);
  if (it == kept_.end()) {
    std::string kept;
    for (const auto& [v, k] : kept_) kept += (kept.empty() ? "" : ", ") + std::to_string(v);
    throw Error(NEBULA_INVALID, "version " + std::to_string(version) + " is not kept (kept: " + kept + ")");
  }
  if (version == version_) return;
  keep_current();
  const KeptVersion k = it->second;
  auto restored = std::make_unique<MlpTrainer>(k.architecture, k.learning_rate, settings_.seed);
  restored->load_weights(k.weights);
  trainer_ = std::move(restored);
  version_ = version;
  ++rollbacks_;
  refresh_after_change();
}

void EvolvingModel::adopt_parameters(const std::vector<DenseLayer>& layers, const std::string& origin,
                                     const std::function<void(Sample&)>& to_new_units) {
  const auto val = store_.validation().all();
  const std::optional<double> parent_loss = val.empty() ? std::nullopt : std::optional<double>(trainer_->loss(val));
  keep_current();                      // the parent stays available for rollback
  trainer_->set_parameters(layers);    // throws before anything else changed
  if (to_new_units) store_.transform(to_new_units);
  const int parent = version_;
  refresh_after_change();
  add_version(parent, val_loss_, origin, parent_loss);
}

void EvolvingModel::add_version(int parent, std::optional<double> val_loss, const std::string& origin,
                                std::optional<double> parent_val_loss) {
  version_ = lineage_.newest_version() + 1;
  lineage_.add({version_, parent, steps_, trainer_->architecture(), trainer_->learning_rate(), val_loss, origin,
                parent_val_loss});
  keep_current();
}

void EvolvingModel::keep_current() {
  kept_[version_] = {version_, trainer_->architecture(), trainer_->learning_rate(), trainer_->save_weights()};
  trim_kept();
}

void EvolvingModel::trim_kept() {
  // Keep the newest versions, but never drop the current one.
  while (kept_.size() > std::max<size_t>(settings_.keep_versions, 1)) {
    auto victim = kept_.begin();
    if (victim->first == version_) ++victim;
    if (victim == kept_.end()) break;
    kept_.erase(victim);
  }
}

void EvolvingModel::refresh_after_change() {
  const auto val = store_.validation().all();
  if (!val.empty()) val_loss_ = trainer_->loss(val);
  snapshot_ = std::make_shared<DenseSnapshot>(trainer_->snapshot());
}

nlohmann::json EvolvingModel::stats() const {
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& [v, k] : kept_) kept.push_back(v);
  return {{"steps", steps_},
          {"samples_seen", store_.seen()},
          {"train_loss", number_or_null(train_loss_)},
          {"val_loss", number_or_null(val_loss_)},
          {"val_samples", store_.validation().size()},
          {"train_reservoir", store_.train().size()},
          {"version", version_},
          {"architecture", trainer_->architecture().to_json()},
          {"learning_rate", trainer_->learning_rate()},
          {"lineage", lineage_.to_json()},
          {"kept_versions", kept},
          {"optimisation",
           {{"every_steps", settings_.optimise_every},
            {"margin", settings_.promote_margin},
            {"runs", optimisations_},
            {"promotions", promotions_},
            {"rollbacks", rollbacks_},
            {"last", last_optimisation_}}}};
}

void EvolvingModel::save(CheckpointWriter& out) const {
  nlohmann::json meta = {{"version", version_},
                         {"steps", steps_},
                         {"last_optimise_step", last_optimise_step_},
                         {"train_loss", number_or_null(train_loss_)},
                         {"architecture", trainer_->architecture().to_json()},
                         {"learning_rate", trainer_->learning_rate()},
                         {"lineage", lineage_.to_json()},
                         {"optimisations", optimisations_},
                         {"promotions", promotions_},
                         {"rollbacks", rollbacks_},
                         {"last_optimisation", last_optimisation_}};
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& [v, k] : kept_) {
    if (v == version_) continue;  // the current weights are saved live below
    kept.push_back({{"version", v}, {"architecture", k.architecture.to_json()}, {"learning_rate", k.learning_rate}});
    out.add("model.kept." + std::to_string(v), k.weights);
  }
  meta["kept"] = kept;
  out.add("model.meta", meta.dump());
  out.add("model.weights", trainer_->save_weights());
  out.add("model.optimizer", trainer_->save_optimizer());
  out.add("model.samples", store_.encode());
}

void EvolvingModel::load(const CheckpointReader& in) {
  const auto meta = nlohmann::json::parse(in.at("model.meta"), nullptr, false);
  if (!meta.is_object()) throw Error(NEBULA_INVALID, "damaged agent checkpoint: model.meta is not JSON");
  try {
    const Architecture arch = Architecture::from_json(meta.at("architecture"));
    if (arch.inputs != settings_.architecture.inputs || arch.outputs != settings_.architecture.outputs)
      throw Error(NEBULA_INVALID, "checkpoint model has " + arch.describe() + " but this agent needs " +
                                      std::to_string(settings_.architecture.inputs) + " inputs and " +
                                      std::to_string(settings_.architecture.outputs) + " outputs");
    trainer_ = std::make_unique<MlpTrainer>(arch, meta.at("learning_rate").get<double>(), settings_.seed);
    trainer_->load_weights(in.at("model.weights"));
    trainer_->load_optimizer(in.at("model.optimizer"));
    store_.decode(in.at("model.samples"));
    lineage_.from_json(meta.at("lineage"));
    version_ = meta.at("version").get<int>();
    steps_ = meta.at("steps").get<uint64_t>();
    last_optimise_step_ = meta.value("last_optimise_step", steps_);
    train_loss_.reset();
    if (meta.contains("train_loss") && meta["train_loss"].is_number()) train_loss_ = meta["train_loss"].get<double>();
    optimisations_ = meta.value("optimisations", uint64_t{0});
    promotions_ = meta.value("promotions", uint64_t{0});
    rollbacks_ = meta.value("rollbacks", uint64_t{0});
    last_optimisation_ = meta.value("last_optimisation", nlohmann::json(nullptr));
    kept_.clear();
    for (const auto& k : meta.at("kept")) {
      const int v = k.at("version").get<int>();
      kept_[v] = {v, Architecture::from_json(k.at("architecture")), k.at("learning_rate").get<double>(),
                  in.at("model.kept." + std::to_string(v))};
    }
    keep_current();
  } catch (const nlohmann::json::exception& e) {
    throw Error(NEBULA_INVALID, std::string("damaged agent checkpoint: model.meta: ") + e.what());
  }
  rng_.seed(settings_.seed + steps_);
  refresh_after_change();
}

}  // namespace nebula::agents
