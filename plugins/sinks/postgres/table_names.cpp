#include "table_names.hpp"

namespace nebula::sinks::postgres {
namespace {

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

TableNames::TableNames(const std::string& schema_name, const std::string& table_prefix)
    : schema(quoted(schema_name)),
      insights(schema + "." + quoted(table_prefix + "insights")),
      nodes(schema + "." + quoted(table_prefix + "insight_nodes")),
      chains(schema + "." + quoted(table_prefix + "insight_chains")),
      version(schema + "." + quoted(table_prefix + "history_schema")),
      prefix(table_prefix),
      lock_name("nebula.sink.postgres:" + schema_name + "." + table_prefix) {}

std::string TableNames::index(const std::string& name) const { return quoted(prefix + name); }

}  // namespace nebula::sinks::postgres
