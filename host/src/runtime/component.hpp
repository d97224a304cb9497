// One configured component: a plugin instance plus the host table it was
// given. The table's ctx points back here; calls are forwarded to the
// ComponentServices the runtime implements.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "config/pipeline_config.hpp"
#include "nebula/nebula_plugin.h"
#include "runtime/plugin_registry.hpp"

namespace nebula::host {

class Component;

// What a plugin can ask of the host, per component.
class ComponentServices {
 public:
  virtual ~ComponentServices() = default;
  virtual void log(Component& c, nebula_log_level level, const char* msg) = 0;
  virtual nebula_status emit(Component& c, const char* topic, const char* json, size_t len, char* err,
                             size_t cap) = 0;
  virtual nebula_status submit(Component& c, const char* format, const void* data, size_t len, const char* meta,
                               nebula_verdict* out) = 0;
  virtual void counter_add(Component& c, const char* name, double delta) = 0;
  virtual void gauge_set(Component& c, const char* name, double value) = 0;
  virtual nebula_status schedule(Component& c, uint64_t delay_ms, uint64_t period_ms, void (*cb)(void*),
                                 void* user) = 0;
  virtual nebula_status reject_record(Component& c, int64_t row, const char* reason) = 0;
  virtual nebula_status dead_letter_payload(Component& c, const char* format, const void* data, size_t len,
                                            const char* reason) = 0;
  virtual nebula_status metric_declare(Component& c, const char* name, nebula_metric_type type, const char* help,
                                       const char* const* labels, size_t n_labels, const double* bounds,
                                       size_t n_bounds, size_t max_series, char* err, size_t cap) = 0;
  virtual nebula_status metric_update(Component& c, const char* name, const char* const* values, size_t n,
                                      double value) = 0;
};

class Component {
 public:
  Component(const ComponentSpec& spec, const LoadedPlugin& plugin, ComponentServices& services,
            std::string state_dir);
  ~Component();
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  // Creates the plugin instance; returns "" or the plugin's error message.
  std::string create();
  // Destroys the instance (idempotent).
  void destroy();

  const std::string& id() const { return spec_.id; }
  const ComponentSpec& spec() const { return spec_; }
  const LoadedPlugin& plugin() const { return plugin_; }
  nebula_plugin_kind kind() const { return plugin_.descriptor->kind; }
  void* instance() const { return instance_; }
  const std::string& state_dir() const { return state_dir_; }

  const nebula_processor_v1* processor() const { return processor_; }
  const nebula_agent_v1* agent() const { return agent_; }
  const nebula_transport_server_v1* server() const { return server_; }
  const nebula_sink_v1* sink() const { return sink_; }

  // What the instance last said through set_ready (instances start ready):
  // "" when ready, else why not. Read it once per decision: a concurrent
  // set_ready may change it between two calls.
  std::string not_ready_reason() const;
  void report_ready(bool ready, const char* reason);

  // Held during [data] calls and timer callbacks: the ABI promises they never overlap.
  std::mutex data_mu;
  std::atomic<uint64_t> calls{0};
  std::atomic<uint64_t> failures{0};

 private:
  static Component& self(void* ctx) { return *static_cast<Component*>(ctx); }

  ComponentSpec spec_;
  const LoadedPlugin& plugin_;
  ComponentServices& services_;
  std::string state_dir_;
  nebula_host table_{};
  mutable std::mutex ready_mu_;
  std::string not_ready_reason_;
  void* instance_ = nullptr;
  const nebula_processor_v1* processor_ = nullptr;
  const nebula_agent_v1* agent_ = nullptr;
  const nebula_transport_server_v1* server_ = nullptr;
  const nebula_sink_v1* sink_ = nullptr;
};

}  // namespace nebula::host
