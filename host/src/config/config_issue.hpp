// Turning yaml-cpp positions into the 1-based marks every issue carries.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "config/pipeline_config.hpp"

namespace nebula::host {

// yaml-cpp marks are 0-based and null_mark() is -1; SourceMark is 1-based
// with 0 meaning "unknown", so format() can leave the position out.
SourceMark source_mark(const std::string& file, const YAML::Mark& mark);

}  // namespace nebula::host
