#include "seq_dedup.hpp"

#include <algorithm>

namespace nebula::data_stream {

SeqDedup::SeqDedup(size_t span) : span_((std::max<size_t>(span, 64) + 63) / 64 * 64), bits_(span_ / 64, 0) {}

size_t SeqDedup::slot(int64_t seq) const {
  const auto span = static_cast<int64_t>(span_);
  return static_cast<size_t>(((seq % span) + span) % span);
}
bool SeqDedup::test(int64_t seq) const { return (bits_[slot(seq) / 64] >> (slot(seq) % 64)) & 1; }
void SeqDedup::set(int64_t seq) { bits_[slot(seq) / 64] |= uint64_t{1} << (slot(seq) % 64); }
void SeqDedup::clear(int64_t seq) { bits_[slot(seq) / 64] &= ~(uint64_t{1} << (slot(seq) % 64)); }

void SeqDedup::start(int64_t seq, double time) {
  std::fill(bits_.begin(), bits_.end(), 0);
  started_ = true;
  highest_ = seq;
  newest_time_ = time;
  set(seq);
}

SeqDedup::Verdict SeqDedup::check(int64_t seq, double time) {
  if (!started_) {
    start(seq, time);
    return Verdict::New;
  }
  if (seq > highest_) {
    // Slots of the seqs skipped over now stand for newer seqs: clear them.
    if (static_cast<uint64_t>(seq - highest_) >= span_) std::fill(bits_.begin(), bits_.end(), 0);
    else
      for (int64_t s = highest_ + 1; s < seq; ++s) clear(s);
    highest_ = seq;
    newest_time_ = std::max(newest_time_, time);
    set(seq);
    return Verdict::New;
  }
  // A lower seq cannot be newer than what we have: the node started counting again.
  // (A retransmission carries its original, not newer, timestamp.)
  if (time > newest_time_) {
    start(seq, time);
    return Verdict::Restart;
  }
  if (static_cast<uint64_t>(highest_ - seq) >= span_) return Verdict::Stale;
  if (test(seq)) return Verdict::Duplicate;
  set(seq);
  return Verdict::New;
}

}  // namespace nebula::data_stream
