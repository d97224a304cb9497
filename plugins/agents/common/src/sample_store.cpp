#include "nebula_agents/sample_store.hpp"

#include <algorithm>
#include <cstring>

#include <nebula/host.hpp>

namespace nebula::agents {

void SampleRing::push(Sample s) {
  if (items_.size() < capacity_) {
    items_.push_back(std::move(s));
    return;
  }
  items_[next_] = std::move(s);
  next_ = (next_ + 1) % capacity_;
}

std::vector<const Sample*> SampleRing::all() const {
  std::vector<const Sample*> out;
  out.reserve(items_.size());
  for (const auto& s : items_) out.push_back(&s);
  return out;
}

std::vector<const Sample*> SampleRing::newest(size_t k) const {
  std::vector<const Sample*> out;
  const size_t n = items_.size();
  k = std::min(k, n);
  // The newest sample sits just before next_ once the ring has wrapped.
  const size_t end = n < capacity_ ? n : next_ + n;
  for (size_t i = 0; i < k; ++i) out.push_back(&items_[(end - 1 - i) % n]);
  return out;
}

SampleStore::SampleStore(size_t train_capacity, size_t val_capacity, size_t validation_every)
    : train_(train_capacity), val_(val_capacity), validation_every_(std::max<size_t>(validation_every, 2)) {}

bool SampleStore::add(Sample s) {
  const bool validation = (seen_++ % validation_every_) == validation_every_ - 1;
  (validation ? val_ : train_).push(std::move(s));
  return validation;
}

std::vector<const Sample*> SampleStore::minibatch(std::mt19937_64& rng, size_t size, size_t fresh) const {
  std::vector<const Sample*> out;
  if (train_.size() == 0) return out;
  // Half drawn from the newest `fresh` samples (new data gets attention),
  // at random: samples of one fleet step are strongly correlated, and always
  // taking the very newest would fit the model to the last interval's luck.
  const auto recent = train_.newest(fresh);
  if (!recent.empty()) {
    std::uniform_int_distribution<size_t> pick_recent(0, recent.size() - 1);
    for (size_t i = 0; i < size / 2; ++i) out.push_back(recent[pick_recent(rng)]);
  }
  std::uniform_int_distribution<size_t> pick(0, train_.size() - 1);
  while (out.size() < size) out.push_back(&train_.at(pick(rng)));
  return out;
}

namespace {

void put_u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_floats(std::string& out, const std::vector<float>& v) {
  put_u64(out, v.size());
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

struct Reader {
  const std::string& s;
  size_t pos = 0;
  uint64_t u64() {
    if (s.size() - pos < 8) throw Error(NEBULA_INVALID, "damaged agent checkpoint: sample reservoir truncated");
    uint64_t v;
    std::memcpy(&v, s.data() + pos, 8);
    pos += 8;
    return v;
  }
  std::vector<float> floats() {
    const uint64_t n = u64();
    if (n > 1u << 20 || (s.size() - pos) / sizeof(float) < n)
      throw Error(NEBULA_INVALID, "damaged agent checkpoint: sample reservoir truncated");
    std::vector<float> v(n);
    std::memcpy(v.data(), s.data() + pos, n * sizeof(float));
    pos += n * sizeof(float);
    return v;
  }
};

void encode_ring(std::string& out, const SampleRing& ring) {
  // Oldest first, so decoding by push() restores the ring's order.
  auto items = ring.newest(ring.size());
  put_u64(out, items.size());
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    put_floats(out, (*it)->x);
    put_floats(out, (*it)->y);
    put_floats(out, (*it)->mask);
  }
}

void decode_ring(Reader& r, SampleRing& ring) {
  const uint64_t n = r.u64();
  if (n > 1u << 24) throw Error(NEBULA_INVALID, "damaged agent checkpoint: impossible reservoir size");
  for (uint64_t i = 0; i < n; ++i) {
    Sample s;
    s.x = r.floats();
    s.y = r.floats();
    s.mask = r.floats();
    ring.push(std::move(s));
  }
}

}  // namespace

std::string SampleStore::encode() const {
  std::string out;
  put_u64(out, seen_);
  encode_ring(out, train_);
  encode_ring(out, val_);
  return out;
}

void SampleStore::decode(const std::string& bytes) {
  Reader r{bytes};
  SampleStore fresh(train_.capacity(), val_.capacity(), validation_every_);
  fresh.seen_ = r.u64();
  decode_ring(r, fresh.train_);
  decode_ring(r, fresh.val_);
  *this = std::move(fresh);
}

}  // namespace nebula::agents
