// Who is in the fleet: ids, types, and which chain each node follows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebula_sim/fleet.hpp"

namespace nebula_sim {

// Chain index used internally: 0 = config.testnet, 1 = config.mainnet.
inline constexpr std::size_t kChainCount = 2;

class NodeRoster {
 public:
  // Order: testnet nodes, mainnet nodes, basic nodes, full nodes.
  explicit NodeRoster(const FleetConfig& config);

  std::size_t size() const { return nodes_.size(); }
  const std::vector<NodeInfo>& nodes() const { return nodes_; }
  const NodeInfo& node(std::uint32_t i) const { return nodes_[i]; }
  std::uint8_t chain_of(std::uint32_t i) const { return chain_[i]; }
  const std::vector<std::uint32_t>& members(std::size_t chain) const { return members_[chain]; }

  std::optional<std::uint32_t> find(std::string_view node_id) const;
  std::optional<std::size_t> chain_index(std::string_view chain_id) const;

 private:
  void add(NodeType type, std::size_t index, std::size_t width, std::uint8_t chain);

  std::vector<NodeInfo> nodes_;
  std::vector<std::uint8_t> chain_;
  std::vector<std::uint32_t> members_[kChainCount];
  std::string chain_ids_[kChainCount];
  std::map<std::string, std::uint32_t, std::less<>> by_id_;
};

}  // namespace nebula_sim
