// The real producers the agents learn from, run one fleet step at a time as
// the default pipeline wires them: the Pattern Recognizer (whose insights the
// Learning Engine reads before the records), the Learning Engine, the Block
// Data Analyzer and the Network Monitor.
#pragma once

#include "contract_fleet.hpp"

class ProducerStep {
 public:
  explicit ProducerStep(uint64_t seed = 11) : fleet_(contract_fleet::config(seed)) {}

  // Everything the producers emitted for the next step, in order.
  PluginRun::Insights next() {
    const auto batch = sim_batch::make(fleet_.step());
    PluginRun::Insights out = patterns_.feed(batch);
    learning_.feed(out);
    contract_fleet::append(out, learning_.feed(batch));
    contract_fleet::append(out, blocks_.feed(batch));
    contract_fleet::append(out, network_.feed(batch));
    return out;
  }

 private:
  nebula_sim::Fleet fleet_;
  PluginRun patterns_{"libnebula_processor_pattern.so", "nebula.processor.pattern"};
  PluginRun learning_{"libnebula_processor_learning.so", "nebula.processor.learning"};
  PluginRun blocks_{"libnebula_processor_block_data.so", "nebula.processor.block_data"};
  PluginRun network_{"libnebula_processor_network_monitor.so", "nebula.processor.network_monitor"};
};
