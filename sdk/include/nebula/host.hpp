// C++ view of the host table handed to each plugin instance.
#pragma once

#include <cstring>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula/nebula_plugin.h"

namespace nebula {

// Thrown by plugin code to return a specific status across the ABI.
class Error : public std::runtime_error {
 public:
  Error(nebula_status status, const std::string& what) : std::runtime_error(what), status_(status) {}
  nebula_status status() const { return status_; }

 private:
  nebula_status status_;
};

inline void write_error(char* err, size_t cap, std::string_view msg) noexcept {
  if (!err || cap == 0) return;
  const size_t n = msg.size() < cap - 1 ? msg.size() : cap - 1;
  std::memcpy(err, msg.data(), n);
  err[n] = '\0';
}

// RAII holder of a host verdict (released on destruction).
class Verdict {
 public:
  // Starts as INTERNAL so a host that fails without filling it in can never
  // make a transport answer "accepted".
  Verdict() {
    v_.struct_size = sizeof(v_);
    v_.status = NEBULA_INTERNAL;
  }
  Verdict(const Verdict&) = delete;
  Verdict& operator=(const Verdict&) = delete;
  ~Verdict() {
    if (v_.release) v_.release(&v_);
  }
  nebula_verdict* raw() { return &v_; }
  nebula_status status() const { return v_.status; }
  uint32_t accepted() const { return v_.accepted; }
  uint32_t rejected() const { return v_.rejected; }
  uint32_t retry_after_ms() const { return v_.retry_after_ms; }
  uint32_t http_status() const { return v_.http_status; }
  int64_t last_seq() const { return v_.last_seq; }
  std::string_view body() const { return v_.body ? std::string_view(v_.body, v_.body_len) : std::string_view{}; }

 private:
  nebula_verdict v_{};
};

class Host {
 public:
  Host() = default;
  explicit Host(const nebula_host* raw) : raw_(raw), timers_(std::make_shared<TimerStore>()) {}

  const nebula_host* raw() const { return raw_; }

  void log(nebula_log_level level, const std::string& msg) const { raw_->log(raw_->ctx, level, msg.c_str()); }
  void debug(const std::string& msg) const { log(NEBULA_LOG_DEBUG, msg); }
  void info(const std::string& msg) const { log(NEBULA_LOG_INFO, msg); }
  void warn(const std::string& msg) const { log(NEBULA_LOG_WARN, msg); }
  void error(const std::string& msg) const { log(NEBULA_LOG_ERROR, msg); }

  // Publishes an insight; throws Error(RETRY) when the host's queues are full.
  void emit(const std::string& topic, const nlohmann::json& doc) const { emit_text(topic, doc.dump()); }
  void emit_text(const std::string& topic, const std::string& json) const {
    char err[NEBULA_ERROR_CAP] = {0};
    nebula_status st = raw_->emit_insight(raw_->ctx, topic.c_str(), json.data(), json.size(), err, sizeof err);
    if (st != NEBULA_OK) throw Error(st, std::string("emit on '") + topic + "': " + err);
  }

  // Processor helper, only inside process_records: row `row` of the current
  // batch is rejected for good and goes to the host's dead-letter file.
  // Throws Error(INVALID) when the host predates ABI 1.1 or refuses.
  void reject(int64_t row, const std::string& reason) const {
    if (!NEBULA_HOST_HAS(raw_, reject_record)) throw Error(NEBULA_INVALID, "host has no dead-letter support (ABI < 1.1)");
    nebula_status st = raw_->reject_record(raw_->ctx, row, reason.c_str());
    if (st != NEBULA_OK) throw Error(st, "reject of row " + std::to_string(row) + " refused by host");
  }

  // Transport helper (ABI 1.2): a payload a broker already accepted but that
  // can never be submitted goes to the host's dead-letter file. Throws
  // Error(IO) when it could not be written, Error(UNSUPPORTED) on an older host.
  void dead_letter(std::string_view format, std::string_view payload, const std::string& reason) const {
    if (!NEBULA_HOST_HAS(raw_, dead_letter_payload))
      throw Error(NEBULA_UNSUPPORTED, "host has no payload dead letters (ABI < 1.2)");
    std::string fmt(format);
    nebula_status st = raw_->dead_letter_payload(raw_->ctx, fmt.c_str(), payload.data(), payload.size(), reason.c_str());
    if (st != NEBULA_OK) throw Error(st, "dead letter refused by host");
  }

  // ABI 1.2: whether this instance can do its job; /readyz reflects it.
  // A no-op on an older host.
  void set_ready(bool ready, const std::string& reason = {}) const {
    if (NEBULA_HOST_HAS(raw_, set_ready)) raw_->set_ready(raw_->ctx, ready ? 1 : 0, reason.c_str());
  }

  void count(const std::string& name, double delta = 1.0) const { raw_->counter_add(raw_->ctx, name.c_str(), delta); }
  void gauge(const std::string& name, double value) const { raw_->gauge_set(raw_->ctx, name.c_str(), value); }

  // ABI 1.3: a labelled metric family (see metric_declare in nebula_plugin.h).
  // Throws Error(INVALID) when the host refuses it; false on an older host
  // (nothing will be recorded then).
  bool declare_metric(const std::string& name, nebula_metric_type type, const std::string& help,
                      const std::vector<std::string>& labels, const std::vector<double>& bounds = {},
                      size_t max_series = 0) const {
    if (!NEBULA_HOST_HAS(raw_, metric_declare)) return false;
    std::vector<const char*> names;
    for (const auto& l : labels) names.push_back(l.c_str());
    char err[NEBULA_ERROR_CAP] = {0};
    nebula_status st = raw_->metric_declare(raw_->ctx, name.c_str(), type, help.c_str(), names.data(), names.size(),
                                            bounds.empty() ? nullptr : bounds.data(), bounds.size(), max_series, err,
                                            sizeof err);
    if (st != NEBULA_OK) throw Error(st, "metric '" + name + "': " + err);
    return true;
  }
  // Counter add, gauge set or histogram observe on a declared family; label
  // values in the declared order. A no-op on an older host. Returns false
  // when the host refused the update (undeclared, wrong label count).
  bool update_metric(const std::string& name, std::initializer_list<std::string_view> labels, double value) const {
    if (!NEBULA_HOST_HAS(raw_, metric_update)) return false;
    const char* values[8];
    std::string copies[8];  // NUL-terminated copies of the views
    size_t n = 0;
    for (std::string_view v : labels) {
      if (n == 8) return false;
      copies[n] = std::string(v);
      values[n] = copies[n].c_str();
      ++n;
    }
    return raw_->metric_update(raw_->ctx, name.c_str(), values, n, value) == NEBULA_OK;
  }

  std::filesystem::path state_dir() const { return raw_->state_dir(raw_->ctx); }

  // Transport helper: hands a payload to the host and returns its verdict.
  void submit(std::string_view format, std::string_view payload, const std::string& meta_json, Verdict& out) const {
    std::string fmt(format);
    nebula_status st = raw_->submit_payload(raw_->ctx, fmt.c_str(), payload.data(), payload.size(),
                                            meta_json.empty() ? nullptr : meta_json.c_str(), out.raw());
    if (st != NEBULA_OK && out.raw()->status == NEBULA_OK) out.raw()->status = st;
  }

  // Runs fn after delay_ms, then every period_ms (0 = once). The callback
  // lives as long as any copy of this Host (i.e. the instance).
  void schedule(uint64_t delay_ms, uint64_t period_ms, std::function<void()> fn) const {
    std::function<void()>* slot;
    {
      std::lock_guard lock(timers_->mu);
      slot = &timers_->callbacks.emplace_back(std::move(fn));
    }
    char err[NEBULA_ERROR_CAP] = {0};
    (void)err;
    nebula_status st = raw_->schedule(raw_->ctx, delay_ms, period_ms, &Host::run_timer, slot);
    if (st != NEBULA_OK) throw Error(st, "schedule refused by host");
  }

 private:
  struct TimerStore {
    std::mutex mu;
    std::list<std::function<void()>> callbacks;  // list: stable addresses
  };
  static void run_timer(void* user) {
    try {
      (*static_cast<std::function<void()>*>(user))();
    } catch (...) {
      // A timer callback must not unwind into the host; the plugin logs its own errors.
    }
  }

  const nebula_host* raw_ = nullptr;
  std::shared_ptr<TimerStore> timers_;
};

// Collects config problems as (json-pointer, message) for validate().
class ConfigErrors {
 public:
  void add(const std::string& pointer, const std::string& message) {
    if (!text_.empty()) text_ += '\n';
    text_ += pointer + ": " + message;
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  size_t count_ = 0;
};

}  // namespace nebula
