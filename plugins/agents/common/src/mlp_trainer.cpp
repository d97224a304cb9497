#include "nebula_agents/mlp_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include <nebula/host.hpp>

#include "torch_include.hpp"

namespace nebula::agents {

std::string Architecture::describe() const {
  std::string s = std::to_string(inputs);
  for (auto h : hidden) s += "-" + std::to_string(h);
  return s + "-" + std::to_string(outputs);
}

Architecture Architecture::scaled(double factor) const {
  Architecture a = *this;
  for (auto& h : a.hidden) h = std::clamp<int64_t>(std::llround(static_cast<double>(h) * factor), 2, 1024);
  return a;
}

nlohmann::json Architecture::to_json() const {
  return {{"inputs", inputs}, {"hidden", hidden}, {"outputs", outputs}, {"layers", describe()}};
}

Architecture Architecture::from_json(const nlohmann::json& j) {
  auto bad = [] { throw Error(NEBULA_INVALID, "damaged agent checkpoint: bad architecture"); };
  if (!j.is_object() || !j.contains("inputs") || !j.contains("outputs") || !j.contains("hidden")) bad();
  if (!j["inputs"].is_number_integer() || !j["outputs"].is_number_integer() || !j["hidden"].is_array()) bad();
  Architecture a;
  a.inputs = j["inputs"].get<int64_t>();
  a.outputs = j["outputs"].get<int64_t>();
  for (const auto& h : j["hidden"]) {
    if (!h.is_number_integer() || h.get<int64_t>() < 1 || h.get<int64_t>() > 4096) bad();
    a.hidden.push_back(h.get<int64_t>());
  }
  if (a.inputs < 1 || a.inputs > 4096 || a.outputs < 1 || a.outputs > 4096) bad();
  return a;
}

struct MlpTrainer::Impl {
  torch::nn::Sequential net;
  std::unique_ptr<torch::optim::Adam> optimizer;
  std::vector<torch::nn::Linear> linears;
};

namespace {

torch::nn::Sequential build(const Architecture& arch, std::vector<torch::nn::Linear>& linears) {
  torch::nn::Sequential net;
  int64_t in = arch.inputs;
  for (auto h : arch.hidden) {
    linears.emplace_back(in, h);
    net->push_back(linears.back());
    net->push_back(torch::nn::ReLU());
    in = h;
  }
  linears.emplace_back(in, arch.outputs);
  net->push_back(linears.back());
  return net;
}

// Batch -> (x, y, mask) tensors.
struct Batch {
  torch::Tensor x, y, mask;
};
Batch to_tensors(const std::vector<const Sample*>& samples, int64_t inputs, int64_t outputs) {
  const auto n = static_cast<int64_t>(samples.size());
  Batch b{torch::zeros({n, inputs}), torch::zeros({n, outputs}), torch::zeros({n, outputs})};
  float* x = b.x.data_ptr<float>();
  float* y = b.y.data_ptr<float>();
  float* m = b.mask.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    const Sample& s = *samples[static_cast<size_t>(i)];
    std::copy_n(s.x.begin(), std::min<size_t>(s.x.size(), static_cast<size_t>(inputs)), x + i * inputs);
    std::copy_n(s.y.begin(), std::min<size_t>(s.y.size(), static_cast<size_t>(outputs)), y + i * outputs);
    std::copy_n(s.mask.begin(), std::min<size_t>(s.mask.size(), static_cast<size_t>(outputs)), m + i * outputs);
  }
  return b;
}

torch::Tensor masked_mse(const torch::Tensor& pred, const Batch& b) {
  auto err = (pred - b.y).pow(2) * b.mask;
  return err.sum() / b.mask.sum().clamp_min(1.0);
}

[[noreturn]] void invalid(const std::string& what, const std::exception& e) {
  throw Error(NEBULA_INVALID, "damaged agent checkpoint: " + what + ": " + std::string(e.what()).substr(0, 300));
}

}  // namespace

MlpTrainer::MlpTrainer(const Architecture& arch, double learning_rate, uint64_t seed)
    : arch_(arch), lr_(learning_rate), impl_(std::make_unique<Impl>()) {
  impl_->net = build(arch_, impl_->linears);
  std::mt19937_64 rng(seed);
  torch::NoGradGuard no_grad;
  for (auto& lin : impl_->linears) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(lin->options.in_features()));
    std::uniform_real_distribution<float> u(static_cast<float>(-bound), static_cast<float>(bound));
    for (auto* t : {&lin->weight, &lin->bias}) {
      float* p = t->data_ptr<float>();
      for (int64_t i = 0; i < t->numel(); ++i) p[i] = u(rng);
    }
  }
  impl_->optimizer = std::make_unique<torch::optim::Adam>(impl_->net->parameters(),
                                                          torch::optim::AdamOptions(learning_rate));
}

MlpTrainer::~MlpTrainer() = default;

double MlpTrainer::step(const std::vector<const Sample*>& batch) {
  if (batch.empty()) return std::numeric_limits<double>::quiet_NaN();
  impl_->net->train();
  const Batch b = to_tensors(batch, arch_.inputs, arch_.outputs);
  impl_->optimizer->zero_grad();
  auto loss = masked_mse(impl_->net->forward(b.x), b);
  loss.backward();
  impl_->optimizer->step();
  return loss.item<double>();
}

double MlpTrainer::loss(const std::vector<const Sample*>& samples) const {
  if (samples.empty()) return std::numeric_limits<double>::quiet_NaN();
  torch::NoGradGuard no_grad;
  const Batch b = to_tensors(samples, arch_.inputs, arch_.outputs);
  return masked_mse(impl_->net->forward(b.x), b).item<double>();
}

DenseSnapshot MlpTrainer::snapshot() const {
  std::vector<DenseLayer> layers;
  for (const auto& lin : impl_->linears) {
    DenseLayer L;
    L.inputs = static_cast<int>(lin->options.in_features());
    L.outputs = static_cast<int>(lin->options.out_features());
    auto w = lin->weight.detach().contiguous();
    auto b = lin->bias.detach().contiguous();
    L.weight.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    L.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
    layers.push_back(std::move(L));
  }
  return DenseSnapshot(std::move(layers));
}

void MlpTrainer::set_parameters(const std::vector<DenseLayer>& layers) {
  if (layers.size() != impl_->linears.size()) throw Error(NEBULA_INVALID, "parameters have the wrong number of layers");
  for (size_t i = 0; i < layers.size(); ++i) {  // all shapes first: a refusal changes nothing
    const auto& lin = impl_->linears[i];
    const DenseLayer& L = layers[i];
    if (L.inputs != lin->options.in_features() || L.outputs != lin->options.out_features() ||
        L.weight.size() != static_cast<size_t>(lin->weight.numel()) || L.bias.size() != static_cast<size_t>(lin->bias.numel()))
      throw Error(NEBULA_INVALID, "parameters of layer " + std::to_string(i) + " have the wrong shape");
  }
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < layers.size(); ++i) {
    // Written in place: the optimiser keeps pointing at the same tensors.
    std::copy(layers[i].weight.begin(), layers[i].weight.end(), impl_->linears[i]->weight.data_ptr<float>());
    std::copy(layers[i].bias.begin(), layers[i].bias.end(), impl_->linears[i]->bias.data_ptr<float>());
  }
}

std::unique_ptr<MlpTrainer> MlpTrainer::clone(double learning_rate) const {
  auto copy = std::make_unique<MlpTrainer>(arch_, learning_rate, 0);
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < impl_->linears.size(); ++i) {
    copy->impl_->linears[i]->weight.copy_(impl_->linears[i]->weight);
    copy->impl_->linears[i]->bias.copy_(impl_->linears[i]->bias);
  }
  return copy;
}

std::string MlpTrainer::save_weights() const {
  torch::serialize::OutputArchive archive;
  impl_->net->save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

void MlpTrainer::load_weights(const std::string& bytes) {
  try {
    std::istringstream in(bytes);
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    impl_->net->load(archive);
  } catch (const c10::Error& e) {
    invalid("model weights", e);
  } catch (const std::exception& e) {
    invalid("model weights", e);
  }
}

std::string MlpTrainer::save_optimizer() const {
  torch::serialize::OutputArchive archive;
  impl_->optimizer->save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

void MlpTrainer::load_optimizer(const std::string& bytes) {
  try {
    std::istringstream in(bytes);
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    impl_->optimizer->load(archive);
  } catch (const c10::Error& e) {
    invalid("optimiser state", e);
  } catch (const std::exception& e) {
    invalid("optimiser state", e);
  }
}

}  // namespace nebula::agents
