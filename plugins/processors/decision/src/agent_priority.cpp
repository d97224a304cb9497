#include "nebula_decision/agent_priority.hpp"

#include <algorithm>
#include <cctype>

#include "reason_text.hpp"

namespace nebula::decision {

namespace {

constexpr double kAnomalous = 0.9, kNormal = 0.2;

std::string analyst_sentence(const AnalystFinding& a) {
  std::string drivers;
  for (const auto& d : a.cited["drivers"]) drivers += (drivers.empty() ? "" : ", ") + d["feature"].get<std::string>();
  return "the Analyst scores " + a.node_id + " " + num(a.score, 2) + (drivers.empty() ? "" : " (" + drivers + ")");
}

std::string resonant_sentence(const ResonantFinding& h) {
  std::string text = "the Resonant rates the network health of " + h.node_id + " " + num(h.health, 2);
  if (!h.band.empty()) text += " (" + h.band + ")";
  return text;
}

}  // namespace

double agent_score_change(const Recommendation& r, const AnalystFinding* analyst, const ResonantFinding* resonant,
                          double step) {
  if (r.chain_target) return 0;
  double change = 0;
  if (analyst && analyst->calibrated && analyst->autoencoder >= kAnomalous) change += step;
  if (resonant && resonant->band == "unhealthy") change += step;
  const bool both_normal = analyst && analyst->calibrated && analyst->autoencoder < kNormal && resonant &&
                           resonant->band == "healthy";
  if (both_normal && r.action != Action::Quarantine) change -= step;
  return change;
}

void apply_agent_evidence(Recommendation& r, const AgentEvidence& evidence, double now, double step) {
  const AnalystFinding* analyst = evidence.analyst_for(r);
  const ResonantFinding* resonant = evidence.resonant_for(r);
  r.evidence["agents"] = evidence.cite(r, now);
  if (analyst || resonant) {
    std::string said;
    if (analyst) said = analyst_sentence(*analyst);
    if (resonant) said += (said.empty() ? "" : "; ") + resonant_sentence(*resonant);
    said[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(said[0])));
    r.reason += " " + said + ".";
  }
  r.score = std::clamp(r.score + agent_score_change(r, analyst, resonant, step), 0.0, 1.0);
}

}  // namespace nebula::decision
