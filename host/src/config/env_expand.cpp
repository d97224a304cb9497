#include "config/env_expand.hpp"

#include <cstdlib>

namespace nebula::host {
namespace {

constexpr std::string_view kUsage = "use ${NAME}, ${NAME:-default} or ${NAME:?message}";

bool starts_with_escape(std::string_view text, size_t i) { return text.substr(i, 3) == "$${"; }
bool starts_reference(std::string_view text, size_t i) { return text.substr(i, 2) == "${"; }

// Index of the '}' closing the reference opened at `open` ("${"), counting
// nested references inside a default; npos when it is never closed.
size_t find_closing_brace(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (starts_with_escape(text, i)) {
      i += 2;
    } else if (starts_reference(text, i)) {
      ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

size_t variable_name_length(std::string_view body) {
  auto is_alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (body.empty() || !is_alpha(body[0])) return 0;
  size_t n = 1;
  while (n < body.size() && (is_alpha(body[n]) || is_digit(body[n]))) ++n;
  return n;
}

// Expands the inside of one "${...}" into `out`.
void expand_reference(std::string_view body, const EnvLookup& env, EnvExpansion& out) {
  const size_t name_length = variable_name_length(body);
  const std::string name(body.substr(0, name_length));
  const std::string_view op = body.substr(name_length);
  if (name.empty() || !(op.empty() || op.starts_with(":-") || op.starts_with(":?"))) {
    out.errors.push_back("invalid reference '${" + std::string(body) + "}': " + std::string(kUsage));
    return;
  }
  const std::optional<std::string> value = env(name);
  const bool has_value = value && !value->empty();
  if (op.empty()) {
    if (value) out.text += *value;
    else out.errors.push_back("environment variable " + name + " is not set");
  } else if (has_value) {
    out.text += *value;
  } else if (op.starts_with(":-")) {
    // The default is expanded only when used, as a shell does.
    EnvExpansion fallback = expand_env(op.substr(2), env);
    out.text += fallback.text;
    out.errors.insert(out.errors.end(), fallback.errors.begin(), fallback.errors.end());
  } else {
    const std::string_view message = op.substr(2);
    out.errors.push_back(name + ": " + (message.empty() ? "is not set or empty" : std::string(message)));
  }
}

}  // namespace

EnvExpansion expand_env(std::string_view text, const EnvLookup& env) {
  EnvExpansion out;
  size_t i = 0;
  while (i < text.size()) {
    if (starts_with_escape(text, i)) {
      out.text += "${";
      i += 3;
    } else if (starts_reference(text, i)) {
      const size_t close = find_closing_brace(text, i);
      if (close == std::string_view::npos) {
        out.errors.push_back("unterminated '${' in '" + std::string(text) + "' (missing '}')");
        out.text += text.substr(i);
        break;
      }
      expand_reference(text.substr(i + 2, close - i - 2), env, out);
      i = close + 1;
    } else {
      out.text += text[i++];
    }
  }
  return out;
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace nebula::host
