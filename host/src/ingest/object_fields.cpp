#include "ingest/object_fields.hpp"

#include <algorithm>

namespace nebula::host {

ObjectFields::ObjectFields(simdjson::dom::object object) {
  const size_t n = object.size();  // saturates at 0xFFFFFF: only a capacity hint
  if (n > inline_.size()) {
    heap_.reserve(n);
    for (auto [key, value] : object) heap_.push_back({key, value});
    data_ = heap_.data();
    size_ = heap_.size();
  } else {
    for (auto [key, value] : object) inline_[size_++] = {key, value};
  }
  // Stable, so equal keys keep document order; then keep the last of each run.
  // Insertion sort for the usual dozen keys: std::stable_sort would allocate.
  const auto less = [](const Field& a, const Field& b) { return a.key < b.key; };
  if (size_ > inline_.size()) {
    std::stable_sort(data_, data_ + size_, less);
  } else {
    for (size_t i = 1; i < size_; ++i)
      for (size_t j = i; j > 0 && less(data_[j], data_[j - 1]); --j) std::swap(data_[j], data_[j - 1]);
  }
  size_t out = 0;
  for (size_t i = 0; i < size_; ++i) {
    if (i + 1 < size_ && data_[i + 1].key == data_[i].key) continue;
    data_[out++] = data_[i];
  }
  size_ = out;
}

std::optional<simdjson::dom::element> ObjectFields::find(std::string_view key) const {
  const Field* it = std::lower_bound(begin(), end(), key, [](const Field& f, std::string_view k) { return f.key < k; });
  if (it == end() || it->key != key) return std::nullopt;
  return it->value;
}

}  // namespace nebula::host
