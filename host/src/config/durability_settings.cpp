// The `wal`, `limits` and `ingest` sections: how accepted records are made
// durable, how much one node may send, and what a record must hold.
#include "config/settings_parse.hpp"

namespace nebula::host {
namespace {

constexpr int64_t kMiB = 1 << 20;

// `fsync: always | batch | interval`, or `fsync: {interval: <ms>}`.
void parse_fsync(const MappingEntry& entry, WalSettings& wal, ParseContext& ctx) {
  if (entry.value.IsMap()) {
    for (const auto& e : read_entries(entry.value, "in wal.fsync", {"interval"}, ctx)) {
      if (auto ms = read_integer(e, "wal.fsync.interval", 1, 60'000, ctx)) {
        wal.fsync = WalSettings::Fsync::Interval;
        wal.fsync_interval = std::chrono::milliseconds(*ms);
      }
    }
    return;
  }
  if (auto choice = read_choice(entry, "wal.fsync", {"always", "batch", "interval"}, ctx))
    wal.fsync = *choice == "always"  ? WalSettings::Fsync::Always
                : *choice == "batch" ? WalSettings::Fsync::Batch
                                     : WalSettings::Fsync::Interval;
}

}  // namespace

void parse_wal(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  WalSettings& wal = config.wal;
  read_section(
      entry,
      {{"fsync_interval_ms", {1, 60'000, [&](int64_t v) { wal.fsync_interval = std::chrono::milliseconds(v); }}},
       {"segment_mb", {1, 4096, [&](int64_t v) { wal.segment_bytes = uint64_t(v) * kMiB; }}},
       {"max_mb", {0, 16 << 20, [&](int64_t v) { wal.max_bytes = uint64_t(v) * kMiB; }}},
       {"dedup_nodes", {1, 10'000'000, [&](int64_t v) { wal.dedup_nodes = size_t(v); }}}},
      {{"enabled",
        [&](const MappingEntry& e) {
          if (auto v = read_bool(e, "wal.enabled", ctx)) wal.enabled = *v;
        }},
       {"fsync", [&](const MappingEntry& e) { parse_fsync(e, wal, ctx); }}},
      ctx);
  if (wal.max_bytes && wal.max_bytes < wal.segment_bytes)
    ctx.report(entry.key_node.Mark(), "wal.max_mb must be 0 (no cap) or at least wal.segment_mb");
}

void parse_limits(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  LimitSettings& limits = config.limits;
  read_section(entry,
               {{"records_per_second_per_node",
                 {0, 10'000'000, [&](int64_t v) { limits.records_per_second_per_node = double(v); }}},
                {"burst_records_per_node",
                 {0, 100'000'000, [&](int64_t v) { limits.burst_records_per_node = double(v); }}}},
               {}, ctx);
}

void parse_ingest(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  read_section(entry, {},
               {{"strict",
                 [&](const MappingEntry& e) {
                   if (auto v = read_bool(e, "ingest.strict", ctx)) config.ingest.strict = *v;
                 }}},
               ctx);
}

}  // namespace nebula::host
