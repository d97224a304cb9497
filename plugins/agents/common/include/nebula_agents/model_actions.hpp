// The model actions every agent's query() answers the same way:
// {"action": "rollback", "version": n}, "optimise", "evaluate" (examples of
// the request, scored by the agent's own `evaluate`) and "federate".
#pragma once

#include <string>

#include <nebula/host.hpp>
#include <nlohmann/json.hpp>

#include "nebula_agents/federation.hpp"
#include "nebula_agents/shared_model.hpp"

namespace nebula::agents {

template <class Evaluate>
nlohmann::json answer_model_action(const nlohmann::json& req, SharedModel& model, Federation& federation,
                                   Evaluate&& evaluate) {
  const std::string action = req["action"].is_string() ? req["action"].get<std::string>() : "";
  if (action == "rollback") {
    if (!req.contains("version") || !req["version"].is_number_integer())
      throw Error(NEBULA_INVALID, "rollback needs an integer \"version\"");
    return model.rollback(req["version"].get<int>());
  }
  if (action == "optimise") return model.optimise();
  if (action == "evaluate") return evaluate(examples_of_request(req));
  if (action == "federate") return federation.request();
  throw Error(NEBULA_INVALID, "unknown action '" + action + "' (known: rollback, optimise, evaluate, federate)");
}

}  // namespace nebula::agents
