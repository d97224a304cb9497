// A TopFrame as lines of text for the terminal, cut to its width.
#pragma once

#include <string>
#include <vector>

#include "app/top_model.hpp"

namespace nebula::host {

std::vector<std::string> render_top(const TopFrame& frame, const std::string& url, size_t width);

}  // namespace nebula::host
