#include "delivery_worker.hpp"

#include <algorithm>
#include <random>

namespace nebula::node {

namespace {
constexpr std::chrono::milliseconds kMaxRetryAfter{10 * 60 * 1000};

const char* status_name(nebula_status s) {
  switch (s) {
    case NEBULA_OK: return "OK";
    case NEBULA_RETRY: return "RETRY";
    case NEBULA_INVALID: return "INVALID";
    case NEBULA_IO: return "IO";
    case NEBULA_INTERNAL: return "INTERNAL";
    case NEBULA_UNSUPPORTED: return "UNSUPPORTED";
    case NEBULA_NOT_FOUND: return "NOT_FOUND";
  }
  return "?";
}
}  // namespace

DeliveryWorker::DeliveryWorker(unsigned index, RecordBuffer& buffer, const std::vector<EndpointPlan>& endpoints,
                               const std::string& transport_config, const BackoffConfig& backoff, DeliveryStats& stats,
                               StopSignal& stop, const Logger& log)
    : buffer_(buffer),
      backoff_(backoff.initial, backoff.max, std::random_device{}() ^ (static_cast<std::uint64_t>(index) << 32)),
      stats_(stats),
      stop_(stop),
      log_(log) {
  clients_.reserve(endpoints.size());
  for (const auto& e : endpoints) clients_.emplace_back(e.table, e.url, transport_config);
}

void DeliveryWorker::run() {
  while (auto batch = buffer_.next_batch()) deliver(*batch);
}

std::string DeliveryWorker::describe(const Batch& b) const {
  return std::to_string(b.count) + " record(s) of node " + b.node_id + " (seq " + std::to_string(b.first_seq) + ".." +
         std::to_string(b.last_seq) + ")";
}

void DeliveryWorker::settle(const Batch& batch, std::uint32_t rejected, const std::string& message) {
  if (rejected) {
    const std::string text = "pool rejected " + std::to_string(rejected) + " of " + describe(batch) +
                             " as invalid; dropped: " + message;
    log_.error(text);
    stats_.set_error(text);
  }
  buffer_.settle(batch, rejected);
  ++stats_.batches;
}

void DeliveryWorker::deliver(const Batch& batch) {
  backoff_.reset();
  std::size_t round_start = current_;
  for (;;) {
    TransportClient& client = clients_[current_];
    const DeliveryOutcome out = client.deliver(batch.document);
    ++stats_.attempts;
    const auto count = static_cast<std::uint32_t>(batch.count);

    if (out.status == NEBULA_OK) {
      stats_.set_endpoint(client.endpoint());
      settle(batch, std::min(out.rejected, count), out.message);
      return;
    }
    if (out.status == NEBULA_INVALID && !out.create_failed) {
      // No count means the whole batch was refused.
      settle(batch, out.rejected ? std::min(out.rejected, count) : count, out.message);
      return;
    }

    ++stats_.retries;
    const std::string why = client.endpoint() + ": " + status_name(out.status) + " " + out.message;
    stats_.set_error(why);
    std::chrono::milliseconds wait{0};
    if (out.status == NEBULA_RETRY && out.retry_after_ms > 0) {
      // The pool is up but full: it knows best when to come back. The cap
      // only guards against a nonsense hint.
      wait = std::min(std::chrono::milliseconds(out.retry_after_ms), kMaxRetryAfter);
      log_.debug("pool busy (" + why + "); retrying " + describe(batch) + " in " + std::to_string(wait.count()) + " ms");
    } else {
      if (out.status == NEBULA_IO || out.create_failed) client.reset();
      if (clients_.size() > 1) {
        current_ = (current_ + 1) % clients_.size();
        ++stats_.failovers;
        log_.warn("delivery failed (" + why + "); failing over to " + clients_[current_].endpoint());
        if (current_ != round_start) continue;  // the next endpoint gets a chance at once
      }
      wait = backoff_.next();
      // Loud on the first failure of a batch, quiet while the outage lasts.
      log_.log(backoff_.attempts() == 1 ? NEBULA_NODE_LOG_WARN : NEBULA_NODE_LOG_DEBUG,
               "delivery failed (" + why + "); retrying " + describe(batch) + " in " + std::to_string(wait.count()) +
                   " ms");
    }
    if (!stop_.sleep_for(wait)) {
      buffer_.give_back(batch);
      return;
    }
    round_start = current_;
  }
}

}  // namespace nebula::node
