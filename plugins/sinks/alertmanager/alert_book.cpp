#include "alert_book.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "alert_labels.hpp"

namespace nebula::alertmanager {

namespace {

constexpr char kOwnerSeparator = '\x1f';

std::string key_of(const std::string& owner, const std::string& identity) {
  return owner + kOwnerSeparator + identity;
}

}  // namespace

ReconcileResult AlertBook::reconcile(const std::string& owner, const AlertView& view, double now) {
  ReconcileResult result;
  std::unordered_set<std::string> wanted_keys;
  for (const auto& wanted : view.current) wanted_keys.insert(key_of(owner, wanted.identity));
  // Resolve first, so what ended frees its place under max_alerts for what started.
  if (view.complete) {
    const std::string prefix = owner + kOwnerSeparator;
    for (auto it = firing_.lower_bound(prefix); it != firing_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
      auto next = std::next(it);
      if (!wanted_keys.contains(it->first)) resolve(it, now, result);
      it = next;
    }
  }
  for (const auto& identity : view.ended) {
    const std::string key = key_of(owner, identity);
    if (wanted_keys.contains(key)) continue;  // listed as open too: the open view wins
    if (auto it = firing_.find(key); it != firing_.end()) resolve(it, now, result);
  }
  for (const auto& wanted : view.current) open_or_update(key_of(owner, wanted.identity), wanted, now, result);
  if (resolutions_.size() > limits_.max_alerts) {
    const size_t excess = resolutions_.size() - limits_.max_alerts;
    resolutions_.erase(resolutions_.begin(), resolutions_.begin() + static_cast<std::ptrdiff_t>(excess));
    result.dropped_resolutions += excess;
  }
  return result;
}

void AlertBook::open_or_update(const std::string& key, const WantedAlert& wanted, double now, ReconcileResult& result) {
  auto it = firing_.find(key);
  if (it == firing_.end()) {
    if (firing_.size() >= limits_.max_alerts) {
      ++result.over_cap;
      return;
    }
    Tracked fresh;
    // Alertmanager refuses startsAt after endsAt; a node clock running ahead
    // of ours must not make the resolution invalid later.
    fresh.starts_at = std::min(wanted.starts_at.value_or(now), now);
    fresh.severity = wanted.severity;
    it = firing_.emplace(key, std::move(fresh)).first;
    ++result.opened;
  }
  Tracked& t = it->second;
  t.annotations = wanted.annotations;
  t.severity = std::max(t.severity, wanted.severity);
  LabelSet labels = wanted.labels;
  labels[labels::kSeverity] = severity_name(t.severity);
  if (labels == t.labels) return;
  if (!t.labels.empty()) {  // re-labelled: the old label set is a different alert to Alertmanager
    resolutions_.push_back({t.labels, t.annotations, t.starts_at, now});
    ++result.opened;
  }
  t.labels = std::move(labels);
  t.unsent = true;
}

void AlertBook::resolve(std::map<std::string, Tracked>::iterator it, double now, ReconcileResult& result) {
  resolutions_.push_back({std::move(it->second.labels), std::move(it->second.annotations), it->second.starts_at, now});
  firing_.erase(it);
  ++result.resolved;
}

void AlertBook::collect(std::vector<OutgoingAlert>& out, bool only_unsent, double now) const {
  // A resolution whose label set fires again (ended and re-opened before
  // Alertmanager heard of it) is superseded: posting both would race.
  std::set<const LabelSet*, decltype([](const LabelSet* a, const LabelSet* b) { return *a < *b; })> firing_labels;
  for (const auto& [key, t] : firing_) firing_labels.insert(&t.labels);
  for (const auto& r : resolutions_)
    if (!firing_labels.contains(&r.labels)) out.push_back({r.labels, r.annotations, r.starts_at, r.ended_at, true});
  for (const auto& [key, t] : firing_)
    if (!only_unsent || t.unsent)
      out.push_back({t.labels, t.annotations, t.starts_at, now + limits_.resolve_timeout_s, false});
}

std::vector<OutgoingAlert> AlertBook::changes(double now) const {
  std::vector<OutgoingAlert> out;
  collect(out, true, now);
  return out;
}

std::vector<OutgoingAlert> AlertBook::everything(double now) const {
  std::vector<OutgoingAlert> out;
  collect(out, false, now);
  return out;
}

void AlertBook::confirm_sent() {
  resolutions_.clear();
  for (auto& [key, t] : firing_) t.unsent = false;
}

}  // namespace nebula::alertmanager
