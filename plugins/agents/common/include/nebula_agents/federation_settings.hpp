// The `federation` block every agent accepts: the directory all hosts share,
// this host's name in it, and the round timing (docs/agents.md, "Across
// hosts: federated averaging").
#pragma once

#include <string>

#include <nebula/host.hpp>
#include <nlohmann/json.hpp>

namespace nebula::agents {

struct FederationSettings {
  std::string dir;         // shared by every host (e.g. an NFS mount); empty: federation off
  std::string member;      // this host's name: <dir>/<agent kind>/<member>.params
  double every_s = 300;    // rounds start at wall-clock multiples of this; 0: only on {"action":"federate"}
  double max_age_s = 900;  // peer files older than this (mtime) are ignored; default 3 x every_s
  double settle_s = 30;    // publish -> merge delay, so peers publish the same round; default every_s / 10

  bool enabled() const { return !dir.empty(); }
};

// Checks cfg["federation"] (absent = off); pointers are /federation/<key>.
void validate_federation(const nlohmann::json& cfg, ConfigErrors& errors);
// Expects a config that passed validate_federation.
FederationSettings parse_federation(const nlohmann::json& cfg);

}  // namespace nebula::agents
