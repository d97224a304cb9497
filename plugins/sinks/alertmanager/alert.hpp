// The alert model shared by the mapping, the book and the wire format:
// what the pool wants open (WantedAlert) and what is posted (OutgoingAlert).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nebula::alertmanager {

// Sorted, so equal sets compare equal and print the same way.
using LabelSet = std::map<std::string, std::string>;

// Ordered: an open alert's severity only ever rises (see AlertBook).
enum class Severity { Info = 0, Warning = 1, Critical = 2 };

const char* severity_name(Severity s);

// One alert a producer wants open right now.
struct WantedAlert {
  std::string identity;           // stable for its life: the incident id, or "action/target"
  LabelSet labels;                // every label except "severity" (the book sets that)
  LabelSet annotations;           // summary, description, ...
  std::optional<double> starts_at;  // seconds since the epoch; none = when first seen
  Severity severity = Severity::Info;
};

// A producer's view, read from one insight.
struct AlertView {
  std::vector<WantedAlert> current;  // everything open now
  std::vector<std::string> ended;    // identities the producer says ended
  bool complete = true;              // false: the producer cut `current` short
  size_t malformed = 0;              // entries that could not be read (skipped, counted)
};

// One alert as Alertmanager's POST /api/v2/alerts takes it.
struct OutgoingAlert {
  LabelSet labels;
  LabelSet annotations;
  double starts_at = 0;  // seconds since the epoch
  double ends_at = 0;    // in the future while firing; the end when resolved
  bool resolved = false;
};

}  // namespace nebula::alertmanager
