#include "ingest/economics_group.hpp"

#include <string>

#include "ingest/object_fields.hpp"

namespace nebula::host {
namespace {

enum class Leaf { Gwei, Ratio, Count, Percentiles, Unknown };

// A fee above a million gwei per gas (0.001 ETH) is a unit mix-up (wei sent as gwei).
constexpr double kMaxGwei = 1e6;
// More queued transactions than any client keeps: a counter read wrongly.
constexpr double kMaxTransactions = 1e9;
constexpr double kMaxFeeBlocks = 1024;  // eth_feeHistory's own cap

Leaf leaf_kind(std::string_view leaf) {
  if (leaf == "base_fee_gwei" || leaf == "gas_price_gwei") return Leaf::Gwei;
  if (leaf == "gas_used_ratio") return Leaf::Ratio;
  if (leaf == "mempool_pending" || leaf == "mempool_queued" || leaf == "fee_blocks") return Leaf::Count;
  if (leaf == "priority_fee_gwei") return Leaf::Percentiles;
  return Leaf::Unknown;
}

bool gwei(FieldReader& rd, const std::string& field, JsonValue v) {
  const auto d = rd.amount(field, v);
  if (d && *d > kMaxGwei) {
    rd.fail(field, "must be at most " + std::to_string(static_cast<long>(kMaxGwei)) + " gwei (was a wei value sent?)");
    return false;
  }
  return d.has_value();
}

// {"p10": gwei, "p50": gwei, ...}: keys "p" + a percentile 0..100.
bool percentiles(FieldReader& rd, const std::string& field, JsonValue v) {
  if (!v.is_object()) {
    rd.fail(field, "must be an object of percentiles, e.g. {\"p50\": 1.5}");
    return false;
  }
  bool ok = true;
  for (const auto& [key, value] : ObjectFields(v.get_object().value_unsafe())) {
    const std::string name = field + "." + std::string(key);
    const bool named = key.size() >= 2 && key.size() <= 4 && key[0] == 'p' &&
                       key.find_first_not_of("0123456789", 1) == std::string_view::npos &&
                       std::stoi(std::string(key.substr(1))) <= 100;
    if (!named) {
      rd.fail(name, "is not a percentile name (p0 .. p100)");
      ok = false;
    } else if (!value.is_null() && !gwei(rd, name, value)) {
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int read_economics(FieldReader& rd, ExtraFields& extra, std::string_view key, JsonValue group) {
  if (group.is_null()) return 0;
  if (!group.is_object()) {
    rd.fail(key, "must be an object");
    return 0;
  }
  int found = 0;
  std::string field;
  for (const auto& [leaf, value] : ObjectFields(group.get_object().value_unsafe())) {
    extra.add(kEconomicsGroup, leaf, value);
    const Leaf kind = leaf_kind(leaf);
    if (kind == Leaf::Unknown || value.is_null()) continue;
    field.assign(kEconomicsGroup).append(".").append(leaf);
    bool ok = false;
    switch (kind) {
      case Leaf::Gwei: ok = gwei(rd, field, value); break;
      case Leaf::Ratio: ok = rd.fraction(field, value).has_value(); break;
      case Leaf::Count: {
        const auto n = rd.count(field, value);
        const double max = leaf == "fee_blocks" ? kMaxFeeBlocks : kMaxTransactions;
        if (n && static_cast<double>(*n) > max) rd.fail(field, "must be at most " + std::to_string(static_cast<long>(max)));
        ok = n && static_cast<double>(*n) <= max;
        break;
      }
      case Leaf::Percentiles: ok = percentiles(rd, field, value); break;
      case Leaf::Unknown: break;
    }
    found += ok;
  }
  return found;
}

}  // namespace nebula::host
