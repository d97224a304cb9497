// What an operator can be asked to do.
#pragma once

#include <array>
#include <string_view>

namespace nebula::decision {

enum class Action { Quarantine, Resync, AddPeers, ScaleResources, Investigate, ObserveChain };

inline constexpr std::array<Action, 6> kAllActions = {Action::Quarantine,     Action::Resync,      Action::AddPeers,
                                                      Action::ScaleResources, Action::Investigate, Action::ObserveChain};

// "quarantine", "resync", "add_peers", "scale_resources", "investigate", "observe_chain".
std::string_view action_name(Action action);

}  // namespace nebula::decision
