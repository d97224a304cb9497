// version, log_level, pool, training, sinks and shutdown (admin: admin_settings.cpp).
#include <functional>
#include <map>

#include "config/settings_parse.hpp"

namespace nebula::host {
namespace {

constexpr int64_t kMaxQueue = 10'000'000;
constexpr int64_t kMaxWaitMs = 3'600'000;  // an hour: longer is surely a typo
// A sender's request is held that long: beyond a minute, clients time out.
constexpr int64_t kMaxAdmissionWaitMs = 60'000;
constexpr double kMaxTrainingCores = 1024;  // more cores than any machine this runs on

}  // namespace

std::map<std::string, MappingEntry> read_section(
    const MappingEntry& section, const std::map<std::string, IntegerSetting>& integers,
    const std::map<std::string, std::function<void(const MappingEntry&)>>& other, ParseContext& ctx) {
  std::map<std::string, MappingEntry> read;
  if (!expect_mapping(section, section.key, ctx) || !section.value.IsMap()) return read;
  std::vector<std::string> allowed;
  for (const auto& [key, handler] : other) allowed.push_back(key);
  for (const auto& [key, setting] : integers) allowed.push_back(key);
  for (const auto& entry : read_entries(section.value, "in " + section.key, allowed, ctx)) {
    read.emplace(entry.key, entry);
    if (auto it = other.find(entry.key); it != other.end()) {
      it->second(entry);
      continue;
    }
    const IntegerSetting& setting = integers.at(entry.key);
    if (auto value = read_integer(entry, section.key + "." + entry.key, setting.min, setting.max, ctx))
      setting.store(*value);
  }
  return read;
}

namespace {

// A batch bigger than its queue could never fill; say so at the batch size.
void check_batch_fits_queue(const std::map<std::string, MappingEntry>& read, const std::string& section,
                            const std::string& batch_key, size_t batch, size_t queue, ParseContext& ctx) {
  if (batch <= queue || !read.contains(batch_key)) return;
  ctx.report(value_mark(read.at(batch_key)), section + "." + batch_key + " (" + std::to_string(batch) +
                                                 ") must not exceed " + section + ".queue_capacity (" +
                                                 std::to_string(queue) + ")");
}

}  // namespace

void parse_version(const MappingEntry& entry, ParseContext& ctx) {
  read_integer(entry, "version", 1, 1, ctx);
}

void parse_log_level(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  if (auto level = read_choice(entry, "log_level", {"trace", "debug", "info", "warn", "error"}, ctx))
    config.log_level = *level;
}

void parse_pool(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  PoolSettings& pool = config.pool;
  auto read = read_section(
      entry,
      {{"queue_capacity", {1, kMaxQueue, [&](int64_t v) { pool.queue_capacity = size_t(v); }}},
       {"batch_max_records", {1, 1'000'000, [&](int64_t v) { pool.batch_max_records = size_t(v); }}},
       {"batch_max_wait_ms", {1, kMaxWaitMs, [&](int64_t v) { pool.batch_max_wait = std::chrono::milliseconds(v); }}},
       {"workers", {1, 64, [&](int64_t v) { pool.workers = size_t(v); }}},
       {"admission_wait_ms",
        {0, kMaxAdmissionWaitMs, [&](int64_t v) { pool.admission_wait = std::chrono::milliseconds(v); }}}},
      {}, ctx);
  check_batch_fits_queue(read, "pool", "batch_max_records", pool.batch_max_records, pool.queue_capacity, ctx);
}

void parse_training(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  TrainingSettings& training = config.training;
  auto read = read_section(
      entry,
      {{"queue_capacity", {1, kMaxQueue, [&](int64_t v) { training.queue_capacity = size_t(v); }}},
       {"batch_max_insights", {1, 1'000'000, [&](int64_t v) { training.batch_max_insights = size_t(v); }}},
       {"batch_max_wait_ms",
        {1, kMaxWaitMs, [&](int64_t v) { training.batch_max_wait = std::chrono::milliseconds(v); }}},
       {"checkpoint_interval_s",
        {1, 86'400, [&](int64_t v) { training.checkpoint_interval = std::chrono::seconds(v); }}},
       {"torch_threads_per_agent", {1, 64, [&](int64_t v) { training.torch_threads_per_agent = int(v); }}}},
      {{"enabled",
        [&](const MappingEntry& e) {
          if (auto v = read_bool(e, "training.enabled", ctx)) training.enabled = *v;
        }},
       {"cpu_limit",
        [&](const MappingEntry& e) {
          if (auto v = read_number(e, "training.cpu_limit", 0, kMaxTrainingCores, ctx)) training.cpu_limit = *v;
        }},
       {"priority",
        [&](const MappingEntry& e) {
          if (auto v = read_choice(e, "training.priority", {"idle", "low", "normal"}, ctx))
            training.priority = *v == "idle"  ? TrainingSettings::Priority::Idle
                                : *v == "low" ? TrainingSettings::Priority::Low
                                              : TrainingSettings::Priority::Normal;
        }}},
      ctx);
  check_batch_fits_queue(read, "training", "batch_max_insights", training.batch_max_insights,
                         training.queue_capacity, ctx);
}

void parse_sinks(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  SinkSettings& sinks = config.sinks;
  auto ms = [](int64_t v) { return std::chrono::milliseconds(v); };
  auto read = read_section(
      entry,
      {{"queue_capacity", {1, kMaxQueue, [&](int64_t v) { sinks.queue_capacity = size_t(v); }}},
       {"batch_max_insights", {1, 100'000, [&](int64_t v) { sinks.batch_max_insights = size_t(v); }}},
       {"batch_max_wait_ms", {1, kMaxWaitMs, [&](int64_t v) { sinks.batch_max_wait = ms(v); }}},
       {"retry_initial_ms", {1, kMaxWaitMs, [&](int64_t v) { sinks.retry_initial = ms(v); }}},
       {"retry_max_ms", {1, kMaxWaitMs, [&](int64_t v) { sinks.retry_max = ms(v); }}},
       {"max_attempts", {1, 1'000'000, [&](int64_t v) { sinks.max_attempts = size_t(v); }}}},
      {}, ctx);
  check_batch_fits_queue(read, "sinks", "batch_max_insights", sinks.batch_max_insights, sinks.queue_capacity, ctx);
  if (sinks.retry_max < sinks.retry_initial && read.contains("retry_max_ms"))
    ctx.report(value_mark(read.at("retry_max_ms")), "sinks.retry_max_ms must not be less than sinks.retry_initial_ms");
}

void parse_shutdown(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx) {
  read_section(entry,
               {{"timeout_ms", {1, kMaxWaitMs, [&](int64_t v) { config.shutdown_timeout = std::chrono::milliseconds(v); }}}},
               {}, ctx);
}

}  // namespace nebula::host
