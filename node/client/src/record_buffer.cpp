#include "record_buffer.hpp"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "batch_document.hpp"

namespace nebula::node {

namespace {
using Clock = std::chrono::steady_clock;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Spill lines read back per refill: bounds how long one refill holds the lock.
constexpr std::size_t kRefillChunk = 4096;
}  // namespace

RecordBuffer::RecordBuffer(BufferLimits limits, std::unique_ptr<SpillFile> spill, const SeqMap& saved,
                           const Logger& log)
    : limits_(limits), spill_(std::move(spill)), log_(log) {
  for (const auto& [id, next] : saved) {
    auto& n = node_locked(id);
    n.next_seq = std::max(n.next_seq, next);
  }
  // Tickets of the inherited spill lines are 0..unread-1: older than anything recorded now.
  spill_->scan([this](const SpillLine& line) {
    auto& n = node_locked(line.node_id);
    n.next_seq = std::max(n.next_seq, line.seq + 1);
  });
  next_ticket_ = spill_->unread();
  spill_head_ticket_ = 0;
  if (spill_->unread() > 0)
    log_.info("resuming " + std::to_string(spill_->unread()) + " undelivered records from " + spill_->path().string());
}

RecordBuffer::NodeQueue& RecordBuffer::node_locked(const std::string& id) {
  auto it = index_.find(id);
  if (it != index_.end()) return nodes_[it->second];
  index_.emplace(id, nodes_.size());
  NodeQueue& n = nodes_.emplace_back();
  n.id = id;
  n.id_json = nlohmann::json(id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return n;
}

void RecordBuffer::declare_node(const std::string& id) {
  std::lock_guard lock(mu_);
  node_locked(id);
}

void RecordBuffer::push(PreparedRecord record) {
  std::lock_guard lock(mu_);
  NodeQueue& n = node_locked(record.node_id);
  std::int64_t seq = 0;
  std::string json;
  if (record.seq) {
    seq = *record.seq;
    json = std::move(record.json);
    n.next_seq = std::max(n.next_seq, seq + 1);
  } else {
    seq = n.next_seq++;
    json = with_seq(record.json, seq);
  }
  const std::uint64_t ticket = next_ticket_++;
  ++recorded_;

  if (!spilling_locked() && in_memory_ < limits_.max_records) {
    const bool was_empty = n.records.empty();
    n.records.push_back(Pending{ticket, seq, Clock::now(), std::move(json)});
    ++in_memory_;
    // Workers only need waking when a node's due time changes: its first
    // record (a new flush-interval deadline) or a full batch.
    if (was_empty || n.records.size() == limits_.batch_size || in_memory_ * 4 == limits_.max_records * 3)
      work_cv_.notify_one();
    return;
  }
  const bool starts_spilling = !spilling_locked();
  if (starts_spilling) spill_head_ticket_ = ticket;
  spill_->append(n.id, seq, json);
  if (starts_spilling) {
    work_cv_.notify_all();  // spilling makes partial batches due
    if (!warned_spilling_) {
      warned_spilling_ = true;
      log_.warn("memory buffer full (" + std::to_string(limits_.max_records) + " records); spilling to " +
                spill_->path().string());
    }
  }
}

void RecordBuffer::refill_locked() {
  if (!spilling_locked() || in_memory_ > limits_.max_records / 2) return;
  std::vector<SpillLine> lines;
  const std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(limits_.max_records - in_memory_, kRefillChunk));
  const std::size_t consumed = spill_->read(std::max<std::size_t>(room, 1), lines);
  std::uint64_t ticket = spill_head_ticket_;
  spill_head_ticket_ += consumed;
  const auto now = Clock::now();
  // Damaged lines were consumed too; the surviving ones keep their relative order.
  const std::uint64_t skipped = consumed - lines.size();
  if (skipped) log_.error(std::to_string(skipped) + " damaged line(s) in " + spill_->path().string() + " skipped");
  ticket += skipped;
  for (auto& line : lines) {
    NodeQueue& n = node_locked(line.node_id);
    n.records.push_back(Pending{ticket++, line.seq, now, std::move(line.record)});
    ++in_memory_;
  }
  if (!spilling_locked()) warned_spilling_ = false;
}

Batch RecordBuffer::cut_batch_locked(std::size_t index) {
  NodeQueue& n = nodes_[index];
  const std::size_t count = std::min(limits_.batch_size, n.records.size());
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < count; ++i) bytes += n.records[i].json.size() + 1;
  BatchDocument doc(n.id_json, bytes);
  for (std::size_t i = 0; i < count; ++i) doc.add(n.records[i].json);
  n.in_flight = true;
  Batch b;
  b.node = index;
  b.node_id = n.id;
  b.count = count;
  b.first_seq = n.records.front().seq;
  b.last_seq = n.records[count - 1].seq;
  b.document = doc.finish(wall_seconds());
  return b;
}

std::optional<Batch> RecordBuffer::next_batch() {
  std::unique_lock lock(mu_);
  while (!stopped_) {
    refill_locked();
    const auto now = Clock::now();
    // Waiting for fuller batches only pays while memory has room: past 3/4 of
    // the bound (many nodes, each with a partial batch) or once spilling, send now.
    const bool urgent = flushing_ > 0 || spilling_locked() || in_memory_ * 4 >= limits_.max_records * 3;
    auto earliest = Clock::time_point::max();
    const std::size_t count = nodes_.size();
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t index = (cursor_ + i) % count;
      const NodeQueue& n = nodes_[index];
      if (n.in_flight || n.records.empty()) continue;
      const auto due = n.records.front().since + limits_.flush_interval;
      if (urgent || n.records.size() >= limits_.batch_size || now >= due) {
        cursor_ = index + 1;
        return cut_batch_locked(index);
      }
      earliest = std::min(earliest, due);
    }
    if (earliest == Clock::time_point::max()) work_cv_.wait(lock);
    else work_cv_.wait_until(lock, earliest);
  }
  return std::nullopt;
}

void RecordBuffer::settle(const Batch& batch, std::uint32_t rejected) {
  {
    std::lock_guard lock(mu_);
    NodeQueue& n = nodes_[batch.node];
    const std::size_t count = std::min(batch.count, n.records.size());
    n.records.erase(n.records.begin(), n.records.begin() + static_cast<std::ptrdiff_t>(count));
    n.in_flight = false;
    in_memory_ -= count;
    const std::uint64_t refused = std::min<std::uint64_t>(rejected, count);
    rejected_ += refused;
    delivered_ += count - refused;
  }
  settled_cv_.notify_all();
  work_cv_.notify_all();  // this node may have another batch due; memory may allow a refill
}

void RecordBuffer::give_back(const Batch& batch) {
  {
    std::lock_guard lock(mu_);
    nodes_[batch.node].in_flight = false;
  }
  work_cv_.notify_one();
}

std::uint64_t RecordBuffer::ticket_now() const {
  std::lock_guard lock(mu_);
  return next_ticket_;
}

void RecordBuffer::begin_flush() {
  {
    std::lock_guard lock(mu_);
    ++flushing_;
  }
  work_cv_.notify_all();
}

void RecordBuffer::end_flush() {
  std::lock_guard lock(mu_);
  --flushing_;
}

std::uint64_t RecordBuffer::min_unsettled_locked() const {
  std::uint64_t lowest = spilling_locked() ? spill_head_ticket_ : next_ticket_;
  for (const auto& n : nodes_)
    if (!n.records.empty()) lowest = std::min(lowest, n.records.front().ticket);
  return lowest;
}

bool RecordBuffer::wait_settled(std::uint64_t ticket, Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return settled_cv_.wait_until(lock, deadline, [&] { return min_unsettled_locked() >= ticket; });
}

void RecordBuffer::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  work_cv_.notify_all();
  settled_cv_.notify_all();
}

std::string RecordBuffer::sync_spill() {
  std::lock_guard lock(mu_);
  return spill_->sync() ? std::string() : spill_->last_error();
}

bool RecordBuffer::extend_reservations(SeqMap& out) {
  std::lock_guard lock(mu_);
  bool changed = false;
  out.clear();
  for (auto& n : nodes_) {
    if (n.next_seq + kSeqReserve / 2 > n.reserved) {
      n.reserved = n.next_seq + kSeqReserve;
      changed = true;
    }
    out[n.id] = n.reserved;
  }
  return changed;
}

SeqMap RecordBuffer::persist() {
  std::lock_guard lock(mu_);
  std::vector<const Pending*> order;
  std::vector<const NodeQueue*> owner;
  for (const auto& n : nodes_)
    for (const auto& p : n.records) {
      order.push_back(&p);
      owner.push_back(&n);
    }
  std::vector<std::size_t> idx(order.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return order[a]->ticket < order[b]->ticket; });
  std::vector<SpillLine> front;
  front.reserve(idx.size());
  for (std::size_t i : idx) front.push_back(SpillLine{owner[i]->id, order[i]->seq, order[i]->json});
  if (!front.empty() || spill_->unread() > 0) {
    try {
      spill_->rewrite_with_front(front);
      if (spill_->unread() > 0)
        log_.info(std::to_string(spill_->unread()) + " undelivered records kept in " + spill_->path().string() +
                  " for the next start");
    } catch (const std::exception& e) {
      log_.error(std::string("could not keep ") + std::to_string(front.size()) +
                 " undelivered records on disk: " + e.what());
    }
  }
  for (auto& n : nodes_) n.records.clear();
  in_memory_ = 0;
  SeqMap next;
  for (const auto& n : nodes_) next[n.id] = n.next_seq;
  return next;
}

BufferCounts RecordBuffer::counts() const {
  std::lock_guard lock(mu_);
  BufferCounts c;
  c.recorded = recorded_;
  c.buffered = in_memory_;
  c.spilled = spill_->unread();
  c.delivered = delivered_;
  c.rejected = rejected_;
  c.nodes = nodes_.size();
  return c;
}

std::uint64_t RecordBuffer::pending() const {
  std::lock_guard lock(mu_);
  return in_memory_ + spill_->unread();
}

}  // namespace nebula::node
