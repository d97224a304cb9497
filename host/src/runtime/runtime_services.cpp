// What plugins ask of the host through their table: logging, insights,
// metrics and timers. (Payload submission lives in ingest_gate.cpp.)
#include <spdlog/spdlog.h>

#include <chrono>

#include "runtime/runtime.hpp"
#include "runtime/thread_json_parser.hpp"

namespace nebula::host {

bool runtime_on_dispatcher();

namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void set_error(char* err, size_t cap, const std::string& msg) {
  if (!err || !cap) return;
  size_t n = std::min(cap - 1, msg.size());
  std::memcpy(err, msg.data(), n);
  err[n] = '\0';
}

// How long an emitter waits for room in a full agent queue before it is told
// RETRY. Waiting slows the pool down, which is the back-pressure we want at
// training.priority normal; at idle/low AgentWorker::offer never waits.
constexpr std::chrono::milliseconds kAgentOfferWait{1000};

}  // namespace

void Runtime::log(Component& c, nebula_log_level level, const char* msg) {
  switch (level) {
    case NEBULA_LOG_TRACE: spdlog::trace("[{}] {}", c.id(), msg); break;
    case NEBULA_LOG_DEBUG: spdlog::debug("[{}] {}", c.id(), msg); break;
    case NEBULA_LOG_INFO: spdlog::info("[{}] {}", c.id(), msg); break;
    case NEBULA_LOG_WARN: spdlog::warn("[{}] {}", c.id(), msg); break;
    default: spdlog::error("[{}] {}", c.id(), msg); break;
  }
}

namespace {

// Whether `text` is JSON exactly as nlohmann::json::parse reads it, without
// building a DOM. simdjson accepts a subset of what nlohmann does (it refuses
// integers beyond 64 bits, a leading byte-order mark, nesting past 1024 and
// an embedded NUL, all of which nlohmann takes; both refuse bad UTF-8, lone
// surrogates, 1e400), so only its refusals are asked again, of nlohmann's
// SAX-only accept. Any thread: one simdjson parser per thread.
bool is_json(std::string_view text) {
  simdjson::dom::element ignored;
  return !parse_on_this_thread(text).get(ignored) || nlohmann::json::accept(text.begin(), text.end());
}

}  // namespace

nebula_status Runtime::emit(Component& c, const char* topic, const char* json, size_t len, char* err, size_t cap) {
  if (!topic || !*topic) {
    set_error(err, cap, "topic is empty");
    return NEBULA_INVALID;
  }
  if (!json || !is_json(std::string_view(json, len))) {
    set_error(err, cap, "insight on '" + std::string(topic) + "' is not valid JSON");
    return NEBULA_INVALID;
  }
  auto insight = std::make_shared<OwnedInsight>();
  insight->topic = topic;
  insight->source = c.id();
  insight->json.assign(json, len);
  insight->timestamp = wall_seconds();
  insight->sequence = ++insight_sequence_;
  nebula_status status = NEBULA_OK;
  route(c, insight, err, cap, status);
  return status;
}

void Runtime::route(Component& from, const InsightPtr& insight, char* err, size_t cap, nebula_status& status) {
  std::shared_lock topology(topology_mu_);  // a reload swaps the consumers between two cycles
  store_.add(insight);
  broadcast_.publish(insight);
  metrics_.add("nebula_insights_total", {{"component", from.id()}, {"topic", insight->topic}});
  bool queued_for_processor = false;
  for (auto& n : processors_) {
    const auto& inputs = n->insight_inputs;
    if (std::find(inputs.begin(), inputs.end(), from.id()) == inputs.end()) continue;
    const auto& filter = n->component->spec().topics;
    if (!filter.empty() && std::find(filter.begin(), filter.end(), insight->topic) == filter.end()) continue;
    std::lock_guard lock(n->inbox_mu);
    n->inbox.push_back(insight);
    queued_for_processor = true;
  }
  // Insights from timers arrive outside a cycle: wake the dispatcher for them.
  if (queued_for_processor && !runtime_on_dispatcher()) pool_queue_.wake();
  for (auto& sink : sinks_)
    if (sink->wants(from.id(), insight->topic)) sink->offer(insight);
  if (!config_.training.enabled) return;
  for (auto& a : agents_) {
    if (!a->wants(from.id(), insight->topic)) continue;
    if (!a->offer(insight, kAgentOfferWait)) {
      metrics_.add("nebula_training_rejected_total", {{"component", a->component().id()}});
      set_error(err, cap, "training queue of agent '" + a->component().id() + "' is full");
      status = NEBULA_RETRY;
    }
  }
}

// The unlabelled ABI calls carry no HELP text: the family gets one naming the
// plugin's own metric (labelled families, metric_declare, bring their own).
void Runtime::counter_add(Component& c, const char* name, double delta) {
  metrics_.add("nebula_component_" + sanitize_metric_name(name) + "_total", {{"component", c.id()}}, delta,
               "Count '" + std::string(name) + "' that plugins report (counter_add), by component");
}

nebula_status Runtime::metric_declare(Component& c, const char* name, nebula_metric_type type, const char* help,
                                      const char* const* labels, size_t n_labels, const double* bounds,
                                      size_t n_bounds, size_t max_series, char* err, size_t cap) {
  std::vector<std::string> label_names;
  for (size_t i = 0; labels && i < n_labels; ++i) label_names.emplace_back(labels[i] ? labels[i] : "");
  const std::string why =
      plugin_metrics_.declare(c.id(), name ? name : "", type, help ? help : "", std::move(label_names),
                              bounds ? std::vector<double>(bounds, bounds + n_bounds) : std::vector<double>{},
                              max_series);
  if (why.empty()) return NEBULA_OK;
  set_error(err, cap, why);
  return NEBULA_INVALID;
}

nebula_status Runtime::metric_update(Component& c, const char* name, const char* const* values, size_t n,
                                     double value) {
  std::vector<std::string> label_values;
  for (size_t i = 0; values && i < n; ++i) label_values.emplace_back(values[i] ? values[i] : "");
  return plugin_metrics_.update(c.id(), name ? name : "", label_values, value);
}

void Runtime::gauge_set(Component& c, const char* name, double value) {
  metrics_.set("nebula_component_" + sanitize_metric_name(name), {{"component", c.id()}}, value,
               "Value '" + std::string(name) + "' that plugins report (gauge_set), by component");
}

nebula_status Runtime::schedule(Component& c, uint64_t delay_ms, uint64_t period_ms, void (*cb)(void*), void* user) {
  if (!cb) return NEBULA_INVALID;
  if (draining_) return NEBULA_RETRY;
  Component* comp = &c;
  timers_.schedule(comp, std::chrono::milliseconds(delay_ms), std::chrono::milliseconds(period_ms), [comp, cb, user] {
    // Timer callbacks never overlap the instance's [data] calls.
    std::lock_guard lock(comp->data_mu);
    if (comp->instance()) cb(user);
  });
  return NEBULA_OK;
}

}  // namespace nebula::host
