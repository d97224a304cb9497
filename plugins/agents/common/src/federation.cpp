#include "nebula_agents/federation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nebula/atomic_file.hpp>
#include <nebula/host.hpp>

#include "nebula_agents/peer_files.hpp"

namespace nebula::agents {
namespace {

double system_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "nebula.agent.archivist" -> "archivist": the folder all members of one agent kind share.
std::string kind_of(const std::string& agent_id) {
  const auto dot = agent_id.rfind('.');
  return dot == std::string::npos ? agent_id : agent_id.substr(dot + 1);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::pair<uint64_t, double> mark_of(const Contribution& c) { return {c.seq, c.published_unix}; }

}  // namespace

Federation::Federation(FederationSettings settings, std::string agent_id, std::vector<NormUse> uses, Hooks hooks,
                       Clock clock)
    : settings_(std::move(settings)),
      agent_id_(std::move(agent_id)),
      kind_dir_(std::filesystem::path(settings_.dir) / kind_of(agent_id_)),
      uses_(std::move(uses)),
      hooks_(std::move(hooks)),
      clock_(clock ? std::move(clock) : Clock(system_now)) {
  // The first automatic round is the next wall-clock boundary, not start-up.
  last_round_ = round_of(clock_());
}

int64_t Federation::round_of(double now) const {
  return settings_.every_s > 0 ? static_cast<int64_t>(std::floor(now / settings_.every_s)) : 0;
}

void Federation::log(nebula_log_level level, const std::string& msg) const {
  if (log_) log_(level, "federation: " + msg);
}

bool Federation::settled(double now) const { return pending_ && now >= pending_->published_unix + settings_.settle_s; }

bool Federation::scheduled(double now) const { return settings_.every_s > 0 && round_of(now) > last_round_; }

bool Federation::due() const {
  if (!enabled()) return false;
  const double now = clock_();
  return requested_.load() || settled(now) || scheduled(now);
}

void Federation::tick(EvolvingModel& model) {
  if (!enabled()) return;
  const double now = clock_();
  if (settled(now)) merge(model, now);
  if (requested_.exchange(false) || scheduled(now)) publish(model, now);
}

nlohmann::json Federation::request() {
  if (!enabled())
    throw Error(NEBULA_INVALID, "federation is not configured (set federation.dir and federation.member)");
  requested_ = true;
  return {{"scheduled", true},
          {"member", settings_.member},
          {"publish", "at the next learn()"},
          {"merge_after_s", settings_.settle_s}};
}

void Federation::publish(EvolvingModel& model, double now) {
  Contribution c;
  c.agent_id = agent_id_;
  c.member = settings_.member;
  c.seq = ++seq_;
  c.published_unix = now;
  const uint64_t seen = model.samples_seen();
  c.samples = seen >= samples_mark_ ? seen - samples_mark_ : seen;  // a rollback of the counter: count afresh
  c.joined = joined_;
  c.version = model.version();
  c.architecture = model.architecture();
  c.learning_rate = model.learning_rate();
  Normalisation norm = hooks_.read();
  c.in_use = std::move(norm.in_use);
  c.local = std::move(norm.local);
  c.layers = model.parameters();
  samples_mark_ = seen;
  last_round_ = round_of(now);
  const auto file = kind_dir_ / (settings_.member + ".params");
  try {
    std::filesystem::create_directories(kind_dir_);
    write_file_atomically(file, encode_contribution(c));
    update([&](Counters& k) {
      ++k.publishes;
      k.last_publish_unix = now;
    });
  } catch (const std::exception& e) {
    // Peers then miss our weights this round; we can still merge theirs.
    log(NEBULA_LOG_WARN, "cannot publish " + file.string() + ": " + e.what());
    update([](Counters& k) { ++k.errors; });
  }
  pending_ = std::move(c);
}

void Federation::merge(EvolvingModel& model, double now) {
  const Contribution own = std::move(*pending_);
  pending_.reset();
  if (model.version() != own.version || !(model.architecture() == own.architecture)) {
    log(NEBULA_LOG_INFO, "round skipped: the model changed since it was published (rollback or promotion)");
    return;
  }
  const PeerScan scan = scan_peers(kind_dir_, settings_.member, agent_id_, own.architecture, now, settings_.max_age_s);
  for (const auto& s : scan.skipped) log(s.level, "skipping member '" + s.member + "': " + s.reason);
  const Selection sel = select(own, scan);
  double total = 0;
  for (const Contribution* c : sel.averaged) total += static_cast<double>(c->samples);
  const bool has_peer = std::any_of(sel.averaged.begin(), sel.averaged.end(), [&](auto* c) { return c != &own; });
  if (!has_peer || total <= 0) {
    log(NEBULA_LOG_DEBUG, has_peer ? "round skipped: no member learned anything since its last publish"
                                   : "round skipped: no fresh peer file to merge");
    update([&](Counters& k) { note_skips(k, scan); });
    return;
  }

  // Every member's weights in the combined units, averaged by samples; what
  // this host learned between publishing and now is carried over.
  StatMap target = own.in_use;
  {
    std::vector<const StatMap*> locals;
    for (const Contribution* c : sel.members) locals.push_back(&c->local);
    for (auto& [name, stat] : combine_stats(locals)) target[name] = stat;
  }
  std::vector<std::vector<DenseLayer>> nets;
  std::vector<double> weights;
  for (const Contribution* c : sel.averaged) {
    nets.push_back(c->layers);
    restandardise(nets.back(), uses_, c->in_use, target);
    weights.push_back(static_cast<double>(c->samples));
  }
  std::vector<const std::vector<DenseLayer>*> views;
  for (const auto& n : nets) views.push_back(&n);
  const StatMap current = hooks_.read().in_use;
  auto now_layers = model.parameters();
  auto published = own.layers;
  restandardise(now_layers, uses_, current, target);
  restandardise(published, uses_, own.in_use, target);
  const auto result = plus_difference(weighted_average(views, weights), now_layers, published);
  std::function<void(Sample&)> to_target;
  if (units_differ(uses_, current, target)) to_target = [&](Sample& s) { restandardise(s, uses_, current, target); };
  model.adopt_parameters(result, "federated average of " + std::to_string(sel.averaged.size()) + " members", to_target);
  hooks_.adopt(target);

  std::vector<std::string> names, described;
  for (const Contribution* c : sel.averaged) {
    names.push_back(c->member);
    described.push_back(c->member + " (" + std::to_string(c->samples) + " samples)");
  }
  update([&](Counters& k) {
    ++k.rounds;
    k.members_merged = names.size();
    k.last_round_unix = now;
    k.params_crc32 = parameters_crc32(result);
    k.last_members = names;
    note_skips(k, scan);
  });
  log(NEBULA_LOG_INFO, "averaged " + std::to_string(names.size()) + " members weighted by samples: " + join(described) +
                           "; now version " + std::to_string(model.version()));
}

Federation::Selection Federation::select(const Contribution& own, const PeerScan& scan) {
  // Statistics: every fresh member's own observations (ours as published, so
  // all members combine the same numbers). Weights: each publish once.
  Selection sel;
  sel.members = {&own};
  for (const auto& p : scan.fresh) sel.members.push_back(&p);
  std::sort(sel.members.begin(), sel.members.end(), [](auto* a, auto* b) { return a->member < b->member; });
  for (const Contribution* c : sel.members)
    if (c == &own || merged_[c->member] != mark_of(*c)) sel.averaged.push_back(c);
  for (const auto& p : scan.fresh) merged_[p.member] = mark_of(p);
  // A member that never merged (a host joining a running federation) adopts
  // the federation's model before its own weights count.
  if (std::any_of(sel.averaged.begin(), sel.averaged.end(), [](auto* c) { return c->joined; }))
    std::erase_if(sel.averaged, [&](const Contribution* c) {
      if (!c->joined) log(NEBULA_LOG_INFO, "member '" + c->member + "' joins: its weights count from its next round");
      return !c->joined;
    });
  joined_ = true;
  return sel;
}

void Federation::note_skips(Counters& k, const PeerScan& scan) {
  k.skipped_files += scan.skipped.size();
  k.last_skipped.clear();
  for (const auto& s : scan.skipped) k.last_skipped.emplace_back(s.member, s.reason);
}

nlohmann::json Federation::stats() const {
  if (!enabled()) return {{"enabled", false}};
  std::lock_guard lock(mu_);
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& [member, reason] : counters_.last_skipped) skipped.push_back({{"member", member}, {"reason", reason}});
  auto when = [](double t) { return t > 0 ? nlohmann::json(t) : nlohmann::json(nullptr); };
  return {{"enabled", true},
          {"member", settings_.member},
          {"dir", kind_dir_.string()},
          {"every_s", settings_.every_s},
          {"settle_s", settings_.settle_s},
          {"max_age_s", settings_.max_age_s},
          {"rounds", counters_.rounds},
          {"members_merged", counters_.members_merged},
          {"last_round_unix", when(counters_.last_round_unix)},
          {"last_members", counters_.last_members},
          {"params_crc32", counters_.params_crc32 ? nlohmann::json(*counters_.params_crc32) : nlohmann::json(nullptr)},
          {"publishes", counters_.publishes},
          {"last_publish_unix", when(counters_.last_publish_unix)},
          {"publish_errors", counters_.errors},
          {"skipped_files", counters_.skipped_files},
          {"last_skipped", skipped}};
}

void Federation::save(CheckpointWriter& out) const { out.add(kSection, save_state()); }

void Federation::load(const CheckpointReader& in) {
  if (in.has(kSection)) load_state(in.at(kSection));
}

std::string Federation::save_state() const {
  nlohmann::json merged = nlohmann::json::object();
  for (const auto& [member, mark] : merged_) merged[member] = {mark.first, mark.second};
  std::lock_guard lock(mu_);
  return nlohmann::json{{"seq", seq_},
                        {"samples_mark", samples_mark_},
                        {"joined", joined_},
                        {"merged", merged},
                        {"rounds", counters_.rounds},
                        {"members_merged", counters_.members_merged},
                        {"last_round_unix", counters_.last_round_unix},
                        {"publishes", counters_.publishes}}
      .dump();
}

void Federation::load_state(const std::string& bytes) {
  const auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (!j.is_object()) return;
  try {
    std::map<std::string, std::pair<uint64_t, double>> merged;
    for (auto it = j.at("merged").begin(); it != j.at("merged").end(); ++it)
      merged[it.key()] = {it.value().at(0).get<uint64_t>(), it.value().at(1).get<double>()};
    const uint64_t seq = j.at("seq").get<uint64_t>(), mark = j.at("samples_mark").get<uint64_t>();
    const bool joined = j.at("joined").get<bool>();
    Counters k;
    k.rounds = j.at("rounds").get<uint64_t>();
    k.members_merged = j.at("members_merged").get<size_t>();
    k.last_round_unix = j.at("last_round_unix").get<double>();
    k.publishes = j.at("publishes").get<uint64_t>();
    merged_ = std::move(merged);
    seq_ = seq;
    samples_mark_ = mark;
    joined_ = joined;
    pending_.reset();
    update([&](Counters& c) { c = std::move(k); });
  } catch (const nlohmann::json::exception&) {
    // Malformed: keep the defaults (see the header).
  }
}

Federation::Hooks stat_hooks(std::mutex& mu, std::vector<SharedStat> stats) {
  auto read = [&mu, stats] {
    std::lock_guard lock(mu);
    Normalisation n;
    for (const auto& s : stats) {
      n.in_use[s.name] = *s.in_use;
      n.local[s.name] = *s.local;
    }
    return n;
  };
  auto adopt = [&mu, stats](const StatMap& merged) {
    std::lock_guard lock(mu);
    for (const auto& s : stats)
      if (auto it = merged.find(s.name); it != merged.end()) *s.in_use = it->second;
  };
  return {std::move(read), std::move(adopt)};
}

}  // namespace nebula::agents
