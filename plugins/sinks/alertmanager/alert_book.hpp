// Which alerts are open, which changed since Alertmanager last heard of
// them, and which must be resolved. Plain values in, plain values out: no
// HTTP, no clock (callers pass `now`), no plugin binding.
//
// Each producer ("owner": one source's `patterns`, or its `decisions`) hands
// over its complete current view; what it no longer lists is resolved. An
// open alert's labels are stable except for severity, which only rises: a
// rise resolves the old label set and opens the new one once, so a score
// wobbling around a cut-off never makes alerts flap.
//
// Nothing leaves the book until confirm_sent(): a POST that fails leaves
// every change pending for the next one.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "alert.hpp"

namespace nebula::alertmanager {

struct BookLimits {
  size_t max_alerts = 10000;       // open alerts tracked; also unconfirmed resolutions kept
  double resolve_timeout_s = 300;  // a firing alert's endsAt = now + this
};

struct ReconcileResult {
  size_t opened = 0;     // new alerts, and re-labelled ones (severity rose)
  size_t resolved = 0;
  size_t over_cap = 0;   // wanted but not tracked: max_alerts reached
  size_t dropped_resolutions = 0;  // oldest unsent resolutions let go at the cap (they expire at their endsAt)
};

class AlertBook {
 public:
  explicit AlertBook(BookLimits limits) : limits_(limits) {}

  // `owner`'s view as of `now`: its alerts in view.current fire; its tracked
  // alerts missing there resolve. When the producer cut its list short
  // (!view.complete), only the identities in view.ended resolve.
  ReconcileResult reconcile(const std::string& owner, const AlertView& view, double now);

  // What Alertmanager has not heard yet: resolutions, then new or re-labelled
  // firing alerts. Empty when nothing changed.
  std::vector<OutgoingAlert> changes(double now) const;
  // The periodic re-send: every firing alert with a fresh endsAt, plus the
  // unconfirmed resolutions.
  std::vector<OutgoingAlert> everything(double now) const;
  // The last changes() or everything() reached Alertmanager.
  void confirm_sent();

  size_t firing() const { return firing_.size(); }
  size_t pending_resolutions() const { return resolutions_.size(); }

 private:
  struct Tracked {
    LabelSet labels;  // as sent, severity included
    LabelSet annotations;
    double starts_at = 0;
    Severity severity = Severity::Info;
    bool unsent = true;
  };
  struct Resolution {
    LabelSet labels;
    LabelSet annotations;
    double starts_at = 0;
    double ended_at = 0;
  };

  void open_or_update(const std::string& key, const WantedAlert& wanted, double now, ReconcileResult& result);
  void resolve(std::map<std::string, Tracked>::iterator it, double now, ReconcileResult& result);
  void collect(std::vector<OutgoingAlert>& out, bool only_unsent, double now) const;

  BookLimits limits_;
  std::map<std::string, Tracked> firing_;  // owner + '\x1f' + identity
  std::vector<Resolution> resolutions_;    // oldest first, until confirmed
};

}  // namespace nebula::alertmanager
