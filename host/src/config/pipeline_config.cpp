#include "config/pipeline_config.hpp"

namespace nebula::host {

const ComponentSpec* PipelineConfig::find(const std::string& id) const {
  for (const auto& component : components)
    if (component.id == id) return &component;
  return nullptr;
}

}  // namespace nebula::host
