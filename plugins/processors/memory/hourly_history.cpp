#include "hourly_history.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <nebula/json_numbers.hpp>

namespace nebula::memory {

void Aggregate::add(double x) {
  if (count == 0 || x < min) min = x;
  if (count == 0 || x > max) max = x;
  sum += x;
  ++count;
}

double Aggregate::mean() const { return count ? sum / static_cast<double>(count) : std::nan(""); }

void HourSummary::add(const MetricValues& values, double b, double tx) {
  ++samples;
  if (std::isfinite(b)) blocks += b;
  if (std::isfinite(tx)) transactions += tx;
  for (size_t i = 0; i < kMetricCount; ++i)
    if (std::isfinite(values[i])) metrics[i].add(values[i]);
}

nlohmann::json HourSummary::summary() const {
  nlohmann::json m = nlohmann::json::object();
  for (size_t i = 0; i < kMetricCount; ++i) {
    const Aggregate& a = metrics[i];
    m[std::string(kMetricNames[i])] = {{"count", a.count},
                                       {"mean", number_or_null(a.mean())},
                                       {"min", a.count ? number_or_null(a.min) : nullptr},
                                       {"max", a.count ? number_or_null(a.max) : nullptr}};
  }
  return {{"hour_start", hour_start}, {"samples", samples}, {"blocks", blocks}, {"transactions", transactions},
          {"metrics", m}};
}

// Compact on disk: [count, sum, min, max] per metric, in kMetricNames order.
nlohmann::json HourSummary::to_json() const {
  nlohmann::json m = nlohmann::json::array();
  for (const Aggregate& a : metrics) m.push_back({a.count, a.sum, a.min, a.max});
  return {{"h", hour_start}, {"n", samples}, {"b", blocks}, {"t", transactions}, {"m", m}};
}

HourSummary HourSummary::from_json(const nlohmann::json& doc) {
  HourSummary s;
  s.hour_start = doc.at("h").get<double>();
  s.samples = doc.at("n").get<uint64_t>();
  s.blocks = doc.at("b").get<double>();
  s.transactions = doc.at("t").get<double>();
  const auto& m = doc.at("m");
  if (!m.is_array() || m.size() != kMetricCount) throw std::runtime_error("hour summary has the wrong metric count");
  for (size_t i = 0; i < kMetricCount; ++i) {
    const auto& a = m[i];
    if (!a.is_array() || a.size() != 4) throw std::runtime_error("hour aggregate is not [count, sum, min, max]");
    s.metrics[i] = {a[0].get<uint64_t>(), a[1].get<double>(), a[2].get<double>(), a[3].get<double>()};
  }
  return s;
}

double HourlyHistory::hour_of(double ts) { return std::floor(ts / 3600.0) * 3600.0; }

bool HourlyHistory::add(double ts, const MetricValues& values, double blocks, double transactions) {
  const double hour = hour_of(ts);
  if (hours_.empty() || hour > hours_.back().hour_start) {
    hours_.push_back(HourSummary{hour});
    if (hours_.size() > capacity_) hours_.erase(hours_.begin());
    hours_.back().add(values, blocks, transactions);
    return true;
  }
  // Late sample: find its hour (usually the newest one, so search backwards).
  for (auto it = hours_.rbegin(); it != hours_.rend(); ++it) {
    if (it->hour_start == hour) {
      it->add(values, blocks, transactions);
      return true;
    }
    if (it->hour_start < hour) {  // a gap hour we never opened: insert it in order
      auto pos = hours_.insert(it.base(), HourSummary{hour});
      pos->add(values, blocks, transactions);
      if (hours_.size() > capacity_) hours_.erase(hours_.begin());
      return true;
    }
  }
  if (hours_.size() >= capacity_) return false;  // older than everything kept, and no room
  hours_.insert(hours_.begin(), HourSummary{hour});
  hours_.front().add(values, blocks, transactions);
  return true;
}

nlohmann::json HourlyHistory::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hours_) out.push_back(h.to_json());
  return out;
}

void HourlyHistory::from_json(const nlohmann::json& doc) {
  if (!doc.is_array()) throw std::runtime_error("hourly history is not a list");
  std::vector<HourSummary> loaded;
  for (const auto& h : doc) {
    loaded.push_back(HourSummary::from_json(h));
    if (loaded.size() > 1 && !(loaded.back().hour_start > loaded[loaded.size() - 2].hour_start))
      throw std::runtime_error("hourly history is not in time order");
  }
  if (loaded.size() > capacity_) loaded.erase(loaded.begin(), loaded.end() - static_cast<std::ptrdiff_t>(capacity_));
  hours_ = std::move(loaded);
}

}  // namespace nebula::memory
