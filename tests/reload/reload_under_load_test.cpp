// Reloading a changed pipeline while two fleets send, one over HTTP and one
// over TCP, to the real nebula-pool with real plugins. The new file adds a
// processor, removes one, reconfigures one and one agent; then a broken file
// is refused (SIGHUP and the admin API) and changes nothing. The id recorder
// fixture writes every record each processor saw to its own file, so the
// test counts: the components that exist throughout saw every accepted
// record exactly once; the reconfigured one saw each record exactly once
// across its two instances, the old one strictly before the new one; the
// removed one saw exactly what the old instance saw, the added one exactly
// what the new instance saw. The agents keep their models.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include "durability_support.hpp"
#include "nebula_test/child_process.hpp"

using namespace durability;
using nebula_test::wait_until;

namespace {

constexpr int kNodesPerFleet = 3;
constexpr int kSteps = 700;  // per node, 120 a second: the fleets send for about 6 s
constexpr int kLate = 10;  // sent by the test itself after a refused reload
constexpr size_t kTotal = size_t(2 * kNodesPerFleet * kSteps + kLate);

// A paced fleet (unlike durability's, which sends at full rate): it is still
// sending when the reload comes. Exits 0 once every record was accepted.
std::unique_ptr<nebula_test::ChildProcess> start_paced_fleet(const std::string& kind, const std::string& endpoint,
                                                             const std::filesystem::path& dir) {
  return std::make_unique<nebula_test::ChildProcess>(
      std::vector<std::string>{NEBULA_NODE_BIN, "simulate", "--" + kind, std::to_string(kNodesPerFleet), "--steps",
                               std::to_string(kSteps), "--speed", "1200", "--sample-interval", "10", "--seed", "7",
                               "--stats-every", "0", "--batch-size", "10", "--flush-timeout-ms", "60000",
                               "--plugin-dir", NEBULA_PLUGIN_DIR, "--spill-dir", (dir / ("spill-" + kind)).string(),
                               "--endpoint", endpoint},
      (dir / ("fleet-" + kind + ".log")).string());
}

// What one id recorder saw: per (node, seq) how often, per label the lsns.
struct Seen {
  std::map<std::pair<std::string, int64_t>, int> times;
  std::map<std::string, std::set<int64_t>> lsns_by_label;
  std::map<std::string, std::set<std::pair<std::string, int64_t>>> records_by_label;
  size_t lines = 0;
};

Seen read_seen(const PoolProcess& pool, const std::string& component) {
  Seen out;
  std::ifstream in(pool.dir / "state/components" / component / "seen.txt");
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string label, node;
    int64_t lsn = 0, seq = 0;
    if (!(f >> label >> lsn >> node >> seq)) continue;
    ++out.lines;
    ++out.times[{node, seq}];
    out.lsns_by_label[label].insert(lsn);
    out.records_by_label[label].insert({node, seq});
  }
  return out;
}

size_t seen_more_than_once(const Seen& s) {
  size_t n = 0;
  for (const auto& [record, times] : s.times) n += times > 1;
  return n;
}

std::string components(unsigned short http_port, unsigned short tcp_port, const std::string& changing) {
  return "  - {id: http_in, plugin: nebula.transport.http, config: {port: " + std::to_string(http_port) + "}}\n" +
         "  - {id: tcp_in, plugin: nebula.transport.tcp, config: {port: " + std::to_string(tcp_port) + "}}\n" +
         "  - {id: steady, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in]}\n"
         "  - {id: counter, plugin: nebula.test.counting, inputs: [http_in, tcp_in]}\n"
         "  - {id: learner, plugin: nebula.test.recording_agent, inputs: [counter]}\n" +
         changing;
}

const char* kSettings = "pool: {batch_max_records: 50, batch_max_wait_ms: 20}\n"
                        "training: {batch_max_insights: 5, batch_max_wait_ms: 100, priority: normal}\n";

const char* kBefore =
    "  - {id: tuned, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in], config: {label: before}}\n"
    "  - {id: retired, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in]}\n"
    "  - {id: relearner, plugin: nebula.test.recording_agent, inputs: [counter]}\n";
const char* kAfter =
    "  - {id: tuned, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in], config: {label: after}}\n"
    "  - {id: relearner, plugin: nebula.test.recording_agent, inputs: [counter], config: {learn_delay_ms: 1}}\n"
    "  - {id: newcomer, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in]}\n";
// Two problems: a key the plugin does not know, an input that does not exist.
const char* kBroken =
    "  - {id: tuned, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in], config: {lable: oops}}\n"
    "  - {id: newcomer, plugin: nebula.test.id_recorder, inputs: [http_in, nowhere]}\n";

nlohmann::json get_json(const PoolProcess& pool, const std::string& target) {
  return nlohmann::json::parse(nebula_test::http_get(pool.admin_port, target).body);
}

nebula_test::HttpResult post_reload(const PoolProcess& pool) {
  return nebula_test::http_request("127.0.0.1", pool.admin_port, "POST", "/api/v1/admin/reload");
}

std::vector<std::string> processor_ids(const PoolProcess& pool) {
  std::vector<std::string> ids;
  const nlohmann::json now = stats(pool);
  for (const auto& p : now["processors"]) ids.push_back(p["id"].get<std::string>());
  std::sort(ids.begin(), ids.end());
  return ids;
}

int64_t agent_steps(const PoolProcess& pool, const std::string& agent) {
  return get_json(pool, "/api/v1/agents/" + agent)["stats"]["steps"].get<int64_t>();
}

double metric(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

std::vector<std::string> as_strings(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& v : list) out.push_back(v.is_string() ? v.get<std::string>() : v["id"].get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(ReloadUnderLoad, OnlyWhatChangedRestartsAndEveryRecordIsProcessedOnce) {
  const unsigned short http_port = free_port(), tcp_port = free_port();
  PoolProcess pool("");
  write_pipeline(pool, kSettings, components(http_port, tcp_port, kBefore));
  ASSERT_TRUE(pool.start()) << pool.log();
  auto http_fleet = start_paced_fleet("testnet", "http://127.0.0.1:" + std::to_string(http_port), pool.dir.path());
  auto tcp_fleet = start_paced_fleet("mainnet", "tcp://127.0.0.1:" + std::to_string(tcp_port), pool.dir.path());

  // Under load: both fleets are sending and the agents have learned.
  ASSERT_TRUE(wait_until([&] {
    return read_seen(pool, "steady").lines >= 600 && agent_steps(pool, "relearner") > 0 &&
           agent_steps(pool, "learner") > 0;
  })) << pool.log();
  const int64_t relearner_steps = agent_steps(pool, "relearner");

  // The changed pipeline: one processor added, one removed, one reconfigured, one agent reconfigured.
  write_pipeline(pool, kSettings, components(http_port, tcp_port, kAfter));
  const int64_t learner_steps = agent_steps(pool, "learner");
  const auto answer = post_reload(pool);
  const bool sending = http_fleet->running() && tcp_fleet->running();
  ASSERT_EQ(answer.status, 200) << answer.body << "\n" << pool.log();
  EXPECT_TRUE(sending) << "a fleet had finished before the reload was answered";
  const auto body = nlohmann::json::parse(answer.body);
  std::cout << "reload answer: " << body.dump() << "\n";
  EXPECT_EQ(body["status"], "reloaded");
  EXPECT_EQ(as_strings(body["added"]), (std::vector<std::string>{"newcomer"}));
  EXPECT_EQ(as_strings(body["removed"]), (std::vector<std::string>{"retired"}));
  EXPECT_EQ(as_strings(body["restarted"]), (std::vector<std::string>{"relearner", "tuned"}));
  EXPECT_EQ(as_strings(body["unchanged"]),
            (std::vector<std::string>{"counter", "http_in", "learner", "steady", "tcp_in"}));
  EXPECT_TRUE(body["errors"].empty()) << body;
  const auto after_reload = processor_ids(pool);
  EXPECT_EQ(after_reload, (std::vector<std::string>{"counter", "newcomer", "steady", "tuned"}));

  // The unchanged agent kept its model; the restarted one came back with its checkpoint.
  EXPECT_GE(agent_steps(pool, "learner"), learner_steps);
  const auto relearner = get_json(pool, "/api/v1/agents/relearner");
  EXPECT_EQ(relearner["checkpoint_status"], "restored") << relearner;
  EXPECT_GE(relearner["stats"]["steps"].get<int64_t>(), relearner_steps) << relearner;
  EXPECT_EQ(get_json(pool, "/api/v1/agents/learner")["checkpoints"], 0) << "the unchanged agent was stopped";

  // A broken file: refused on SIGHUP (the pool lives on) and on the admin API,
  // with the same file:line:col problems as `nebula-pool validate`.
  write_pipeline(pool, kSettings, components(http_port, tcp_port, kBroken));
  const auto [validate_exit, validate_out] =
      nebula_test::run_and_capture(std::string(NEBULA_POOL_BIN) + " validate -c " + pool.yaml().string() + " 2>&1");
  EXPECT_EQ(validate_exit, 1) << validate_out;
  std::vector<std::string> problems;
  std::istringstream validate_lines(validate_out);
  for (std::string line; std::getline(validate_lines, line);)
    if (line.rfind(pool.yaml().string() + ":", 0) == 0 && line.find(" problem") == std::string::npos)
      problems.push_back(line);
  ASSERT_EQ(problems.size(), 2u) << validate_out;
  pool.process->signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return pool.log().find(problems[1]) != std::string::npos; })) << pool.log();
  ASSERT_TRUE(pool.process->running()) << pool.log();
  const auto refused = post_reload(pool);
  EXPECT_EQ(refused.status, 422) << refused.body;
  const auto refused_body = nlohmann::json::parse(refused.body);
  EXPECT_EQ(refused_body["status"], "refused");
  EXPECT_EQ(refused_body["errors"].get<std::vector<std::string>>(), problems);
  EXPECT_EQ(processor_ids(pool), after_reload) << "a refused reload changed the pipeline";
  // ... and the pipeline goes on: a payload sent now is processed too.
  ASSERT_EQ(post(http_port, batch("after-refusal", 0, kLate)).status, 200);

  // Every record the fleets were told "accepted" reaches the end.
  ASSERT_EQ(http_fleet->wait_exit(std::chrono::seconds(60)).value_or(-1), 0)
      << nebula_test::read_file(pool.dir / "fleet-testnet.log");
  ASSERT_EQ(tcp_fleet->wait_exit(std::chrono::seconds(60)).value_or(-1), 0)
      << nebula_test::read_file(pool.dir / "fleet-mainnet.log");
  ASSERT_TRUE(wait_until([&] { return read_seen(pool, "steady").lines >= kTotal; }))
      << read_seen(pool, "steady").lines << " of " << kTotal << "\n" << pool.log();
  const auto pool_stats = stats(pool);
  EXPECT_EQ(pool_stats["pool"]["records_accepted"].get<size_t>(), kTotal) << pool_stats;
  ASSERT_TRUE(wait_until([&] { return stats(pool)["pool"]["records_processed"].get<size_t>() >= kTotal; }));

  // Components that existed throughout: every accepted record, exactly once.
  const Seen steady = read_seen(pool, "steady");
  EXPECT_EQ(steady.lines, kTotal);
  EXPECT_EQ(steady.times.size(), kTotal);
  EXPECT_EQ(seen_more_than_once(steady), 0u);
  std::map<std::string, int> per_node;
  for (const auto& [record, times] : steady.times) ++per_node[record.first];
  EXPECT_EQ(per_node.size(), size_t(2 * kNodesPerFleet + 1));
  for (const auto& [node, n] : per_node) EXPECT_EQ(n, node == "after-refusal" ? kLate : kSteps) << node;

  // Reconfigured: each record once, by the old instance or (after it) the new one.
  const Seen tuned = read_seen(pool, "tuned");
  EXPECT_EQ(tuned.lines, kTotal);
  EXPECT_EQ(seen_more_than_once(tuned), 0u);
  ASSERT_EQ(tuned.lsns_by_label.size(), 2u);
  const auto& before = tuned.lsns_by_label.at("before");
  const auto& after = tuned.lsns_by_label.at("after");
  ASSERT_FALSE(before.empty());
  ASSERT_FALSE(after.empty());
  EXPECT_LT(*before.rbegin(), *after.begin()) << "the two instances overlapped";

  // Removed: exactly what the old pipeline processed; added: exactly what the new one did.
  const Seen retired = read_seen(pool, "retired");
  EXPECT_EQ(seen_more_than_once(retired), 0u);
  EXPECT_EQ(retired.lsns_by_label.at("-"), before);
  EXPECT_EQ(retired.records_by_label.at("-"), tuned.records_by_label.at("before"));
  const Seen newcomer = read_seen(pool, "newcomer");
  EXPECT_EQ(seen_more_than_once(newcomer), 0u);
  EXPECT_EQ(newcomer.lsns_by_label.at("-"), after);
  std::cout << "records before the reload: " << before.size() << ", after: " << after.size() << "\n";

  // A good file on SIGHUP applies too (the newcomer goes), and both kinds of
  // reload are counted.
  write_pipeline(pool, kSettings,
                 components(http_port, tcp_port,
                            "  - {id: tuned, plugin: nebula.test.id_recorder, inputs: [http_in, tcp_in], config: "
                            "{label: after}}\n  - {id: relearner, plugin: nebula.test.recording_agent, inputs: "
                            "[counter], config: {learn_delay_ms: 1}}\n"));
  pool.process->signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return processor_ids(pool).size() == 3; })) << pool.log();
  // The new components are visible before the reload that made them is
  // counted (the count comes last, with the answer): await it, not race it.
  std::string metrics;
  ASSERT_TRUE(wait_until([&] {
    metrics = nebula_test::http_get(pool.admin_port, "/metrics").body;
    return metric(metrics, "nebula_reloads_total{result=\"ok\"}") >= 2;
  })) << metrics;
  EXPECT_EQ(metric(metrics, "nebula_reloads_total{result=\"ok\"}"), 2) << metrics;
  EXPECT_EQ(metric(metrics, "nebula_reloads_total{result=\"refused\"}"), 2) << metrics;

  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << pool.log();
}

// A transport removed while records it accepted still wait in the pool queue
// (a slow stage holds them up): they are processed all the same, by the
// pipeline that accepted them, before the new one takes over. The removed
// processor is flushed on its way out, and a restarted sink delivers every
// insight once across its two instances. A setting that cannot change live
// is refused, naming it.
TEST(ReloadUnderLoad, RecordsOfARemovedTransportAreStillProcessed) {
  const unsigned short old_port = free_port(), keep_port = free_port();
  PoolProcess pool("");
  const std::string settings = "pool: {batch_max_records: 10, batch_max_wait_ms: 5}\n";
  const std::string keep_in =
      "  - {id: keep_in, plugin: nebula.transport.http, config: {port: " + std::to_string(keep_port) + "}}\n";
  write_pipeline(pool, settings,
                 "  - {id: old_in, plugin: nebula.transport.http, config: {port: " + std::to_string(old_port) +
                     "}}\n" + keep_in +
                     "  - {id: slow, plugin: nebula.test.counting, inputs: [old_in], config: {delay_ms: 100}}\n"
                     "  - {id: rec, plugin: nebula.test.id_recorder, inputs: [old_in, keep_in], config: {label: "
                     "before, emit: true}}\n"
                     "  - {id: out, plugin: nebula.test.recording_sink, inputs: [slow, rec]}\n");
  ASSERT_TRUE(pool.start()) << pool.log();
  for (int i = 0; i < 10; ++i) ASSERT_EQ(post(old_port, batch("leaving", i * 10, 10)).status, 200);
  ASSERT_LT(read_seen(pool, "rec").lines, 100u) << "no backlog: the slow stage finished before the reload";

  const std::string after =
      keep_in +
      "  - {id: rec, plugin: nebula.test.id_recorder, inputs: [keep_in], config: {label: after, emit: true}}\n"
      "  - {id: out, plugin: nebula.test.recording_sink, inputs: [rec], config: {delay_ms: 1}}\n";
  write_pipeline(pool, settings, after);
  const auto answer = post_reload(pool);
  ASSERT_EQ(answer.status, 200) << answer.body << "\n" << pool.log();
  const auto body = nlohmann::json::parse(answer.body);
  EXPECT_EQ(as_strings(body["removed"]), (std::vector<std::string>{"old_in", "slow"}));
  EXPECT_EQ(as_strings(body["restarted"]), (std::vector<std::string>{"out", "rec"}));

  ASSERT_EQ(post(keep_port, batch("staying", 0, 10)).status, 200);
  ASSERT_TRUE(wait_until([&] { return read_seen(pool, "rec").lines >= 110; })) << pool.log();
  const Seen rec = read_seen(pool, "rec");
  EXPECT_EQ(rec.lines, 110u);
  EXPECT_EQ(seen_more_than_once(rec), 0u);
  EXPECT_EQ(rec.records_by_label.at("before").size(), 100u) << "records of the removed transport were lost";
  EXPECT_EQ(rec.records_by_label.at("after").size(), 10u);
  for (const auto& [node, seq] : rec.records_by_label.at("before")) EXPECT_EQ(node, "leaving");
  EXPECT_THROW(post(old_port, batch("late", 0, 1)), std::exception) << "the removed transport still listens";

  // The sink, old instance then new: every record counted once in the
  // insights it delivered, and the removed processor's flush among them.
  std::map<std::string, int64_t> rows_seen;
  int64_t counted = -1;
  auto read_sink = [&] {
    rows_seen.clear();
    counted = -1;
    std::ifstream in(pool.dir / "state/components/out/delivered.jsonl");
    for (std::string line; std::getline(in, line);) {
      const auto row = nlohmann::json::parse(line);
      const auto doc = nlohmann::json::parse(row["json"].get<std::string>());
      if (row["topic"] == "seen") rows_seen[doc["label"].get<std::string>()] += doc["rows"].get<int64_t>();
      if (row["topic"] == "counts" && doc.value("flushed", false)) counted = doc["total"].get<int64_t>();
    }
    return rows_seen["after"] == 10;
  };
  ASSERT_TRUE(wait_until(read_sink)) << pool.log();
  EXPECT_EQ(rows_seen["before"], 100);
  EXPECT_EQ(counted, 100) << "the removed processor was not flushed before it went";

  // Settings outside the components need a restart: refused, naming them.
  write_pipeline(pool, "pool: {batch_max_records: 10, batch_max_wait_ms: 5, queue_capacity: 500}\n", after);
  const auto refused = post_reload(pool);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("pool.queue_capacity cannot change while the pool runs (restart it to apply)"),
            std::string::npos)
      << refused.body;

  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << pool.log();
}
