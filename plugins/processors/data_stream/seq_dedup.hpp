// Per-node de-duplication by `seq` in bounded memory: the highest seq seen
// plus a ring bitmap of the `span` seqs below it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nebula::data_stream {

class SeqDedup {
 public:
  enum class Verdict {
    New,        // first time this seq is seen
    Duplicate,  // seen before
    Stale,      // older than the remembered span: cannot tell, treated as a duplicate
    Restart,    // lower seq with a newer timestamp: the node restarted; state reset
  };

  explicit SeqDedup(size_t span = 1024);

  Verdict check(int64_t seq, double time);

 private:
  size_t slot(int64_t seq) const;
  bool test(int64_t seq) const;
  void set(int64_t seq);
  void clear(int64_t seq);
  void start(int64_t seq, double time);

  size_t span_;  // a multiple of 64
  std::vector<uint64_t> bits_;
  bool started_ = false;
  int64_t highest_ = 0;
  double newest_time_ = 0;  // newest timestamp among accepted seqs
};

}  // namespace nebula::data_stream
