#include "wal/dedup_index.hpp"

#include <boost/crc.hpp>

#include <cstring>
#include <functional>

namespace nebula::wal {
namespace {

constexpr uint32_t kSnapshotMagic = 0x4E444458u;  // "XDDN"
constexpr size_t kWindowBytes = DedupIndex::kWindow / 8;

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
bool take(std::string_view& in, T& v) {
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}

uint32_t crc_of(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

}  // namespace

bool DedupIndex::seen(std::string_view node, int64_t seq) const {
  const Window* w = nodes_.find(node);
  if (!w || seq > w->max_seq) return false;
  const int64_t age = w->max_seq - seq;
  return age < kWindow && w->seen.test(static_cast<size_t>(age));
}

std::vector<bool> DedupIndex::fresh(std::span<const SeqKey> keys) const {
  std::vector<bool> keep(keys.size(), true);
  // Open addressing over indices into `keys`, at most half full: a payload
  // repeat finds the earlier equal key in its probe run.
  constexpr uint32_t kFree = UINT32_MAX;
  size_t slots = 16;
  while (slots < 2 * keys.size()) slots *= 2;
  std::vector<uint32_t> table(slots, kFree);
  for (size_t i = 0; i < keys.size(); ++i) {
    const SeqKey& key = keys[i];
    if (!key.seq) continue;
    if (seen(key.node, *key.seq)) {
      keep[i] = false;
      continue;
    }
    size_t slot = std::hash<std::string_view>{}(key.node) ^ (static_cast<uint64_t>(*key.seq) * 0x9E3779B97F4A7C15ull);
    for (;; ++slot) {
      uint32_t& entry = table[slot & (slots - 1)];
      if (entry == kFree) {
        entry = static_cast<uint32_t>(i);
        break;
      }
      if (keys[entry].seq == key.seq && keys[entry].node == key.node) {
        keep[i] = false;
        break;
      }
    }
  }
  return keep;
}

void DedupIndex::mark(std::string_view node, int64_t seq, bool replaying) {
  Window& w = nodes_.touch(node);
  if (seq > w.max_seq) {
    const int64_t shift = w.max_seq < 0 ? kWindow : seq - w.max_seq;
    w.seen = shift >= kWindow ? std::bitset<kWindow>{} : w.seen << static_cast<size_t>(shift);
    w.max_seq = seq;
    w.seen.set(0);
    return;
  }
  const int64_t age = w.max_seq - seq;
  if (age < kWindow) {
    w.seen.set(static_cast<size_t>(age));
  } else if (!replaying) {
    ++resets_;
    w.max_seq = seq;
    w.seen.reset();
    w.seen.set(0);
  }
}

// magic | count u64 | per node: id length u32, id, max_seq i64, window bits | crc32 of all before
std::string DedupIndex::snapshot() const {
  std::string out;
  put<uint32_t>(out, kSnapshotMagic);
  put<uint64_t>(out, nodes_.size());
  for (auto it = nodes_.end(); it != nodes_.begin();) {  // oldest first, so load keeps the LRU order
    --it;
    put<uint32_t>(out, static_cast<uint32_t>(it->first.size()));
    out.append(it->first);
    put<int64_t>(out, it->second.max_seq);
    for (size_t byte = 0; byte < kWindowBytes; ++byte) {
      uint8_t bits = 0;
      for (size_t b = 0; b < 8; ++b) bits |= static_cast<uint8_t>(it->second.seen.test(byte * 8 + b)) << b;
      put<uint8_t>(out, bits);
    }
  }
  put<uint32_t>(out, crc_of(out));
  return out;
}

bool DedupIndex::load(std::string_view bytes) {
  if (bytes.size() < 16) return false;
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  std::string_view in = bytes.substr(0, bytes.size() - 4);
  if (crc_of(in) != stored_crc) return false;
  uint32_t magic = 0;
  uint64_t count = 0;
  if (!take(in, magic) || magic != kSnapshotMagic || !take(in, count)) return false;
  LruMap<Window> loaded(nodes_.capacity());
  for (uint64_t i = 0; i < count; ++i) {
    uint32_t len = 0;
    if (!take(in, len) || in.size() < len) return false;
    Window& w = loaded.touch(in.substr(0, len));
    in.remove_prefix(len);
    if (!take(in, w.max_seq) || in.size() < kWindowBytes) return false;
    for (size_t byte = 0; byte < kWindowBytes; ++byte)
      for (size_t b = 0; b < 8; ++b)
        if (static_cast<uint8_t>(in[byte]) >> b & 1u) w.seen.set(byte * 8 + b);
    in.remove_prefix(kWindowBytes);
  }
  nodes_ = std::move(loaded);
  return true;
}

}  // namespace nebula::wal
