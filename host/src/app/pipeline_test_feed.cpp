#include "app/pipeline_test_feed.hpp"

#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

namespace nebula::host {
namespace {

struct FeedInstance {
  const nebula_host* host = nullptr;
  std::string id;
};

// Instances by component id: the ABI's create() is the only place the host
// table is handed over, so the runner finds it here.
std::mutex directory_mu;
std::map<std::string, FeedInstance*>& directory() {
  static std::map<std::string, FeedInstance*> instances;
  return instances;
}

void write_error(char* err, size_t cap, const char* text) {
  if (cap) std::snprintf(err, cap, "%s", text);
}

nebula_status validate(const char* config_json, char* err, size_t cap) {
  auto cfg = nlohmann::json::parse(config_json ? config_json : "", nullptr, false);
  if (!cfg.is_object() || !cfg.value("feed", nlohmann::json()).is_string()) {
    write_error(err, cap, "/feed: the component id this feed stands for (a string)");
    return NEBULA_INVALID;
  }
  return NEBULA_OK;
}

nebula_status create(const nebula_host* host, const char* config_json, void** instance, char* err, size_t cap) {
  if (validate(config_json, err, cap) != NEBULA_OK) return NEBULA_INVALID;
  auto* feed = new FeedInstance{host, nlohmann::json::parse(config_json)["feed"].get<std::string>()};
  std::lock_guard lock(directory_mu);
  directory()[feed->id] = feed;
  *instance = feed;
  return NEBULA_OK;
}

void destroy(void* instance) {
  auto* feed = static_cast<FeedInstance*>(instance);
  {
    std::lock_guard lock(directory_mu);
    if (auto it = directory().find(feed->id); it != directory().end() && it->second == feed) directory().erase(it);
  }
  delete feed;
}

nebula_status no_op(void*, char*, size_t) { return NEBULA_OK; }

nebula_status describe(void*, const nebula_sink* out, char*, size_t) {
  const char text[] = R"({"feed":"nebula-pool test"})";
  return out->write(out->ctx, text, sizeof text - 1);
}

const nebula_transport_server_v1 kServer{sizeof(nebula_transport_server_v1), no_op, no_op, describe, nullptr};

const void* capability(const char* id) {
  return std::strcmp(id, NEBULA_CAP_TRANSPORT_SERVER) == 0 ? &kServer : nullptr;
}

const nebula_plugin_descriptor kDescriptor{sizeof(nebula_plugin_descriptor),
                                           kFeedPluginId,
                                           "Test feed",
                                           "1.0.0",
                                           "Stands in for a transport under nebula-pool test",
                                           NEBULA_KIND_TRANSPORT,
                                           validate,
                                           create,
                                           destroy,
                                           capability};

}  // namespace

const nebula_plugin_descriptor* feed_plugin() { return &kDescriptor; }

std::string feed_config(const std::string& component_id) { return nlohmann::json{{"feed", component_id}}.dump(); }

FeedVerdict feed_submit(const std::string& component_id, const char* format, const std::string& payload) {
  FeedVerdict out;
  const nebula_host* host = nullptr;
  {
    std::lock_guard lock(directory_mu);
    auto it = directory().find(component_id);
    if (it == directory().end()) {
      out.status = NEBULA_NOT_FOUND;
      out.body = "no feed for component '" + component_id + "'";
      return out;
    }
    host = it->second->host;
  }
  nebula_verdict v{};
  v.struct_size = sizeof v;
  out.status = host->submit_payload(host->ctx, format, payload.data(), payload.size(), nullptr, &v);
  out.accepted = v.accepted;
  out.rejected = v.rejected;
  out.retry_after_ms = v.retry_after_ms;
  if (v.body) out.body.assign(v.body, v.body_len);
  if (v.release) v.release(&v);
  return out;
}

}  // namespace nebula::host
