// Scores detections against the simulator's ground truth.
//
// Recall: a true (node, kind, [start, end)) is found when a detection of the
// same kind on the same node starts within [start - tolerance, end + tolerance).
// False alarms: the run is cut into node-windows (e.g. 5 min per node); a
// window is "non-incident" when no true incident of any kind touches it
// (widened by the tolerance on both sides), and it is a false alarm when any
// detection is open during it, whether a spurious start or a lingering tail.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nebula::pattern::testing {

struct Truth {
  std::string kind;
  std::string node;
  double start = 0;
  double end = 0;
  bool observable = true;  // the node reports the metric this kind shows in
};

struct Detection {
  std::string kind;
  std::string node;
  double start = 0;
  double end = 0;  // when it closed, or the end of the run
};

struct KindScore {
  int truths = 0;
  int observable = 0;
  int found = 0;             // observable truths matched
  int detections = 0;
  int matched = 0;           // detections matching a truth of their kind
  int other_incident = 0;    // detections inside another kind's incident on that node
  int spurious = 0;          // detections outside every incident
  int fa_windows = 0;        // non-incident windows with this kind open
  double recall() const { return observable ? double(found) / observable : 1.0; }
};

struct Scorecard {
  std::map<std::string, KindScore> kinds;
  int windows = 0;
  int quiet_windows = 0;      // non-incident node-windows
  int fa_windows_any = 0;     // quiet windows with any detection open
  double fa_rate(const std::string& kind) const;
  std::vector<std::string> missed;    // "kind node start-end" of unfound truths
  std::vector<std::string> spurious;  // "kind node start-end" of detections outside every incident
  double fa_rate_any() const { return quiet_windows ? double(fa_windows_any) / quiet_windows : 0.0; }
  std::string table() const;  // markdown
};

Scorecard score(const std::vector<Truth>& truths, const std::vector<Detection>& detections,
                const std::vector<std::string>& nodes, double t0, double t1, double window_s, double tolerance_s);

}  // namespace nebula::pattern::testing
