#include "node_roster.hpp"

#include <algorithm>
#include <stdexcept>

namespace nebula_sim {
namespace {

// Zero-padded so ids sort in fleet order; at least 5 digits, more if needed.
std::size_t id_width(std::size_t count) {
  std::size_t width = 1;
  for (std::size_t n = count > 0 ? count - 1 : 0; n >= 10; n /= 10) ++width;
  return std::max<std::size_t>(width, 5);
}

std::string padded(std::size_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

}  // namespace

NodeRoster::NodeRoster(const FleetConfig& config) {
  chain_ids_[0] = config.testnet.chain_id;
  chain_ids_[1] = config.mainnet.chain_id;
  if (chain_ids_[0].empty() || chain_ids_[1].empty() || chain_ids_[0] == chain_ids_[1]) {
    throw std::invalid_argument("fleet: testnet and mainnet need distinct, non-empty chain ids");
  }
  const std::size_t total =
      config.testnet_nodes + config.mainnet_nodes + config.basic_nodes + config.full_nodes + config.simple_nodes;
  if (total > UINT32_MAX) throw std::invalid_argument("fleet: too many nodes");
  nodes_.reserve(total);
  chain_.reserve(total);

  const auto add_all = [&](NodeType type, std::size_t count, auto chain_for) {
    const std::size_t width = id_width(count);
    for (std::size_t i = 0; i < count; ++i) add(type, i, width, chain_for(i));
  };
  add_all(NodeType::Testnet, config.testnet_nodes, [](std::size_t) { return 0; });
  add_all(NodeType::Mainnet, config.mainnet_nodes, [](std::size_t) { return 1; });
  // Basic and full nodes run on either network; alternate for an even split.
  add_all(NodeType::Basic, config.basic_nodes, [](std::size_t i) { return i % 2; });
  add_all(NodeType::Full, config.full_nodes, [](std::size_t i) { return i % 2; });
  add_all(NodeType::Simple, config.simple_nodes, [](std::size_t i) { return i % 2; });
}

void NodeRoster::add(NodeType type, std::size_t index, std::size_t width, std::uint8_t chain) {
  const auto i = static_cast<std::uint32_t>(nodes_.size());
  NodeInfo info;
  info.id = std::string(to_string(type)) + "-" + padded(index, width);
  info.type = type;
  info.chain_id = chain_ids_[chain];
  by_id_.emplace(info.id, i);
  nodes_.push_back(std::move(info));
  chain_.push_back(chain);
  members_[chain].push_back(i);
}

std::optional<std::uint32_t> NodeRoster::find(std::string_view node_id) const {
  const auto it = by_id_.find(node_id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> NodeRoster::chain_index(std::string_view chain_id) const {
  for (std::size_t c = 0; c < kChainCount; ++c) {
    if (chain_ids_[c] == chain_id) return c;
  }
  return std::nullopt;
}

}  // namespace nebula_sim
