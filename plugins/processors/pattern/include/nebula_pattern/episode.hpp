// Hysteresis for one (node, kind): `sustain` consecutive anomalous samples
// open an incident, `clear` consecutive normal samples close it. A single
// odd sample therefore neither starts nor ends anything.
#pragma once

#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

class Episode {
 public:
  enum class Phase { Idle, Pending, Active };
  enum class Change { None, Started, Ended };

  Change step(bool anomalous, double ts, int sustain, int clear);
  // Back to Idle without reporting an end (used when another incident
  // explains the same symptoms, e.g. an eclipse inside a partition).
  void reset();

  Phase phase() const { return phase_; }
  bool idle() const { return phase_ == Phase::Idle; }
  bool active() const { return phase_ == Phase::Active; }
  // Timestamp of the first sample of the current anomalous run.
  double first_anomalous() const { return first_; }
  // Timestamp of the first normal sample of the run that ended the incident.
  double clear_start() const { return clear_first_; }

 private:
  Phase phase_ = Phase::Idle;
  int run_ = 0;
  int clear_run_ = 0;
  double first_ = kMissing;
  double clear_first_ = kMissing;
};

}  // namespace nebula::pattern
