#include "nebula_sim/sim_record.hpp"

namespace nebula_sim {

std::string_view to_string(NodeType type) {
  switch (type) {
    case NodeType::Testnet: return "testnet";
    case NodeType::Mainnet: return "mainnet";
    case NodeType::Basic: return "basic";
    case NodeType::Full: return "full";
    case NodeType::Simple: return "simple";
  }
  return "unknown";
}

}  // namespace nebula_sim
