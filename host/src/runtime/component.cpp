#include "runtime/component.hpp"

#include <filesystem>

namespace nebula::host {

Component::Component(const ComponentSpec& spec, const LoadedPlugin& plugin, ComponentServices& services,
                     std::string state_dir)
    : spec_(spec), plugin_(plugin), services_(services), state_dir_(std::move(state_dir)) {
  table_.struct_size = sizeof table_;
  table_.abi_major = NEBULA_ABI_MAJOR;
  table_.abi_minor = NEBULA_ABI_MINOR;
  table_.ctx = this;
  table_.log = [](void* ctx, nebula_log_level level, const char* msg) {
    self(ctx).services_.log(self(ctx), level, msg ? msg : "");
  };
  table_.emit_insight = [](void* ctx, const char* topic, const char* json, size_t len, char* err, size_t cap) {
    return self(ctx).services_.emit(self(ctx), topic, json, len, err, cap);
  };
  table_.submit_payload = [](void* ctx, const char* format, const void* data, size_t len, const char* meta,
                             nebula_verdict* out) {
    return self(ctx).services_.submit(self(ctx), format, data, len, meta, out);
  };
  table_.counter_add = [](void* ctx, const char* name, double delta) {
    self(ctx).services_.counter_add(self(ctx), name, delta);
  };
  table_.gauge_set = [](void* ctx, const char* name, double value) {
    self(ctx).services_.gauge_set(self(ctx), name, value);
  };
  table_.state_dir = [](void* ctx) { return self(ctx).state_dir_.c_str(); };
  table_.schedule = [](void* ctx, uint64_t delay, uint64_t period, void (*cb)(void*), void* user) {
    return self(ctx).services_.schedule(self(ctx), delay, period, cb, user);
  };
  table_.reject_record = [](void* ctx, int64_t row, const char* reason) {
    return self(ctx).services_.reject_record(self(ctx), row, reason ? reason : "");
  };
  table_.dead_letter_payload = [](void* ctx, const char* format, const void* data, size_t len, const char* reason) {
    return self(ctx).services_.dead_letter_payload(self(ctx), format ? format : "", data, len, reason ? reason : "");
  };
  table_.set_ready = [](void* ctx, int ready, const char* reason) { self(ctx).report_ready(ready != 0, reason); };
  table_.metric_declare = [](void* ctx, const char* name, nebula_metric_type type, const char* help,
                             const char* const* labels, size_t n_labels, const double* bounds, size_t n_bounds,
                             size_t max_series, char* err, size_t cap) {
    return self(ctx).services_.metric_declare(self(ctx), name, type, help, labels, n_labels, bounds, n_bounds,
                                              max_series, err, cap);
  };
  table_.metric_update = [](void* ctx, const char* name, const char* const* values, size_t n, double value) {
    return self(ctx).services_.metric_update(self(ctx), name, values, n, value);
  };
  const auto* d = plugin_.descriptor;
  processor_ = static_cast<const nebula_processor_v1*>(d->get_capability(NEBULA_CAP_PROCESSOR));
  agent_ = static_cast<const nebula_agent_v1*>(d->get_capability(NEBULA_CAP_AGENT));
  server_ = static_cast<const nebula_transport_server_v1*>(d->get_capability(NEBULA_CAP_TRANSPORT_SERVER));
  sink_ = static_cast<const nebula_sink_v1*>(d->get_capability(NEBULA_CAP_SINK));
}

Component::~Component() { destroy(); }

void Component::report_ready(bool ready, const char* reason) {
  std::lock_guard lock(ready_mu_);
  not_ready_reason_ = ready ? "" : (reason && *reason ? reason : "not ready");
}

std::string Component::not_ready_reason() const {
  std::lock_guard lock(ready_mu_);
  return not_ready_reason_;
}

std::string Component::create() {
  std::error_code ec;
  std::filesystem::create_directories(state_dir_, ec);
  if (ec) return "cannot create state dir " + state_dir_ + ": " + ec.message();
  char err[NEBULA_ERROR_CAP] = {0};
  const std::string cfg = spec_.config.dump();
  nebula_status st = plugin_.descriptor->create(&table_, cfg.c_str(), &instance_, err, sizeof err);
  if (st != NEBULA_OK) {
    instance_ = nullptr;
    return err[0] ? err : "create failed with status " + std::to_string(st);
  }
  return {};
}

void Component::destroy() {
  if (instance_) {
    plugin_.descriptor->destroy(instance_);
    instance_ = nullptr;
  }
}

}  // namespace nebula::host
