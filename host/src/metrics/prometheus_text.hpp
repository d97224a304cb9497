// Spelling rules of the Prometheus text exposition format 0.0.4, kept apart
// from the registry so they can be tested and reused on their own.
#pragma once

#include <string>
#include <string_view>

namespace nebula::host::prometheus {

// Label values escape backslash, double quote and newline.
std::string escape_label_value(std::string_view value);
// HELP text escapes backslash and newline only (quotes stay as they are).
std::string escape_help(std::string_view help);
// Integral values without exponent ("12"), others in the shortest form that
// round-trips ("0.1", "1.5e+300"); "+Inf", "-Inf" and "NaN" as Prometheus spells them.
std::string format_value(double value);
// Label names allow [a-zA-Z_][a-zA-Z0-9_]* (no ':' unlike metric names).
std::string sanitize_label_name(std::string_view name);

}  // namespace nebula::host::prometheus
