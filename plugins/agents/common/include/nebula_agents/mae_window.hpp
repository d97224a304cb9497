// Mean absolute error of a model and of a baseline over the same recent
// predictions (a fixed-size window), so the two are always comparable.
#pragma once

#include <array>
#include <cstddef>
#include <deque>

#include <nlohmann/json.hpp>

namespace nebula::agents {

class MaeWindow {
 public:
  MaeWindow() : MaeWindow(200) {}
  explicit MaeWindow(size_t capacity) : capacity_(capacity ? capacity : 1) {}
  void add(double model_abs_error, double naive_abs_error) {
    items_.push_back({model_abs_error, naive_abs_error});
    sum_[0] += model_abs_error;
    sum_[1] += naive_abs_error;
    if (items_.size() > capacity_) {
      sum_[0] -= items_.front()[0];
      sum_[1] -= items_.front()[1];
      items_.pop_front();
    }
  }
  size_t size() const { return items_.size(); }
  double model() const { return items_.empty() ? 0 : sum_[0] / static_cast<double>(items_.size()); }
  double naive() const { return items_.empty() ? 0 : sum_[1] / static_cast<double>(items_.size()); }
  // {"model": mae, "naive": mae, "samples": n}; nulls while empty.
  nlohmann::json to_json() const {
    if (items_.empty()) return {{"model", nullptr}, {"naive", nullptr}, {"samples", 0}};
    return {{"model", model()}, {"naive", naive()}, {"samples", items_.size()}};
  }
  nlohmann::json dump() const {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& it : items_) a.push_back({it[0], it[1]});
    return a;
  }
  void restore(const nlohmann::json& a) {
    items_.clear();
    sum_ = {0, 0};
    if (!a.is_array()) return;
    for (const auto& it : a)
      if (it.is_array() && it.size() == 2 && it[0].is_number() && it[1].is_number())
        add(it[0].get<double>(), it[1].get<double>());
  }

 private:
  size_t capacity_;
  std::deque<std::array<double, 2>> items_;
  std::array<double, 2> sum_{0, 0};
};

}  // namespace nebula::agents
