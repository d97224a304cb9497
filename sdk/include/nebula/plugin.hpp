// Header-only C++ layer over nebula_plugin.h.
//
// A plugin is a small class deriving from Processor, Agent, Sink or
// TransportServer, with a `static constexpr nebula::PluginMeta meta`, a
// constructor `(nebula::Host, const nlohmann::json& config)` and optionally
// `static void validate(const nlohmann::json&, nebula::ConfigErrors&)`.
// One line exports the library:
//
//     NEBULA_PLUGINS(MyProcessor)
//
// The adapters below are the only code that touches the C structs; every
// trampoline is noexcept and maps exceptions to a status plus message.
#pragma once

#include <istream>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula/arrow_batch.hpp"
#include "nebula/host.hpp"
#include "nebula/nebula_plugin.h"

namespace nebula {

struct PluginMeta {
  const char* id;
  const char* name;
  const char* version;
  const char* description;
};

// An insight as seen by plugin code; views are borrowed for the call.
struct Insight {
  std::string_view topic;
  std::string_view source;
  std::string_view json;
  double timestamp = 0;

  nlohmann::json parse() const { return nlohmann::json::parse(json); }
  static Insight from(const nebula_insight& raw) {
    return Insight{raw.topic ? raw.topic : "", raw.source ? raw.source : "",
                   std::string_view(raw.json ? raw.json : "", raw.json ? raw.json_len : 0), raw.timestamp};
  }
};

class Processor {
 public:
  explicit Processor(Host host) : host_(std::move(host)) {}
  virtual ~Processor() = default;
  // [data] A batch of records (columns by name).
  virtual void on_records(const RecordBatchView&) {}
  // [data] An insight from an upstream component.
  virtual void on_insight(const Insight&) {}
  // [control] Emit whatever is pending (drain).
  virtual void flush() {}
  // [data] The cycle's batch and insights have all been delivered (ABI 1.4):
  // emit what depends on them together, once per cycle.
  virtual void end_cycle() {}

 protected:
  const Host& host() const { return host_; }

 private:
  Host host_;
};

class Agent {
 public:
  explicit Agent(Host host) : host_(std::move(host)) {}
  virtual ~Agent() = default;
  virtual std::vector<std::string> subscriptions() const = 0;
  virtual void learn(const std::vector<Insight>& batch) = 0;      // [data]
  virtual nlohmann::json query(const nlohmann::json& request) = 0;  // [thread-safe]
  virtual nlohmann::json stats() const = 0;                         // [thread-safe]
  virtual void save(std::ostream& out) = 0;                         // [data]
  // [data] Throw nebula::Error(NEBULA_INVALID, ...) on a damaged checkpoint,
  // leaving the agent usable (fresh).
  virtual void load(std::istream& in) = 0;

 protected:
  const Host& host() const { return host_; }

 private:
  Host host_;
};

class TransportServer {
 public:
  explicit TransportServer(Host host) : host_(std::move(host)) {}
  virtual ~TransportServer() = default;
  virtual void start() = 0;  // [control]
  virtual void stop() = 0;   // [control]
  virtual nlohmann::json describe() const { return nlohmann::json::object(); }
  // [control] Before start(), for each logged payload submitted with
  // {"origin": ...} in its meta: NEBULA_OK keep, NEBULA_NOT_FOUND drop (another
  // host took it over), NEBULA_RETRY ask again later. See nebula_plugin.h.
  virtual nebula_status confirm_replay(const std::string& /*origin*/) { return NEBULA_OK; }

 protected:
  const Host& host() const { return host_; }

 private:
  Host host_;
};

// ABI 1.3: takes insights out of the pool (see nebula_sink_v1). deliver()
// runs on the sink's own delivery thread; throw nebula::Error(NEBULA_RETRY or
// NEBULA_IO, ...) for a transient failure (the host delivers the batch again
// after a backoff) and Error(NEBULA_INVALID, ...) for insights that can never
// be delivered (the host dead-letters them).
class Sink {
 public:
  explicit Sink(Host host) : host_(std::move(host)) {}
  virtual ~Sink() = default;
  virtual void deliver(const std::vector<Insight>& batch) = 0;  // [data]
  // [thread-safe] History query; a sink without history keeps the default.
  virtual nlohmann::json query(const nlohmann::json& /*request*/) {
    throw Error(NEBULA_UNSUPPORTED, "this sink keeps no history to query");
  }
  virtual void flush() {}  // [control] drain: write out what is buffered

 protected:
  const Host& host() const { return host_; }

 private:
  Host host_;
};

// Result of a client-side delivery (see nebula_delivery).
struct Delivery {
  nebula_status status = NEBULA_OK;
  uint32_t accepted = 0;
  uint32_t rejected = 0;
  uint32_t retry_after_ms = 0;
  std::string message;
};

namespace detail {

template <class F>
nebula_status guarded(char* err, size_t cap, F&& fn) noexcept {
  try {
    fn();
    return NEBULA_OK;
  } catch (const Error& e) {
    write_error(err, cap, e.what());
    return e.status();
  } catch (const nlohmann::json::exception& e) {
    write_error(err, cap, e.what());
    return NEBULA_INVALID;
  } catch (const std::exception& e) {
    write_error(err, cap, e.what());
    return NEBULA_INTERNAL;
  } catch (...) {
    write_error(err, cap, "unknown exception");
    return NEBULA_INTERNAL;
  }
}

inline nlohmann::json parse_config(const char* text) {
  if (!text || !*text) return nlohmann::json::object();
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw Error(NEBULA_INVALID, ": config is not valid JSON");
  if (j.is_null()) return nlohmann::json::object();
  if (!j.is_object()) throw Error(NEBULA_INVALID, ": config must be a mapping");
  return j;
}

class SinkBuf : public std::streambuf {
 public:
  explicit SinkBuf(const nebula_sink* sink) : sink_(sink) {}
  bool failed() const { return failed_; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (sink_->write(sink_->ctx, s, static_cast<size_t>(n)) != NEBULA_OK) {
      failed_ = true;
      return 0;
    }
    return n;
  }
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    char c = traits_type::to_char_type(ch);
    return xsputn(&c, 1) == 1 ? ch : traits_type::eof();
  }

 private:
  const nebula_sink* sink_;
  bool failed_ = false;
};

class SourceBuf : public std::streambuf {
 public:
  explicit SourceBuf(const nebula_source* src) : src_(src) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    int64_t n = src_->read(src_->ctx, buf_, sizeof buf_);
    if (n <= 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  const nebula_source* src_;
  char buf_[8192];
};

inline void write_json(const nebula_sink* out, const nlohmann::json& j) {
  std::string text = j.dump();
  if (out->write(out->ctx, text.data(), text.size()) != NEBULA_OK) throw Error(NEBULA_IO, "sink write failed");
}

template <class T>
struct Box {
  Host host;
  std::unique_ptr<T> object;
  std::vector<std::string> subscriptions;  // agents: stable storage for the C pointers
};

template <class T>
constexpr nebula_plugin_kind kind_of() {
  if constexpr (std::is_base_of_v<Processor, T>) return NEBULA_KIND_PROCESSOR;
  else if constexpr (std::is_base_of_v<Agent, T>) return NEBULA_KIND_AGENT;
  else if constexpr (std::is_base_of_v<Sink, T>) return NEBULA_KIND_SINK;
  else {
    static_assert(std::is_base_of_v<TransportServer, T>,
                  "plugin must derive from Processor, Agent, Sink or TransportServer");
    return NEBULA_KIND_TRANSPORT;
  }
}

template <class T>
void run_validate(const nlohmann::json& cfg) {
  ConfigErrors errors;
  if constexpr (requires { T::validate(cfg, errors); }) T::validate(cfg, errors);
  if (!errors.empty()) throw Error(NEBULA_INVALID, errors.text());
}

template <class T>
nebula_status validate_config(const char* config_json, char* err, size_t cap) noexcept {
  return guarded(err, cap, [&] { run_validate<T>(parse_config(config_json)); });
}

template <class T>
nebula_status create(const nebula_host* host, const char* config_json, void** instance, char* err,
                     size_t cap) noexcept {
  return guarded(err, cap, [&] {
    auto cfg = parse_config(config_json);
    run_validate<T>(cfg);
    auto box = std::make_unique<Box<T>>();
    box->host = Host(host);
    box->object = std::make_unique<T>(box->host, cfg);
    if constexpr (std::is_base_of_v<Agent, T>) box->subscriptions = box->object->subscriptions();
    *instance = box.release();
  });
}

template <class T>
void destroy(void* instance) noexcept {
  try {
    delete static_cast<Box<T>*>(instance);
  } catch (...) {
  }
}

template <class T>
T& object(void* instance) {
  return *static_cast<Box<T>*>(instance)->object;
}

template <class T>
struct ProcessorTable {
  static nebula_status records(void* inst, const ArrowSchema* schema, const ArrowArray* batch, char* err,
                               size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).on_records(RecordBatchView(schema, batch)); });
  }
  static nebula_status insight(void* inst, const nebula_insight* in, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).on_insight(Insight::from(*in)); });
  }
  static nebula_status flush(void* inst, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).flush(); });
  }
  static nebula_status end_cycle(void* inst, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).end_cycle(); });
  }
  static inline const nebula_processor_v1 table{sizeof(nebula_processor_v1), &records, &insight, &flush, &end_cycle};
};

template <class T>
struct AgentTable {
  static size_t subscriptions(void* inst, const char** topics, size_t cap) noexcept {
    auto& subs = static_cast<Box<T>*>(inst)->subscriptions;
    for (size_t i = 0; i < subs.size() && i < cap; ++i) topics[i] = subs[i].c_str();
    return subs.size();
  }
  static nebula_status learn(void* inst, const nebula_insight* batch, size_t n, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] {
      std::vector<Insight> items;
      items.reserve(n);
      for (size_t i = 0; i < n; ++i) items.push_back(Insight::from(batch[i]));
      object<T>(inst).learn(items);
    });
  }
  static nebula_status query(void* inst, const char* req, size_t len, const nebula_sink* out, char* err,
                             size_t cap) noexcept {
    return guarded(err, cap, [&] {
      auto request = len ? nlohmann::json::parse(std::string_view(req, len)) : nlohmann::json::object();
      write_json(out, object<T>(inst).query(request));
    });
  }
  static nebula_status stats(void* inst, const nebula_sink* out, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { write_json(out, object<T>(inst).stats()); });
  }
  static nebula_status save(void* inst, const nebula_sink* out, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] {
      SinkBuf buf(out);
      std::ostream os(&buf);
      object<T>(inst).save(os);
      os.flush();
      if (buf.failed() || !os) throw Error(NEBULA_IO, "checkpoint write failed");
    });
  }
  static nebula_status load(void* inst, const nebula_source* in, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] {
      SourceBuf buf(in);
      std::istream is(&buf);
      object<T>(inst).load(is);
    });
  }
  static inline const nebula_agent_v1 table{sizeof(nebula_agent_v1), &subscriptions, &learn, &query,
                                            &stats,   &save,          &load};
};

template <class T>
struct SinkTable {
  static nebula_status deliver(void* inst, const nebula_insight* batch, size_t n, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] {
      std::vector<Insight> items;
      items.reserve(n);
      for (size_t i = 0; i < n; ++i) items.push_back(Insight::from(batch[i]));
      object<T>(inst).deliver(items);
    });
  }
  static nebula_status query(void* inst, const char* req, size_t len, const nebula_sink* out, char* err,
                             size_t cap) noexcept {
    return guarded(err, cap, [&] {
      auto request = len ? nlohmann::json::parse(std::string_view(req, len)) : nlohmann::json::object();
      write_json(out, object<T>(inst).query(request));
    });
  }
  static nebula_status flush(void* inst, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).flush(); });
  }
  static inline const nebula_sink_v1 table{sizeof(nebula_sink_v1), &deliver, &query, &flush};
};

template <class T>
struct ServerTable {
  static nebula_status start(void* inst, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).start(); });
  }
  static nebula_status stop(void* inst, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { object<T>(inst).stop(); });
  }
  static nebula_status describe(void* inst, const nebula_sink* out, char* err, size_t cap) noexcept {
    return guarded(err, cap, [&] { write_json(out, object<T>(inst).describe()); });
  }
  static nebula_status confirm_replay(void* inst, const char* origin, char* err, size_t cap) noexcept {
    nebula_status answer = NEBULA_OK;
    nebula_status st = guarded(err, cap, [&] { answer = object<T>(inst).confirm_replay(origin ? origin : ""); });
    return st == NEBULA_OK ? answer : st;
  }
  static inline const nebula_transport_server_v1 table{sizeof(nebula_transport_server_v1), &start, &stop,
                                                       &describe, &confirm_replay};
};

// Client side: T::Client(endpoint, config) with Delivery deliver(std::string_view).
template <class T>
struct ClientTable {
  using Client = typename T::Client;
  static nebula_status create(const char* endpoint, const char* config_json, void** client, char* err,
                              size_t cap) noexcept {
    return guarded(err, cap, [&] {
      auto c = std::make_unique<Client>(std::string(endpoint ? endpoint : ""), parse_config(config_json));
      *client = c.release();
    });
  }
  static nebula_status deliver(void* client, const char* json, size_t len, nebula_delivery* out) noexcept {
    Delivery d;
    char err[256] = {0};
    nebula_status st = guarded(err, sizeof err, [&] { d = static_cast<Client*>(client)->deliver({json, len}); });
    if (st != NEBULA_OK) {
      d.status = st;
      d.message = err;
    }
    out->status = d.status;
    out->accepted = d.accepted;
    out->rejected = d.rejected;
    out->retry_after_ms = d.retry_after_ms;
    write_error(out->message, sizeof out->message, d.message);
    return d.status;
  }
  static void destroy(void* client) noexcept { delete static_cast<Client*>(client); }
  static inline const nebula_transport_client_v1 table{sizeof(nebula_transport_client_v1), &create, &deliver,
                                                       &destroy};
};

template <class T>
const void* get_capability(const char* id) noexcept {
  if (!id) return nullptr;
  std::string_view cap(id);
  if constexpr (std::is_base_of_v<Processor, T>) {
    if (cap == NEBULA_CAP_PROCESSOR) return &ProcessorTable<T>::table;
  }
  if constexpr (std::is_base_of_v<Agent, T>) {
    if (cap == NEBULA_CAP_AGENT) return &AgentTable<T>::table;
  }
  if constexpr (std::is_base_of_v<Sink, T>) {
    if (cap == NEBULA_CAP_SINK) return &SinkTable<T>::table;
  }
  if constexpr (std::is_base_of_v<TransportServer, T>) {
    if (cap == NEBULA_CAP_TRANSPORT_SERVER) return &ServerTable<T>::table;
    if constexpr (requires { typename T::Client; }) {
      if (cap == NEBULA_CAP_TRANSPORT_CLIENT) return &ClientTable<T>::table;
    }
  }
  return nullptr;
}

template <class T>
const nebula_plugin_descriptor* descriptor() {
  static const nebula_plugin_descriptor d{sizeof(nebula_plugin_descriptor),
                                          T::meta.id,
                                          T::meta.name,
                                          T::meta.version,
                                          T::meta.description,
                                          kind_of<T>(),
                                          &validate_config<T>,
                                          &create<T>,
                                          &destroy<T>,
                                          &get_capability<T>};
  return &d;
}

template <class... Ts>
const nebula_plugin_entry_t* entry() {
  static const nebula_plugin_descriptor* const list[] = {descriptor<Ts>()...};
  static const nebula_plugin_entry_t e{sizeof(nebula_plugin_entry_t), NEBULA_ABI_MAJOR, NEBULA_ABI_MINOR,
                                       sizeof...(Ts), list};
  return &e;
}

}  // namespace detail
}  // namespace nebula

// Exports the library's single entry symbol listing the given plugin classes.
#define NEBULA_PLUGINS(...)                                                                         \
  extern "C" NEBULA_EXPORT const nebula_plugin_entry_t* nebula_plugin_entry(uint32_t, uint32_t) { \
    return ::nebula::detail::entry<__VA_ARGS__>();                                                  \
  }
