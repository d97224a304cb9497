// An immutable copy of a trained MLP's weights with a plain C++ forward pass.
// Queries run on it from admin threads: no locks held while computing, no
// libtorch thread pools woken up outside the training thread.
#pragma once

#include <span>
#include <vector>

namespace nebula::agents {

struct DenseLayer {
  int inputs = 0;
  int outputs = 0;
  std::vector<float> weight;  // outputs x inputs, row-major (torch's Linear layout)
  std::vector<float> bias;    // outputs
};

class DenseSnapshot {
 public:
  DenseSnapshot() = default;
  explicit DenseSnapshot(std::vector<DenseLayer> layers) : layers_(std::move(layers)) {}
  // ReLU between layers, linear output. An empty snapshot returns zeros.
  std::vector<float> forward(std::span<const float> x) const;
  int inputs() const { return layers_.empty() ? 0 : layers_.front().inputs; }
  int outputs() const { return layers_.empty() ? 0 : layers_.back().outputs; }
  const std::vector<DenseLayer>& layers() const { return layers_; }

 private:
  std::vector<DenseLayer> layers_;
};

}  // namespace nebula::agents
