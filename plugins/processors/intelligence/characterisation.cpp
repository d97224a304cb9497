#include "characterisation.hpp"

#include <cmath>

#include <nebula/json_numbers.hpp>

namespace nebula::intelligence {

nlohmann::json characterise(const ChainNumbers& n, const Config& cfg) {
  // Too few observations would make a label a guess; fall back to the
  // configured block time for cadence and say "unknown" for variability.
  const bool cadence_known = n.interval_samples >= cfg.min_samples && std::isfinite(n.interval_s);
  const bool cadence_cv_known = cadence_known && std::isfinite(n.cadence_cv);
  const bool tx_known = n.tx_samples >= cfg.min_samples && std::isfinite(n.tx_cv);
  const double cadence_s = cadence_known ? n.interval_s : n.block_time_s;

  const std::string consensus = cadence_s <= cfg.fast_block_time_s ? "rapid consensus" : "stable consensus";
  const std::string traffic =
      !tx_known ? "traffic unknown" : n.tx_cv >= cfg.variability_cv ? "development traffic" : "real usage";
  std::string behaviour = "behaviour unknown";
  if (cadence_cv_known || tx_known) {
    const bool variable = (cadence_cv_known && n.cadence_cv >= cfg.variability_cv) ||
                          (tx_known && n.tx_cv >= cfg.variability_cv);
    behaviour = variable ? "fast adaptation" : "economic behaviour";
  }
  return {{"profile", consensus + " / " + traffic + " / " + behaviour},
          {"consensus", consensus},
          {"traffic", traffic},
          {"behaviour", behaviour},
          {"basis",
           {{"cadence_s", number_or_null(cadence_s)},
            {"cadence_from", cadence_known ? "observed" : "expected"},
            {"cadence_cv", cadence_cv_known ? number_or_null(n.cadence_cv) : nullptr},
            {"tx_cv", tx_known ? number_or_null(n.tx_cv) : nullptr},
            {"fast_block_time_s", cfg.fast_block_time_s},
            {"variability_cv", cfg.variability_cv},
            {"min_samples", cfg.min_samples}}}};
}

}  // namespace nebula::intelligence
