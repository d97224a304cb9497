// The client's store of undelivered records: one FIFO per node in memory up
// to max_records in total, then the spill file.
//
// Order: once anything is spilled, every new record goes to the spill too,
// until the spill has been read back (oldest first) into memory. So a node's
// records in memory are always older than its records on disk, and batches
// cut from the front of a node's FIFO keep per-node order. A node has at most
// one batch in flight; its records leave the buffer only when settled
// (accepted, or rejected as invalid), never when merely sent.
//
// Every record gets a ticket (a global arrival number) so flush() can wait
// for "everything recorded before this call" with many nodes in play.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "logger.hpp"
#include "record_stamp.hpp"
#include "seq_store.hpp"
#include "spill_file.hpp"

namespace nebula::node {

struct BufferLimits {
  std::size_t batch_size = 50;
  std::chrono::milliseconds flush_interval{30'000};  // a partial batch waits at most this long
  std::size_t max_records = 10'000;                  // in memory, in flight included
};

// A batch cut from one node's FIFO; its records stay buffered until settle().
struct Batch {
  std::size_t node = 0;
  std::string node_id;
  std::size_t count = 0;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::string document;  // the data_batch JSON text
};

struct BufferCounts {
  std::uint64_t recorded = 0;   // accepted by push() since start
  std::uint64_t buffered = 0;   // in memory (in flight included)
  std::uint64_t spilled = 0;    // in the spill file, unread
  std::uint64_t delivered = 0;  // accepted by the pool
  std::uint64_t rejected = 0;   // refused by the pool as invalid, dropped
  std::uint64_t nodes = 0;
};

class RecordBuffer {
 public:
  // Takes over a spill that may hold a previous process's records (they come
  // first) and recovers seq counters from them and from `saved`.
  RecordBuffer(BufferLimits limits, std::unique_ptr<SpillFile> spill, const SeqMap& saved, const Logger& log);

  // Makes a node known before its first record, so its seq reservation is
  // saved at once (the config's node_id, at create).
  void declare_node(const std::string& id);

  // [thread-safe] Queues one record, assigning its seq if it has none. Never
  // waits for delivery: memory, or the spill past the bound.
  void push(PreparedRecord record);

  // [thread-safe] Blocks until some node has a batch due (full, older than
  // flush_interval, a flush is running, memory is 3/4 full or spilling) and hands
  // it out; nullopt once stop() was called.
  std::optional<Batch> next_batch();
  // The pool settled the batch: `rejected` of its records were refused.
  void settle(const Batch& batch, std::uint32_t rejected);
  // The batch was not delivered (shutting down); it stays first in line.
  void give_back(const Batch& batch);

  // flush(): while any flush runs, partial batches are due at once.
  std::uint64_t ticket_now() const;
  void begin_flush();
  void end_flush();
  // Waits until every record with a ticket below `ticket` is settled.
  bool wait_settled(std::uint64_t ticket, std::chrono::steady_clock::time_point deadline);

  void stop();
  // Maintenance: hands spilled lines to the OS; returns the spill error, if any.
  std::string sync_spill();
  // Raises each node's seq reservation when its counter nears it; returns
  // true (and the map to save) when something changed.
  bool extend_reservations(SeqMap& out);
  // Clean shutdown, after the workers stopped: memory goes back in front of
  // the spill's unread lines on disk; returns the exact next seq per node.
  SeqMap persist();

  BufferCounts counts() const;
  std::uint64_t pending() const;

  static constexpr std::int64_t kSeqReserve = 10'000;

 private:
  struct Pending {
    std::uint64_t ticket;
    std::int64_t seq;
    std::chrono::steady_clock::time_point since;  // entered memory
    std::string json;
  };
  struct NodeQueue {
    std::string id;
    std::string id_json;
    std::deque<Pending> records;
    bool in_flight = false;
    std::int64_t next_seq = 0;
    std::int64_t reserved = 0;  // persisted seq reservation
  };

  NodeQueue& node_locked(const std::string& id);
  void refill_locked();
  Batch cut_batch_locked(std::size_t index);
  std::uint64_t min_unsettled_locked() const;
  bool spilling_locked() const { return spill_->unread() > 0; }

  const BufferLimits limits_;
  const std::unique_ptr<SpillFile> spill_;
  const Logger& log_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;     // a batch may be due
  std::condition_variable settled_cv_;  // records were settled
  std::vector<NodeQueue> nodes_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t cursor_ = 0;  // round-robin start, so no node starves
  std::uint64_t in_memory_ = 0;
  std::uint64_t next_ticket_ = 0;
  std::uint64_t spill_head_ticket_ = 0;  // ticket of the oldest unread spill line
  std::uint64_t recorded_ = 0, delivered_ = 0, rejected_ = 0;
  int flushing_ = 0;
  bool stopped_ = false;
  bool warned_spilling_ = false;
};

}  // namespace nebula::node
