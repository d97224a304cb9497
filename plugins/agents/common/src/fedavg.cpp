#include "nebula_agents/fedavg.hpp"

#include <algorithm>

#include "nebula_agents/crc32.hpp"

namespace nebula::agents {
namespace {

// z_to = a * z_from + b for one statistic.
struct Affine {
  double a = 1, b = 0;
};

bool affine_of(const NormUse& u, const StatMap& from, const StatMap& to, Affine* out) {
  auto f = from.find(u.stat);
  auto t = to.find(u.stat);
  if (f == from.end() || t == to.end()) return false;
  const double sf = f->second.std_or(u.floor), st = t->second.std_or(u.floor);
  *out = {sf / st, (f->second.mean - t->second.mean) / st};
  return out->a != 1 || out->b != 0;
}

float clip(double v) { return static_cast<float>(std::clamp(v, -10.0, 10.0)); }

}  // namespace

StatMap combine_stats(const std::vector<const StatMap*>& maps) {
  StatMap out;
  for (const StatMap* m : maps)
    for (const auto& [name, stat] : *m) out[name] = RunningStat::combine(out[name], stat);
  return out;
}

bool units_differ(const std::vector<NormUse>& uses, const StatMap& from, const StatMap& to) {
  Affine unused;
  for (const auto& u : uses)
    if (affine_of(u, from, to, &unused)) return true;
  return false;
}

void restandardise(std::vector<DenseLayer>& layers, const std::vector<NormUse>& uses, const StatMap& from,
                   const StatMap& to) {
  if (layers.empty()) return;
  for (const auto& u : uses) {
    Affine t;
    if (!affine_of(u, from, to, &t)) continue;
    if (u.output) {
      // y_to = a * y_from + b: scale the output row, shift its bias.
      DenseLayer& L = layers.back();
      if (u.column < 0 || u.column >= L.outputs) continue;
      const auto row = static_cast<size_t>(u.column) * static_cast<size_t>(L.inputs);
      for (int i = 0; i < L.inputs; ++i) L.weight[row + static_cast<size_t>(i)] *= static_cast<float>(t.a);
      L.bias[static_cast<size_t>(u.column)] = static_cast<float>(t.a * L.bias[static_cast<size_t>(u.column)] + t.b);
    } else {
      // The layer saw z_from = (z_to - b) / a: divide the column by a; the
      // constant -w*b/a applies only while the input is present, so it goes
      // on the presence flag's column when there is one (absent inputs are 0).
      DenseLayer& L = layers.front();
      if (u.column < 0 || u.column >= L.inputs || u.present_flag >= L.inputs) continue;
      for (int r = 0; r < L.outputs; ++r) {
        const auto row = static_cast<size_t>(r) * static_cast<size_t>(L.inputs);
        const double w = L.weight[row + static_cast<size_t>(u.column)];
        const double shift = w * t.b / t.a;
        L.weight[row + static_cast<size_t>(u.column)] = static_cast<float>(w / t.a);
        if (u.present_flag >= 0) L.weight[row + static_cast<size_t>(u.present_flag)] -= static_cast<float>(shift);
        else L.bias[static_cast<size_t>(r)] -= static_cast<float>(shift);
      }
    }
  }
}

void restandardise(Sample& s, const std::vector<NormUse>& uses, const StatMap& from, const StatMap& to) {
  for (const auto& u : uses) {
    Affine t;
    if (!affine_of(u, from, to, &t)) continue;
    const auto c = static_cast<size_t>(u.column);
    if (u.output) {
      if (c < s.y.size() && c < s.mask.size() && s.mask[c] > 0) s.y[c] = clip(t.a * s.y[c] + t.b);
    } else if (c < s.x.size()) {
      const bool present = u.present_flag < 0 || (static_cast<size_t>(u.present_flag) < s.x.size() &&
                                                  s.x[static_cast<size_t>(u.present_flag)] > 0.5f);
      if (present) s.x[c] = clip(t.a * s.x[c] + t.b);
    }
  }
}

std::vector<DenseLayer> weighted_average(const std::vector<const std::vector<DenseLayer>*>& nets,
                                         const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  std::vector<DenseLayer> out = *nets.front();
  for (size_t l = 0; l < out.size(); ++l) {
    auto average = [&](std::vector<float>& dst, auto member) {
      for (size_t i = 0; i < dst.size(); ++i) {
        double acc = 0;
        for (size_t k = 0; k < nets.size(); ++k) acc += weights[k] * static_cast<double>(((*nets[k])[l].*member)[i]);
        dst[i] = static_cast<float>(acc / total);
      }
    };
    average(out[l].weight, &DenseLayer::weight);
    average(out[l].bias, &DenseLayer::bias);
  }
  return out;
}

std::vector<DenseLayer> plus_difference(const std::vector<DenseLayer>& base, const std::vector<DenseLayer>& now,
                                        const std::vector<DenseLayer>& then) {
  std::vector<DenseLayer> out = base;
  for (size_t l = 0; l < out.size(); ++l) {
    for (size_t i = 0; i < out[l].weight.size(); ++i) out[l].weight[i] += now[l].weight[i] - then[l].weight[i];
    for (size_t i = 0; i < out[l].bias.size(); ++i) out[l].bias[i] += now[l].bias[i] - then[l].bias[i];
  }
  return out;
}

uint32_t parameters_crc32(const std::vector<DenseLayer>& layers) {
  uint32_t crc = 0;
  for (const auto& L : layers) {
    crc = crc32(L.weight.data(), L.weight.size() * sizeof(float), crc);
    crc = crc32(L.bias.data(), L.bias.size() * sizeof(float), crc);
  }
  return crc;
}

}  // namespace nebula::agents
