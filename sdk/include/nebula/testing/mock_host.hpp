// A mock host for plugin tests: load the real .so, create an instance
// against a host table that records everything the plugin does.
//
//   nebula::testing::PluginLibrary lib("build/plugins/libnebula_pattern.so");
//   nebula::testing::MockHost host;
//   auto inst = host.create(lib.find("nebula.processor.pattern"), R"({"k":3})");
//   inst.feed(batch);                       // OwnedBatch
//   EXPECT_FALSE(host.insights("patterns").empty());
#pragma once

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula/arrow_batch.hpp"
#include "nebula/nebula_plugin.h"

namespace nebula::testing {

// dlopen()s a plugin library (RTLD_NOW | RTLD_LOCAL, never closed, as the host does).
class PluginLibrary {
 public:
  explicit PluginLibrary(const std::string& path) {
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
    auto fn = reinterpret_cast<nebula_plugin_entry_fn>(::dlsym(handle_, NEBULA_ENTRY_SYMBOL));
    if (!fn) throw std::runtime_error(path + ": no " NEBULA_ENTRY_SYMBOL " symbol");
    entry_ = fn(NEBULA_ABI_MAJOR, NEBULA_ABI_MINOR);
    if (!entry_) throw std::runtime_error(path + ": entry returned null");
  }
  const nebula_plugin_entry_t& entry() const { return *entry_; }
  const nebula_plugin_descriptor* find(const std::string& id) const {
    for (size_t i = 0; i < entry_->plugin_count; ++i)
      if (id == entry_->plugins[i]->id) return entry_->plugins[i];
    throw std::runtime_error("plugin id not in library: " + id);
  }

 private:
  void* handle_ = nullptr;
  const nebula_plugin_entry_t* entry_ = nullptr;
};

struct LoggedLine {
  nebula_log_level level;
  std::string message;
};

struct EmittedInsight {
  std::string topic;
  std::string json;
};

struct DeadLetteredPayload {
  std::string format;
  std::string payload;
  std::string reason;
};

class MockHost;

// One created instance; destroyed with the object.
class Instance {
 public:
  Instance(const nebula_plugin_descriptor* d, void* inst) : desc_(d), inst_(inst) {}
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  Instance(Instance&& o) noexcept : desc_(o.desc_), inst_(o.inst_) { o.inst_ = nullptr; }
  ~Instance() {
    if (inst_) desc_->destroy(inst_);
  }
  void* raw() const { return inst_; }
  const nebula_plugin_descriptor* descriptor() const { return desc_; }

  template <class Table>
  const Table* capability(const char* id) const {
    auto* t = static_cast<const Table*>(desc_->get_capability(id));
    if (!t) throw std::runtime_error(std::string("capability missing: ") + id);
    return t;
  }

  // Processor: feeds a batch; returns the status (err text in last_error()).
  nebula_status feed(const OwnedBatch& batch) {
    auto* p = capability<nebula_processor_v1>(NEBULA_CAP_PROCESSOR);
    return p->process_records(inst_, batch.schema(), batch.array(), err_, sizeof err_);
  }
  nebula_status feed_insight(const std::string& topic, const std::string& json, const std::string& source = "test") {
    auto* p = capability<nebula_processor_v1>(NEBULA_CAP_PROCESSOR);
    nebula_insight in{sizeof(nebula_insight), topic.c_str(), source.c_str(), json.c_str(), json.size(), now()};
    return p->process_insight(inst_, &in, err_, sizeof err_);
  }
  nebula_status flush() {
    auto* p = capability<nebula_processor_v1>(NEBULA_CAP_PROCESSOR);
    return p->flush ? p->flush(inst_, err_, sizeof err_) : NEBULA_OK;
  }
  // Ends a cycle, as the host does after a processor's batch and insights
  // (ABI 1.4); NEBULA_OK for a processor built before it.
  nebula_status end_cycle() {
    auto* p = capability<nebula_processor_v1>(NEBULA_CAP_PROCESSOR);
    return NEBULA_TABLE_HAS(nebula_processor_v1, p, end_cycle) ? p->end_cycle(inst_, err_, sizeof err_) : NEBULA_OK;
  }
  // Agent helpers.
  nebula_status learn(const std::vector<EmittedInsight>& batch) {
    auto* a = capability<nebula_agent_v1>(NEBULA_CAP_AGENT);
    std::vector<nebula_insight> raw;
    for (auto& b : batch)
      raw.push_back({sizeof(nebula_insight), b.topic.c_str(), "test", b.json.c_str(), b.json.size(), now()});
    return a->learn(inst_, raw.data(), raw.size(), err_, sizeof err_);
  }
  nlohmann::json query(const nlohmann::json& req) {
    auto* a = capability<nebula_agent_v1>(NEBULA_CAP_AGENT);
    std::string out, text = req.dump();
    nebula_sink sink{&out, &append};
    if (a->query(inst_, text.data(), text.size(), &sink, err_, sizeof err_) != NEBULA_OK)
      throw std::runtime_error(err_);
    return nlohmann::json::parse(out);
  }
  nlohmann::json stats() {
    auto* a = capability<nebula_agent_v1>(NEBULA_CAP_AGENT);
    std::string out;
    nebula_sink sink{&out, &append};
    if (a->stats(inst_, &sink, err_, sizeof err_) != NEBULA_OK) throw std::runtime_error(err_);
    return nlohmann::json::parse(out);
  }
  std::string save() {
    auto* a = capability<nebula_agent_v1>(NEBULA_CAP_AGENT);
    std::string out;
    nebula_sink sink{&out, &append};
    if (a->save(inst_, &sink, err_, sizeof err_) != NEBULA_OK) throw std::runtime_error(err_);
    return out;
  }
  nebula_status load(const std::string& bytes) {
    auto* a = capability<nebula_agent_v1>(NEBULA_CAP_AGENT);
    struct Cursor {
      const std::string* s;
      size_t pos;
    } cur{&bytes, 0};
    nebula_source src{&cur, [](void* c, void* buf, size_t cap) -> int64_t {
                        auto* k = static_cast<Cursor*>(c);
                        size_t n = std::min(cap, k->s->size() - k->pos);
                        std::memcpy(buf, k->s->data() + k->pos, n);
                        k->pos += n;
                        return static_cast<int64_t>(n);
                      }};
    return a->load(inst_, &src, err_, sizeof err_);
  }

  // Sink helpers (ABI 1.3): deliver() a batch as the host's delivery thread
  // would; source defaults to "test", timestamp to now.
  nebula_status deliver(const std::vector<EmittedInsight>& batch, const std::string& source = "test") {
    auto* s = capability<nebula_sink_v1>(NEBULA_CAP_SINK);
    std::vector<nebula_insight> raw;
    const double t = now();
    for (auto& b : batch) raw.push_back({sizeof(nebula_insight), b.topic.c_str(), source.c_str(), b.json.c_str(), b.json.size(), t});
    return s->deliver(inst_, raw.data(), raw.size(), err_, sizeof err_);
  }
  nlohmann::json sink_query(const nlohmann::json& req) {
    auto* s = capability<nebula_sink_v1>(NEBULA_CAP_SINK);
    if (!s->query) throw std::runtime_error("sink has no query");
    std::string out, text = req.dump();
    nebula_sink sink{&out, &append};
    if (s->query(inst_, text.data(), text.size(), &sink, err_, sizeof err_) != NEBULA_OK)
      throw std::runtime_error(err_);
    return nlohmann::json::parse(out);
  }
  nebula_status sink_flush() {
    auto* s = capability<nebula_sink_v1>(NEBULA_CAP_SINK);
    return s->flush ? s->flush(inst_, err_, sizeof err_) : NEBULA_OK;
  }

  const char* last_error() const { return err_; }

 private:
  static double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  static nebula_status append(void* ctx, const void* data, size_t len) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), len);
    return NEBULA_OK;
  }
  const nebula_plugin_descriptor* desc_;
  void* inst_;
  char err_[NEBULA_ERROR_CAP] = {0};
};

// Records logs, insights, metrics; timers fire only when run_timers() is called.
class MockHost {
 public:
  using SubmitHandler = std::function<nebula_status(const std::string& format, const std::string& payload,
                                                    const std::string& meta, nebula_verdict* out)>;

  explicit MockHost(std::filesystem::path state_dir = {}) : state_dir_(std::move(state_dir)) {
    if (state_dir_.empty()) {
      owns_state_dir_ = true;
      state_dir_ = std::filesystem::temp_directory_path() /
                   ("nebula-mock-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    }
    std::filesystem::create_directories(state_dir_);
    state_dir_text_ = state_dir_.string();
    table_.struct_size = sizeof table_;
    table_.abi_major = NEBULA_ABI_MAJOR;
    table_.abi_minor = NEBULA_ABI_MINOR;
    table_.ctx = this;
    table_.log = &log_cb;
    table_.emit_insight = &emit_cb;
    table_.submit_payload = &submit_cb;
    table_.counter_add = &counter_cb;
    table_.gauge_set = &gauge_cb;
    table_.state_dir = &state_dir_cb;
    table_.schedule = &schedule_cb;
    table_.reject_record = &reject_cb;
    table_.dead_letter_payload = &dead_letter_cb;
    table_.set_ready = &set_ready_cb;
    table_.metric_declare = &metric_declare_cb;
    table_.metric_update = &metric_update_cb;
  }

  ~MockHost() {
    std::error_code ec;
    if (owns_state_dir_) std::filesystem::remove_all(state_dir_, ec);
  }
  MockHost(const MockHost&) = delete;
  MockHost& operator=(const MockHost&) = delete;

  const nebula_host* table() const { return &table_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }

  Instance create(const nebula_plugin_descriptor* d, const std::string& config_json = "{}") {
    void* inst = nullptr;
    char err[NEBULA_ERROR_CAP] = {0};
    if (d->create(&table_, config_json.c_str(), &inst, err, sizeof err) != NEBULA_OK)
      throw std::runtime_error(std::string("create failed: ") + err);
    return Instance(d, inst);
  }

  // When set, emit_insight answers RETRY (to test the queue-full path).
  void set_full(bool full) { full_ = full; }
  void on_submit(SubmitHandler h) { submit_ = std::move(h); }

  std::vector<EmittedInsight> insights(const std::string& topic = "") const {
    std::lock_guard lock(mu_);
    std::vector<EmittedInsight> out;
    for (auto& i : insights_)
      if (topic.empty() || i.topic == topic) out.push_back(i);
    return out;
  }
  std::vector<LoggedLine> logs() const {
    std::lock_guard lock(mu_);
    return logs_;
  }
  double counter(const std::string& name) const {
    std::lock_guard lock(mu_);
    auto it = counters_.find(name);
    return it == counters_.end() ? 0.0 : it->second;
  }
  double gauge(const std::string& name) const {
    std::lock_guard lock(mu_);
    auto it = gauges_.find(name);
    return it == gauges_.end() ? 0.0 : it->second;
  }
  // Rows rejected through reject_record, with their reasons, in call order.
  std::vector<std::pair<int64_t, std::string>> rejected_rows() const {
    std::lock_guard lock(mu_);
    return rejected_;
  }
  // Payloads handed to dead_letter_payload, in call order.
  std::vector<DeadLetteredPayload> dead_letters() const {
    std::lock_guard lock(mu_);
    return dead_letters_;
  }
  // Labelled metrics (ABI 1.3): the declared type and label names of a
  // family ("" type 0 when undeclared), and the value of one label set: a
  // counter's sum, a gauge's last value, a histogram's observation count.
  nebula_metric_type metric_type(const std::string& name) const {
    std::lock_guard lock(mu_);
    auto it = metric_decls_.find(name);
    return it == metric_decls_.end() ? nebula_metric_type(0) : it->second.type;
  }
  std::vector<std::string> metric_labels(const std::string& name) const {
    std::lock_guard lock(mu_);
    auto it = metric_decls_.find(name);
    return it == metric_decls_.end() ? std::vector<std::string>{} : it->second.labels;
  }
  double metric(const std::string& name, const std::vector<std::string>& label_values = {}) const {
    std::lock_guard lock(mu_);
    auto it = metric_values_.find({name, label_values});
    return it == metric_values_.end() ? 0.0 : it->second;
  }
  // Every label set a family holds, with its value.
  std::map<std::vector<std::string>, double> metric_series(const std::string& name) const {
    std::lock_guard lock(mu_);
    std::map<std::vector<std::string>, double> out;
    for (const auto& [key, value] : metric_values_)
      if (key.first == name) out[key.second] = value;
    return out;
  }

  // When set, dead_letter_payload answers IO (to test a failing dead-letter file).
  void set_dead_letters_fail(bool fail) { dead_letters_fail_ = fail; }
  // The last set_ready report: ready (instances start ready) and its reason.
  bool ready() const {
    std::lock_guard lock(mu_);
    return ready_;
  }
  std::string ready_reason() const {
    std::lock_guard lock(mu_);
    return ready_reason_;
  }

  void clear_insights() {
    std::lock_guard lock(mu_);
    insights_.clear();
  }
  // Fires every scheduled callback once (tests drive time explicitly).
  size_t run_timers() {
    std::vector<std::pair<void (*)(void*), void*>> copy;
    {
      std::lock_guard lock(mu_);
      copy = timers_;
    }
    for (auto& [cb, user] : copy) cb(user);
    return copy.size();
  }

 private:
  static MockHost* self(void* ctx) { return static_cast<MockHost*>(ctx); }
  static void log_cb(void* ctx, nebula_log_level level, const char* msg) {
    std::lock_guard lock(self(ctx)->mu_);
    self(ctx)->logs_.push_back({level, msg ? msg : ""});
  }
  static nebula_status emit_cb(void* ctx, const char* topic, const char* json, size_t len, char* err, size_t cap) {
    auto* h = self(ctx);
    if (h->full_) {
      if (err && cap) std::snprintf(err, cap, "queue full");
      return NEBULA_RETRY;
    }
    // accept(): the same verdict as a parse without building a DOM, which
    // would otherwise be most of what a replay benchmark measures.
    if (!nlohmann::json::accept(std::string_view(json, len))) {
      if (err && cap) std::snprintf(err, cap, "insight is not valid JSON");
      return NEBULA_INVALID;
    }
    std::lock_guard lock(h->mu_);
    h->insights_.push_back({topic, std::string(json, len)});
    return NEBULA_OK;
  }
  static nebula_status submit_cb(void* ctx, const char* format, const void* data, size_t len, const char* meta,
                                 nebula_verdict* out) {
    auto* h = self(ctx);
    out->struct_size = sizeof *out;
    out->release = nullptr;
    out->body = nullptr;
    out->body_len = 0;
    if (h->submit_) return h->submit_(format, std::string(static_cast<const char*>(data), len), meta ? meta : "", out);
    out->status = NEBULA_OK;
    out->http_status = 200;
    return NEBULA_OK;
  }
  static void counter_cb(void* ctx, const char* name, double delta) {
    std::lock_guard lock(self(ctx)->mu_);
    self(ctx)->counters_[name] += delta;
  }
  static void gauge_cb(void* ctx, const char* name, double value) {
    std::lock_guard lock(self(ctx)->mu_);
    self(ctx)->gauges_[name] = value;
  }
  static nebula_status metric_declare_cb(void* ctx, const char* name, nebula_metric_type type, const char*,
                                         const char* const* labels, size_t n_labels, const double*, size_t, size_t,
                                         char* err, size_t cap) {
    auto* h = self(ctx);
    if (!name || !*name || n_labels > 8 || type < NEBULA_METRIC_COUNTER || type > NEBULA_METRIC_HISTOGRAM) {
      if (err && cap) std::snprintf(err, cap, "bad metric declaration");
      return NEBULA_INVALID;
    }
    MetricDecl decl{type, std::vector<std::string>(labels, labels + n_labels)};
    std::lock_guard lock(h->mu_);
    auto [it, inserted] = h->metric_decls_.emplace(name, decl);
    if (!inserted && (it->second.type != decl.type || it->second.labels != decl.labels)) {
      if (err && cap) std::snprintf(err, cap, "declared before with another shape");
      return NEBULA_INVALID;
    }
    return NEBULA_OK;
  }
  static nebula_status metric_update_cb(void* ctx, const char* name, const char* const* values, size_t n,
                                        double value) {
    auto* h = self(ctx);
    std::lock_guard lock(h->mu_);
    auto it = h->metric_decls_.find(name ? name : "");
    if (it == h->metric_decls_.end() || it->second.labels.size() != n) return NEBULA_INVALID;
    if (it->second.type == NEBULA_METRIC_COUNTER && !(value >= 0)) return NEBULA_INVALID;
    double& slot = h->metric_values_[{name, std::vector<std::string>(values, values + n)}];
    if (it->second.type == NEBULA_METRIC_GAUGE) slot = value;
    else if (it->second.type == NEBULA_METRIC_COUNTER) slot += value;
    else slot += 1;
    return NEBULA_OK;
  }
  static const char* state_dir_cb(void* ctx) { return self(ctx)->state_dir_text_.c_str(); }
  static nebula_status schedule_cb(void* ctx, uint64_t, uint64_t, void (*cb)(void*), void* user) {
    std::lock_guard lock(self(ctx)->mu_);
    self(ctx)->timers_.emplace_back(cb, user);
    return NEBULA_OK;
  }
  static nebula_status reject_cb(void* ctx, int64_t row, const char* reason) {
    if (row < 0) return NEBULA_INVALID;
    std::lock_guard lock(self(ctx)->mu_);
    self(ctx)->rejected_.emplace_back(row, reason ? reason : "");
    return NEBULA_OK;
  }

  static nebula_status dead_letter_cb(void* ctx, const char* format, const void* data, size_t len, const char* reason) {
    auto* h = self(ctx);
    if (h->dead_letters_fail_) return NEBULA_IO;
    std::lock_guard lock(h->mu_);
    h->dead_letters_.push_back({format ? format : "", std::string(static_cast<const char*>(data), len),
                                reason ? reason : ""});
    return NEBULA_OK;
  }
  static void set_ready_cb(void* ctx, int ready, const char* reason) {
    std::lock_guard lock(self(ctx)->mu_);
    self(ctx)->ready_ = ready != 0;
    self(ctx)->ready_reason_ = reason ? reason : "";
  }

  nebula_host table_{};
  std::vector<DeadLetteredPayload> dead_letters_;
  std::atomic<bool> dead_letters_fail_{false};
  bool ready_ = true;
  std::string ready_reason_;
  std::filesystem::path state_dir_;
  std::string state_dir_text_;
  struct MetricDecl {
    nebula_metric_type type;
    std::vector<std::string> labels;
  };
  std::map<std::string, MetricDecl> metric_decls_;
  std::map<std::pair<std::string, std::vector<std::string>>, double> metric_values_;
  mutable std::mutex mu_;
  std::vector<LoggedLine> logs_;
  std::vector<EmittedInsight> insights_;
  std::map<std::string, double> counters_;
  std::vector<std::pair<int64_t, std::string>> rejected_;
  std::map<std::string, double> gauges_;
  std::vector<std::pair<void (*)(void*), void*>> timers_;
  SubmitHandler submit_;
  bool full_ = false;
  bool owns_state_dir_ = false;
};

}  // namespace nebula::testing
