#include "history_write.hpp"

#include <cmath>

namespace nebula::sinks {

std::string describe_insight(const Insight& in, size_t index) {
  return "insight " + std::to_string(index) + " of the batch (topic '" + std::string(in.topic) + "' from '" +
         std::string(in.source) + "')";
}

InsightSubjects checked_subjects(const Insight& in, size_t index, const SubjectLimits& limits) {
  if (!std::isfinite(in.timestamp)) throw Error(NEBULA_INVALID, describe_insight(in, index) + " has no finite timestamp");
  auto subjects = insight_subjects(in.json, limits);
  if (!subjects) throw Error(NEBULA_INVALID, describe_insight(in, index) + " is not a JSON document");
  return std::move(*subjects);
}

}  // namespace nebula::sinks
