// Publishes an agent's newest conclusions (its evidence) as an insight after
// learn(). Rate-limited in record time, not wall clock, so the same input
// gives the same documents. A failed emit (RETRY: downstream full) is counted
// and logged once, never thrown out of learn(): training must not fail
// because nobody is reading; the evidence stays unpublished and goes out
// with the next learn().
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>

#include <nebula/host.hpp>
#include <nlohmann/json.hpp>

namespace nebula::agents {

struct PublishSettings {
  double interval_s = 10;  // record-time seconds between documents; 0 = after every learn()
  size_t max_nodes = 50;   // nodes listed per document, the most notable first
};

// The newest record time an engine concluded something about since its last
// published insight: "something new" when set, and the insight's generated_at.
class NewEvidence {
 public:
  void saw(double record_time) { as_of_ = as_of_ ? std::max(*as_of_, record_time) : record_time; }
  std::optional<double> as_of() const { return as_of_; }
  nlohmann::json generated_at() const { return as_of_ ? nlohmann::json(*as_of_) : nlohmann::json(nullptr); }
  void clear() { as_of_.reset(); }

 private:
  std::optional<double> as_of_;
};

class EvidencePublisher {
 public:
  EvidencePublisher(std::string topic, PublishSettings settings) : topic_(std::move(topic)), settings_(settings) {}

  // Whether evidence whose newest record is at `as_of` goes out now. A record
  // time that moved backwards (a replay, another fleet) restarts the clock.
  bool due(double as_of) const;

  // Emits `doc`; true when the host took it. A failure counts
  // `publish_failed` (and logs the first one).
  bool publish(const Host& host, const nlohmann::json& doc, double as_of);

  // The whole step for an engine with
  //   std::optional<double> unpublished_as_of() const   (nullopt: nothing new)
  //   nlohmann::json evidence_document(size_t max_nodes) const
  //   void mark_published()
  template <class Engine>
  void offer(const Host& host, Engine& engine) {
    const std::optional<double> as_of = engine.unpublished_as_of();
    if (!as_of || !due(*as_of)) return;
    if (publish(host, engine.evidence_document(settings_.max_nodes), *as_of)) engine.mark_published();
  }

  const std::string& topic() const { return topic_; }

 private:
  std::string topic_;
  PublishSettings settings_;
  std::optional<double> last_as_of_;  // record time of the last published document
  bool failure_logged_ = false;
};

}  // namespace nebula::agents
