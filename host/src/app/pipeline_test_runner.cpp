#include "app/pipeline_test_runner.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app/pipeline_test_feed.hpp"
#include "app/pipeline_test_scenario.hpp"
#include "runtime/runtime.hpp"

namespace nebula::host {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How long one payload may wait for room in the pool queue, or to be taken
// from it, before the test gives up on a pipeline that does not move.
constexpr auto kPayloadDeadline = std::chrono::seconds(60);

// The feed component standing for a test's records sent to processor `id`.
std::string processor_feed_id(const std::string& id) { return "feed:" + id; }

nebula_plugin_kind kind_of(const PluginRegistry& registry, const ComponentSpec& spec) {
  const LoadedPlugin* p = registry.find(spec.plugin);
  return p ? p->descriptor->kind : NEBULA_KIND_SINK;
}

// The pipeline as the test runs it (see the header).
PipelineConfig test_config(const PipelineConfig& base, const PipelineTest& test, const PluginRegistry& registry,
                           const std::string& state_dir) {
  PipelineConfig cfg = base;
  cfg.state_dir = state_dir;
  cfg.admin.enabled = false;
  cfg.wal.enabled = false;  // durability is not under test; no fsync per payload
  cfg.limits.records_per_second_per_node = 0;  // a scenario feeds hours in seconds
  cfg.pool.batch_max_wait = std::chrono::milliseconds(1);  // one payload, one cycle, at once
  // At idle priority a busy machine (ctest -j2) could starve the agents, and
  // the shutdown that ends every test waits for them to train on their queue.
  cfg.training.priority = TrainingSettings::Priority::Normal;
  std::vector<ComponentSpec> kept;
  for (auto& spec : cfg.components) {
    const nebula_plugin_kind kind = kind_of(registry, spec);
    if (kind == NEBULA_KIND_SINK) continue;
    if (kind == NEBULA_KIND_TRANSPORT) {
      spec.plugin = kFeedPluginId;
      spec.config = nlohmann::json::parse(feed_config(spec.id));
    }
    kept.push_back(std::move(spec));
  }
  for (const auto& feed : test.feeds) {
    const ComponentSpec* target = base.find(feed.to);
    if (!target || kind_of(registry, *target) != NEBULA_KIND_PROCESSOR) continue;
    const std::string id = processor_feed_id(feed.to);
    bool known = false;
    for (const auto& spec : kept) known = known || spec.id == id;
    if (known) continue;
    ComponentSpec spec;
    spec.id = id;
    spec.plugin = kFeedPluginId;
    spec.config = nlohmann::json::parse(feed_config(id));
    kept.insert(kept.begin(), spec);  // transports first, as in a pipeline file
    for (auto& c : kept)
      if (c.id == feed.to) c.inputs.push_back(id);
  }
  cfg.components = std::move(kept);
  return cfg;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "nebula-pool-test-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Feeds payloads one at a time: the next goes in once the dispatcher has
// taken the previous one, so each payload is a cycle of its own.
class Feeder {
 public:
  Feeder(Runtime& runtime, TestOutcome& outcome) : runtime_(runtime), outcome_(outcome) {}

  // false when the test cannot go on (the pipeline does not move).
  // `what` and `at` name the payload in the report.
  bool send(const std::string& component, const char* format, const std::string& payload, const std::string& what,
            const SourceMark& at) {
    const auto deadline = Clock::now() + kPayloadDeadline;
    FeedVerdict v;
    for (;;) {
      v = feed_submit(component, format, payload);
      if (v.status != NEBULA_RETRY) break;
      if (Clock::now() > deadline) {
        problem(at, what + ": the pool kept answering retry: " + v.body);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::max<uint32_t>(1, v.retry_after_ms)));
    }
    ++outcome_.payloads;
    outcome_.records += v.accepted;
    if (v.status != NEBULA_OK || v.rejected)
      problem(at, what + ": " + std::to_string(v.rejected) + " record(s) rejected: " + v.body);
    return wait_taken(deadline, what, at);
  }

 private:
  uint64_t pool_counter(const char* name) const { return runtime_.stats()["pool"][name].get<uint64_t>(); }

  void problem(const SourceMark& at, const std::string& text) { outcome_.problems.push_back(ConfigIssue{at, text}.format()); }

  bool wait_taken(Clock::time_point deadline, const std::string& what, const SourceMark& at) {
    const uint64_t accepted = pool_counter("records_accepted");
    while (pool_counter("records_processed") < accepted) {
      if (Clock::now() > deadline) {
        problem(at, what + ": the pool did not take the records within " + std::to_string(kPayloadDeadline.count()) +
                        " s");
        return false;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
  }

  Runtime& runtime_;
  TestOutcome& outcome_;
};

// Sends one feed's payloads; false when the test cannot go on.
bool send_feed(Feeder& feeder, const Feed& feed, size_t feed_index, const std::string& component,
               TestOutcome& outcome) {
  const std::string where = "feed[" + std::to_string(feed_index) + "] to " + feed.to;
  if (!feed.scenario) {
    for (size_t i = 0; i < feed.records.size(); ++i)
      if (!feeder.send(component, NEBULA_FORMAT_NDJSON, feed.records[i], where + " records[" + std::to_string(i) + "]",
                       feed.record_marks[i]))
        return false;
    return true;
  }
  std::unique_ptr<ScenarioPayloads> steps;
  try {
    steps = std::make_unique<ScenarioPayloads>(*feed.scenario);
  } catch (const std::exception& e) {
    outcome.problems.push_back(ConfigIssue{feed.scenario->mark, where + ": the scenario cannot be simulated: " + e.what()}.format());
    return false;
  }
  std::string payload;
  for (size_t step = 0; steps->next(payload); ++step)
    if (!feeder.send(component, NEBULA_FORMAT_NDJSON, payload, where + " scenario step " + std::to_string(step),
                     feed.scenario->mark))
      return false;
  return true;
}

}  // namespace

TestOutcome run_pipeline_test(const PipelineTest& test, const PipelineConfig& pipeline,
                              const PluginRegistry& registry) {
  const auto started = Clock::now();
  TestOutcome outcome;
  TempDir state;
  if (state.path().empty()) {
    outcome.problems.push_back("cannot create a temporary state directory in " + fs::temp_directory_path().string());
    return outcome;
  }
  const PipelineConfig cfg = test_config(pipeline, test, registry, state.path());

  std::mutex insights_mu;
  std::vector<InsightPtr> insights;
  {
    Metrics metrics;
    Runtime runtime(cfg, registry, metrics);
    runtime.live_insights().subscribe("", [&](const InsightPtr& in) {
      std::lock_guard lock(insights_mu);
      insights.push_back(in);
      return true;
    });
    auto errors = runtime.create();
    if (errors.empty()) errors = runtime.start();
    for (const auto& e : errors) outcome.problems.push_back(ConfigIssue{test.mark, "the pipeline did not start: " + e}.format());
    if (errors.empty()) {
      Feeder feeder(runtime, outcome);
      for (size_t i = 0; i < test.feeds.size(); ++i) {
        const Feed& feed = test.feeds[i];
        const ComponentSpec* target = pipeline.find(feed.to);
        const bool to_processor = target && kind_of(registry, *target) == NEBULA_KIND_PROCESSOR;
        if (!send_feed(feeder, feed, i, to_processor ? processor_feed_id(feed.to) : feed.to, outcome)) break;
      }
    }
    runtime.shutdown();  // processors flush, agents train on what is queued: their insights count too
  }

  std::vector<ParsedInsight> parsed;
  parsed.reserve(insights.size());
  for (auto& in : insights) parsed.push_back({in, nlohmann::json::parse(in->json, nullptr, false)});
  for (auto& p : parsed)
    if (p.doc.is_discarded()) p.doc = nullptr;
  outcome.insights = parsed.size();
  for (size_t i = 0; i < test.expect.size(); ++i) {
    ConditionVerdict verdict = judge(test.expect[i], parsed);
    if (!verdict.passed) outcome.failed.push_back({&test.expect[i], i, std::move(verdict.seen)});
  }
  outcome.passed = outcome.problems.empty() && outcome.failed.empty();
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

}  // namespace nebula::host
