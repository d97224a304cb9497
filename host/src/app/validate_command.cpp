#include <iostream>

#include "app/commands.hpp"
#include "app/pipeline_loader.hpp"

namespace nebula::host {

int validate_command(const std::string& config_path) {
  LoadedPipeline pipeline;
  load_pipeline(config_path, pipeline);
  size_t problems = report_problems(pipeline, true);
  if (problems) {
    std::cerr << config_path << ": " << problems << " problem" << (problems == 1 ? "" : "s") << " found\n";
    return 1;
  }
  std::cout << config_path << ": OK (" << pipeline.config.components.size() << " components, "
            << pipeline.registry.all().size() << " plugins available)\n";
  return 0;
}

}  // namespace nebula::host
