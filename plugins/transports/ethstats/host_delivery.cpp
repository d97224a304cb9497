#include "host_delivery.hpp"

#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include <nebula/nebula_plugin.h>

namespace nebula::transport::ethstats {
namespace {

std::vector<std::string> lines_of(const std::string& ndjson) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < ndjson.size();) {
    size_t nl = ndjson.find('\n', pos);
    if (nl == std::string::npos) nl = ndjson.size();
    if (nl > pos) out.push_back(ndjson.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

// The host's per-record reasons: {"errors":[{"index":3,"reason":"..."},..]}.
std::map<size_t, std::string> reasons_by_index(std::string_view body) {
  std::map<size_t, std::string> out;
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("errors") || !doc["errors"].is_array()) return out;
  for (const auto& e : doc["errors"]) {
    if (!e.is_object() || !e.contains("index") || !e["index"].is_number_unsigned()) continue;
    std::string why = e.value("reason", std::string("rejected"));
    if (e.contains("field") && e["field"].is_string()) why = e["field"].get<std::string>() + ": " + why;
    auto& slot = out[e["index"].get<size_t>()];
    slot += (slot.empty() ? "" : "; ") + why;
  }
  return out;
}

std::string text_of(std::string_view body, const char* fallback) {
  return body.empty() ? fallback : std::string(body.substr(0, 1000));
}

}  // namespace

void dead_letter(EthstatsContext& ctx, const std::string& ndjson, size_t records, const std::string& reason) {
  try {
    ctx.host.dead_letter(NEBULA_FORMAT_NDJSON, ndjson, reason);
    ctx.host.count("records_dead_lettered", static_cast<double>(records));
  } catch (const std::exception& e) {
    ctx.host.count("dead_letter_failures");
    ctx.host.error("ethstats transport: LOST " + std::to_string(records) +
                   " record(s): the dead-letter file refused them (" + e.what() + "); reason was: " + reason);
  }
}

Delivery deliver(EthstatsContext& ctx, const std::string& ndjson, size_t records, const std::string& meta) {
  Delivery out;
  try {
    Verdict v;
    ctx.host.submit(NEBULA_FORMAT_NDJSON, ndjson, meta, v);
    if (v.status() == NEBULA_OK) {
      ctx.host.count("records_accepted", v.accepted());
      ctx.records_accepted += v.accepted();
      if (v.rejected() == 0) return out;
      // Some records refused for good (a value out of its physical range):
      // each goes to the dead letters with its own reason.
      ctx.host.count("records_rejected", v.rejected());
      const auto reasons = reasons_by_index(v.body());
      const auto lines = lines_of(ndjson);
      if (reasons.empty()) {
        dead_letter(ctx, ndjson, lines.size(), "partly rejected by the pool: " + text_of(v.body(), "no reason given"));
        return out;
      }
      for (const auto& [index, why] : reasons)
        if (index < lines.size()) dead_letter(ctx, lines[index] + "\n", 1, "rejected by the pool: " + why);
      return out;
    }
    if (v.status() == NEBULA_INVALID) {
      ctx.host.count("records_rejected", static_cast<double>(records));
      dead_letter(ctx, ndjson, records, "rejected by the pool: " + text_of(v.body(), "no reason given"));
      return out;
    }
    out.retry = true;
    out.retry_after_ms = v.retry_after_ms() ? v.retry_after_ms() : ctx.config.default_retry_ms;
    out.reason = text_of(v.body(), "pool busy");
  } catch (const std::exception& e) {
    out.retry = true;
    out.retry_after_ms = ctx.config.default_retry_ms;
    out.reason = std::string("submission failed: ") + e.what();
  }
  return out;
}

}  // namespace nebula::transport::ethstats
