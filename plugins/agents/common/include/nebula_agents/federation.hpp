// Periodic parameter averaging between hosts (federated averaging) through
// a directory they all share. A round has two steps, both run by tick() on
// the agent's training thread under the model lock:
//
//   publish  at the first learn() of a round (wall-clock multiple of every_s,
//            so hosts round together; or after {"action":"federate"}):
//            <dir>/<agent kind>/<member>.params gets this member's weights,
//            normalisation statistics and the samples learned since its
//            previous publish, written atomically;
//   merge    settle_s later: every fresh, intact, compatible peer file not
//            merged before is averaged with our own published weights,
//            weighted by samples (FedAvg); what we learned since publishing is
//            carried over; normalisation statistics are combined by counts and
//            the weights moved into those units; the result is a new version.
//
// Members that publish the same round and merge after all have published
// compute the same average from the same files, bit for bit.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nebula/host.hpp>
#include <nebula/nebula_plugin.h>
#include <nlohmann/json.hpp>

#include "nebula_agents/evolving_model.hpp"
#include "nebula_agents/federation_settings.hpp"
#include "nebula_agents/param_file.hpp"
#include "nebula_agents/peer_files.hpp"
#include "nebula_agents/shared_model.hpp"

namespace nebula::agents {

struct Normalisation {
  StatMap in_use;  // what the model's columns are standardised with now
  StatMap local;   // this host's own observations of the same statistics
};

class Federation {
 public:
  using Clock = std::function<double()>;  // unix seconds
  using Logger = std::function<void(nebula_log_level, const std::string&)>;
  // The agent's normalisation statistics; called under the model lock.
  struct Hooks {
    std::function<Normalisation()> read;
    std::function<void(const StatMap&)> adopt;  // merged statistics become the ones in use
  };

  // `uses`: which model columns each statistic standardises (may be empty).
  // `hooks` must stay valid as long as the Federation (see stat_hooks()).
  Federation(FederationSettings settings, std::string agent_id, std::vector<NormUse> uses, Hooks hooks,
             Clock clock = {});

  bool enabled() const { return settings_.enabled(); }
  void set_logger(Logger log) { log_ = std::move(log); }
  // Training thread: whether tick() has anything to do now (cheap, no lock).
  bool due() const;
  // Training thread, under the model lock: merges a settled round, publishes a due one.
  void tick(EvolvingModel& model);
  // Any thread: the next tick publishes, the first tick settle_s later merges.
  // Throws nebula::Error(NEBULA_INVALID) when federation is not configured.
  nlohmann::json request();
  // Any thread: {enabled, member, rounds, members_merged, last_round_unix, ...}.
  nlohmann::json stats() const;

  // Checkpoint section "federation.state" (publish counter, merged-file marks,
  // counters). load() ignores a missing or malformed section: none of it is
  // needed for the model to be right, only to avoid merging a peer file twice.
  static constexpr const char* kSection = "federation.state";
  void save(CheckpointWriter& out) const;
  void load(const CheckpointReader& in);

 private:
  struct Counters {
    uint64_t rounds = 0, publishes = 0, skipped_files = 0, errors = 0;
    size_t members_merged = 0;
    double last_round_unix = 0, last_publish_unix = 0;
    std::optional<uint32_t> params_crc32;
    std::vector<std::string> last_members;
    std::vector<std::pair<std::string, std::string>> last_skipped;  // member, reason
  };

  // The fresh members of a round (for statistics) and whose weights count.
  struct Selection {
    std::vector<const Contribution*> members, averaged;  // by member name
  };

  std::string save_state() const;
  void load_state(const std::string& bytes);
  // A published round whose settle_s has passed / a wall-clock round boundary crossed.
  bool settled(double now) const;
  bool scheduled(double now) const;
  void publish(EvolvingModel& model, double now);
  void merge(EvolvingModel& model, double now);
  Selection select(const Contribution& own, const PeerScan& scan);
  static void note_skips(Counters& k, const PeerScan& scan);
  void log(nebula_log_level level, const std::string& msg) const;
  int64_t round_of(double now) const;
  template <class F>
  void update(F&& f) {
    std::lock_guard lock(mu_);
    f(counters_);
  }

  FederationSettings settings_;
  std::string agent_id_;
  std::filesystem::path kind_dir_;
  std::vector<NormUse> uses_;
  Hooks hooks_;
  Clock clock_;
  Logger log_;
  std::atomic<bool> requested_{false};

  // Training thread only.
  std::optional<Contribution> pending_;  // published, not merged yet
  uint64_t seq_ = 0;
  uint64_t samples_mark_ = 0;  // model.samples_seen() at the last publish
  bool joined_ = false;
  int64_t last_round_ = 0;
  std::map<std::string, std::pair<uint64_t, double>> merged_;  // member -> (seq, published_unix) already merged

  mutable std::mutex mu_;  // guards counters_ (read by stats() from query threads)
  Counters counters_;
};

// One statistic an agent shares in federation rounds: the one its model's
// columns are standardised with now, and this host's own observations of it.
struct SharedStat {
  std::string name;
  RunningStat* in_use;
  RunningStat* local;
};

// Hooks over the agent's statistics, read and replaced under `mu` (the lock
// guarding them). The mutex and the statistics must outlive the Federation
// (engine members declared before it; assigning them new values is fine).
Federation::Hooks stat_hooks(std::mutex& mu, std::vector<SharedStat> stats);

// The host's log for round reports (the Host must outlive the engine, as an Agent's does).
inline Federation::Logger host_logger(const Host& host) {
  return [&host](nebula_log_level level, const std::string& msg) { host.log(level, msg); };
}

// Runs a due round (training thread); takes the model lock only when one is due.
inline void federate_if_due(SharedModel& model, Federation& federation) {
  if (federation.due()) model.with_model([&](EvolvingModel& m) { federation.tick(m); });
}

}  // namespace nebula::agents
