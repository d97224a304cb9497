#include "nebula_pattern/episode.hpp"

namespace nebula::pattern {

Episode::Change Episode::step(bool anomalous, double ts, int sustain, int clear) {
  switch (phase_) {
    case Phase::Idle:
      if (!anomalous) return Change::None;
      run_ = 0;
      first_ = ts;
      phase_ = Phase::Pending;
      [[fallthrough]];
    case Phase::Pending:
      if (!anomalous) {
        phase_ = Phase::Idle;
        run_ = 0;
        return Change::None;
      }
      if (++run_ < sustain) return Change::None;
      phase_ = Phase::Active;
      clear_run_ = 0;
      return Change::Started;
    case Phase::Active:
      if (anomalous) {
        clear_run_ = 0;
        return Change::None;
      }
      if (clear_run_++ == 0) clear_first_ = ts;
      if (clear_run_ < clear) return Change::None;
      phase_ = Phase::Idle;
      run_ = 0;
      return Change::Ended;
  }
  return Change::None;
}

void Episode::reset() {
  phase_ = Phase::Idle;
  run_ = 0;
  clear_run_ = 0;
}

}  // namespace nebula::pattern
