// The `extra` column of a record: the fields a sender added that the pool
// has no column for (a full node's `transaction_analysis` and `ai_metrics`,
// a group's unknown leaves), kept by the host as one JSON object per row with
// their JSON types. Most rows have none ("" or null), and reading one costs
// nothing then; a row with extras is parsed once, by the reader that wants it.
//
//   const auto extra = batch.column(nebula::fields::extra);
//   nebula::RecordExtras x(extra.text(row));
//   if (auto mempool = x.number("transaction_analysis", "mempool_size")) ...
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nebula {

class RecordExtras {
 public:
  // `text` is borrowed for the constructor only. Text that is not a JSON
  // object (the host never writes such) reads as empty and sets malformed().
  explicit RecordExtras(std::string_view text) {
    if (text.empty()) return;
    doc_ = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!doc_.is_object()) {
      malformed_ = true;
      doc_ = nullptr;
    }
  }

  bool empty() const { return !doc_.is_object() || doc_.empty(); }
  bool malformed() const { return malformed_; }

  // The object the sender wrote under `group`; nullptr when absent or not an object.
  const nlohmann::json* group(std::string_view name) const {
    if (!doc_.is_object()) return nullptr;
    const auto it = doc_.find(std::string(name));
    return it != doc_.end() && it->is_object() ? &*it : nullptr;
  }

  // `group.key` as a finite number; nullopt when absent or of another type.
  std::optional<double> number(std::string_view group_name, std::string_view key) const {
    const nlohmann::json* g = group(group_name);
    if (!g) return std::nullopt;
    const auto it = g->find(std::string(key));
    if (it == g->end() || !it->is_number()) return std::nullopt;
    const double v = it->get<double>();
    return v == v && v - v == 0 ? std::optional<double>(v) : std::nullopt;  // finite
  }

 private:
  nlohmann::json doc_;
  bool malformed_ = false;
};

}  // namespace nebula
