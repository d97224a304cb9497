#include "node_client.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "plugin_loader.hpp"

namespace nebula::node {

namespace {
constexpr std::chrono::milliseconds kMaintenancePeriod{200};

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

NodeClient::NodeClient(NodeConfig config) : config_(std::move(config)) {
  log_.set_level(config_.log_level);
  defaults_ = StampDefaults{config_.node_id, config_.node_type, config_.chain_id};

  std::map<std::string, TransportPlugin> plugins;
  for (const auto& url : config_.endpoints) {
    const std::string id = transport_for_endpoint(url, config_.transport);
    auto it = plugins.find(id);
    if (it == plugins.end()) it = plugins.emplace(id, find_transport_plugin(id, config_.plugin_dirs)).first;
    endpoints_.push_back(EndpointPlan{url, it->second.client});
    log_.debug("endpoint " + url + " via " + id + " (" + it->second.file + ")");
  }

  auto spill = std::make_unique<SpillFile>(config_.spill_dir);
  state_file_ = std::filesystem::path(config_.spill_dir) / "state.json";
  std::string warning;
  const SeqMap saved = load_seq_state(state_file_, &warning);
  if (!warning.empty()) log_.warn(warning);
  buffer_ = std::make_unique<RecordBuffer>(
      BufferLimits{config_.batch_size, config_.flush_interval, config_.buffer_max_records}, std::move(spill), saved,
      log_);
  if (!config_.node_id.empty()) buffer_->declare_node(config_.node_id);
  save_reservations();  // before the first record: a crash from here on never reuses a seq

  for (unsigned i = 0; i < config_.workers; ++i)
    workers_.push_back(std::make_unique<DeliveryWorker>(i, *buffer_, endpoints_, config_.transport_config,
                                                        config_.backoff, stats_, stop_, log_));
  try {
    for (auto& w : workers_) threads_.emplace_back([worker = w.get()] { worker->run(); });
    threads_.emplace_back([this] { maintain(); });
  } catch (...) {  // a thread that cannot start must not leave the others running
    stop_.stop();
    buffer_->stop();
    for (auto& t : threads_) t.join();
    throw;
  }
}

NodeClient::~NodeClient() {
  if (!flush(config_.shutdown_timeout))
    log_.warn("shutdown: " + std::to_string(buffer_->pending()) + " records not delivered within " +
              std::to_string(config_.shutdown_timeout.count()) + " ms; keeping them in " + config_.spill_dir);
  stop_.stop();
  buffer_->stop();
  for (auto& t : threads_) t.join();  // an in-flight deliver() finishes first (transport timeouts bound it)
  const SeqMap exact = buffer_->persist();
  try {
    save_seq_state(state_file_, exact);
  } catch (const std::exception& e) {
    log_.error(e.what());
  }
}

void NodeClient::record(std::string_view record_json) {
  buffer_->push(prepare_record(record_json, defaults_, wall_seconds()));
}

bool NodeClient::flush(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::uint64_t target = buffer_->ticket_now();
  buffer_->begin_flush();
  const bool done = buffer_->wait_settled(target, deadline);
  buffer_->end_flush();
  return done;
}

void NodeClient::save_reservations() {
  SeqMap reserve;
  if (!buffer_->extend_reservations(reserve)) return;
  try {
    save_seq_state(state_file_, reserve);
  } catch (const std::exception& e) {
    log_.warn(std::string("cannot save sequence numbers: ") + e.what());
  }
}

void NodeClient::maintain() {
  while (stop_.sleep_for(kMaintenancePeriod)) {
    std::string error = buffer_->sync_spill();
    if (!error.empty() && error != last_spill_error_) {
      log_.error(error);
      stats_.set_error(error);
    }
    last_spill_error_ = std::move(error);
    save_reservations();
  }
}

std::string NodeClient::stats_json() const {
  const BufferCounts c = buffer_->counts();
  nlohmann::json j{{"node_id", config_.node_id},
                   {"nodes", c.nodes},
                   {"recorded", c.recorded},
                   {"buffered", c.buffered},
                   {"spilled", c.spilled},
                   {"pending", c.buffered + c.spilled},
                   {"delivered", c.delivered},
                   {"rejected", c.rejected},
                   {"batches", stats_.batches.load()},
                   {"attempts", stats_.attempts.load()},
                   {"retries", stats_.retries.load()},
                   {"failovers", stats_.failovers.load()},
                   {"endpoint", stats_.endpoint()},
                   {"last_error", stats_.last_error()}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nebula::node
