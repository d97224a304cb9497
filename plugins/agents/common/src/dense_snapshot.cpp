#include "nebula_agents/dense_snapshot.hpp"

#include <algorithm>

namespace nebula::agents {

std::vector<float> DenseSnapshot::forward(std::span<const float> x) const {
  std::vector<float> cur(x.begin(), x.end()), next;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const auto& L = layers_[l];
    cur.resize(static_cast<size_t>(L.inputs), 0.0f);  // tolerate a short input
    next.assign(static_cast<size_t>(L.outputs), 0.0f);
    for (int o = 0; o < L.outputs; ++o) {
      const float* w = L.weight.data() + static_cast<size_t>(o) * static_cast<size_t>(L.inputs);
      float acc = L.bias[static_cast<size_t>(o)];
      for (int i = 0; i < L.inputs; ++i) acc += w[i] * cur[static_cast<size_t>(i)];
      next[static_cast<size_t>(o)] = (l + 1 < layers_.size()) ? std::max(acc, 0.0f) : acc;
    }
    cur.swap(next);
  }
  return cur;
}

}  // namespace nebula::agents
