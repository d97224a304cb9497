#include "nebula_decision/action.hpp"

namespace nebula::decision {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::Quarantine: return "quarantine";
    case Action::Resync: return "resync";
    case Action::AddPeers: return "add_peers";
    case Action::ScaleResources: return "scale_resources";
    case Action::Investigate: return "investigate";
    case Action::ObserveChain: return "observe_chain";
  }
  return "investigate";
}

}  // namespace nebula::decision
