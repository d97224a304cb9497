// One member's contribution to a federation round, as the bytes of
// <dir>/<agent kind>/<member>.params: the checkpoint container (magic,
// length, CRC-32), so a truncated or damaged peer file is detected before
// anything in it is used.
//
//   sections: "agent"            the writer's plugin id
//             "federation.meta"  JSON: member, seq, published_unix, samples, joined,
//                                version, architecture, learning_rate, in_use, local
//             "federation.params" u32 layers, per layer: u32 inputs, u32 outputs,
//                                f32 weight[outputs*inputs], f32 bias[outputs]  (little-endian)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nebula_agents/fedavg.hpp"
#include "nebula_agents/mlp_trainer.hpp"

namespace nebula::agents {

struct Contribution {
  std::string agent_id;
  std::string member;
  uint64_t seq = 0;            // the member's publish counter: a file is merged once
  double published_unix = 0;
  uint64_t samples = 0;        // samples learned since the member's previous publish: the FedAvg weight
  bool joined = false;         // has merged before (a newcomer's weights count only among newcomers)
  int version = 0;
  Architecture architecture;
  double learning_rate = 0;
  StatMap in_use;              // the normalisation the weights were trained with
  StatMap local;               // the member's own observations of it (what members combine)
  std::vector<DenseLayer> layers;
};

std::string encode_contribution(const Contribution& c);
// Throws nebula::Error(NEBULA_INVALID) on damage, another agent's file, or
// parameters that do not match the declared architecture or are not finite.
Contribution decode_contribution(const std::string& bytes, const std::string& agent_id);

}  // namespace nebula::agents
