// One delivery thread: takes due batches from the buffer and retries each
// until the pool settles it, so a node's batches are delivered in order.
//
//   OK        -> settled (a partial refusal counts the refused records as rejected)
//   INVALID   -> the refused records are logged and dropped: they can never
//                become valid; the rest of the batch counts as delivered
//   RETRY with retry_after_ms -> wait exactly that (at most 10 min), same endpoint
//   anything else (IO, RETRY without a hint, a client that cannot be created)
//             -> this endpoint is unreachable: try the next endpoint at once,
//                and back off (full jitter) only after a whole round failed.
// The endpoint that worked stays current (sticky) until it fails.
#pragma once

#include <string>
#include <vector>

#include "backoff.hpp"
#include "delivery_stats.hpp"
#include "logger.hpp"
#include "node_config.hpp"
#include "record_buffer.hpp"
#include "stop_signal.hpp"
#include "transport_client.hpp"

namespace nebula::node {

struct EndpointPlan {
  std::string url;
  const nebula_transport_client_v1* table = nullptr;
};

class DeliveryWorker {
 public:
  DeliveryWorker(unsigned index, RecordBuffer& buffer, const std::vector<EndpointPlan>& endpoints,
                 const std::string& transport_config, const BackoffConfig& backoff, DeliveryStats& stats,
                 StopSignal& stop, const Logger& log);

  // Thread body: returns once the buffer is stopped.
  void run();

 private:
  void deliver(const Batch& batch);
  void settle(const Batch& batch, std::uint32_t rejected, const std::string& message);
  std::string describe(const Batch& batch) const;

  RecordBuffer& buffer_;
  std::vector<TransportClient> clients_;  // one per endpoint, in failover order
  std::size_t current_ = 0;
  Backoff backoff_;
  DeliveryStats& stats_;
  StopSignal& stop_;
  const Logger& log_;
};

}  // namespace nebula::node
