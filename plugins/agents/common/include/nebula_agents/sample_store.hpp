// Recent examples kept for training and validation: two bounded rings.
// Every `validation_every`-th sample goes to the validation ring and is never
// trained on, so val_loss measures generalisation to recent data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "nebula_agents/mlp_trainer.hpp"

namespace nebula::agents {

class SampleRing {
 public:
  explicit SampleRing(size_t capacity = 1) : capacity_(capacity ? capacity : 1) {}
  void push(Sample s);
  size_t size() const { return items_.size(); }
  size_t capacity() const { return capacity_; }
  std::vector<const Sample*> all() const;
  // The k most recently pushed samples (fewer if the ring holds fewer).
  std::vector<const Sample*> newest(size_t k) const;
  const Sample& at(size_t i) const { return items_[i]; }
  template <class F>
  void for_each(F&& f) {
    for (auto& s : items_) f(s);
  }

 private:
  size_t capacity_;
  size_t next_ = 0;  // slot the next push overwrites once full
  std::vector<Sample> items_;
};

class SampleStore {
 public:
  SampleStore(size_t train_capacity, size_t val_capacity, size_t validation_every);

  // Returns true when the sample went to the validation ring.
  bool add(Sample s);
  const SampleRing& train() const { return train_; }
  const SampleRing& validation() const { return val_; }
  uint64_t seen() const { return seen_; }

  // A training mini-batch: half from the freshest `fresh` samples, the rest
  // replayed uniformly from the ring (keeps old behaviour from being forgotten).
  std::vector<const Sample*> minibatch(std::mt19937_64& rng, size_t size, size_t fresh) const;
  // Rewrites every stored sample (both rings), e.g. into new normalisation units.
  template <class F>
  void transform(F&& f) {
    train_.for_each(f);
    val_.for_each(f);
  }

  // Compact binary form for checkpoints; decode throws nebula::Error(NEBULA_INVALID).
  std::string encode() const;
  void decode(const std::string& bytes);

 private:
  SampleRing train_;
  SampleRing val_;
  size_t validation_every_;
  uint64_t seen_ = 0;
};

}  // namespace nebula::agents
