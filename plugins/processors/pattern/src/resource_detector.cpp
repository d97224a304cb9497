#include "nebula_pattern/resource_detector.hpp"

#include <algorithm>

#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

Verdict ResourceDetector::observe(const Sample& s, const State& st) const {
  if (!present(s.cpu) && !present(s.memory)) return Verdict::unknown();
  const bool cpu_hot = present(s.cpu) && s.cpu >= config_.cpu_pct;
  const bool mem_hot = present(s.memory) && s.memory >= config_.memory_pct;
  if (!cpu_hot && !mem_hot) return Verdict::normal();

  Verdict v = Verdict::normal();
  v.anomalous = true;
  double sev = 0;
  if (cpu_hot) sev = std::max(sev, severity_above(s.cpu, config_.cpu_pct, 100));
  if (mem_hot) sev = std::max(sev, severity_above(s.memory, config_.memory_pct, 100));
  v.severity = sev;
  if (present(s.cpu)) v.evidence.push_back(make_evidence("performance.cpu_usage", s.cpu, st.cpu.median()));
  if (present(s.memory))
    v.evidence.push_back(make_evidence("performance.memory_usage", s.memory, st.memory.median()));
  return v;
}

}  // namespace nebula::pattern
