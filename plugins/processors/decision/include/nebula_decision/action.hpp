// What an operator can be asked to do.
#pragma once

#include <string_view>

namespace nebula::decision {

enum class Action { Quarantine, Resync, AddPeers, ScaleResources, Investigate, ObserveChain };

// "quarantine", "resync", "add_peers", "scale_resources", "investigate", "observe_chain".
std::string_view action_name(Action action);

}  // namespace nebula::decision
