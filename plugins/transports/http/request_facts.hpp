// Small pure helpers that read facts out of an HTTP request line/header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/security/secret.hpp"

namespace nebula::transport::http {

// "/a/b?x=1" -> "/a/b"
std::string_view target_path(std::string_view target);

// Value of query parameter `name` in `target`, percent-decoded.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

// "application/json", "application/json; charset=utf-8", "application/x+json".
bool is_json_media_type(std::string_view content_type);

// "Bearer abc" -> "abc"; shared with the admin API.
using security::bearer_token;

}  // namespace nebula::transport::http
