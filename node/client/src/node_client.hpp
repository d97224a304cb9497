// What a nebula_node handle is: the record buffer, the delivery workers and
// a maintenance thread (spill syncs, seq reservations), wired from a config.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "delivery_stats.hpp"
#include "delivery_worker.hpp"
#include "logger.hpp"
#include "node_config.hpp"
#include "record_buffer.hpp"
#include "record_stamp.hpp"
#include "stop_signal.hpp"

namespace nebula::node {

class NodeClient {
 public:
  // Loads the transport plugins and the spill, then starts the threads.
  // Throws std::invalid_argument / std::runtime_error with a reason.
  explicit NodeClient(NodeConfig config);
  // Bounded flush, stop, keep what is left on disk.
  ~NodeClient();
  NodeClient(const NodeClient&) = delete;
  NodeClient& operator=(const NodeClient&) = delete;

  // [thread-safe] Throws std::invalid_argument on a bad record.
  void record(std::string_view record_json);
  // [thread-safe] True when everything recorded before the call was settled in time.
  bool flush(std::chrono::milliseconds timeout);
  std::string stats_json() const;
  std::uint64_t pending() const { return buffer_->pending(); }
  Logger& logger() { return log_; }

 private:
  void maintain();
  void save_reservations();

  NodeConfig config_;
  Logger log_;
  StampDefaults defaults_;
  std::vector<EndpointPlan> endpoints_;
  std::filesystem::path state_file_;
  std::unique_ptr<RecordBuffer> buffer_;
  DeliveryStats stats_;
  StopSignal stop_;
  std::vector<std::unique_ptr<DeliveryWorker>> workers_;
  std::vector<std::thread> threads_;
  std::string last_spill_error_;  // maintenance thread only
};

}  // namespace nebula::node
