// The history's tables in the shared database: a schema of their own and an
// optional prefix, so several pools (or a staging and a production fleet)
// can keep separate histories in one database.
#pragma once

#include <string>

namespace nebula::sinks::postgres {

struct TableNames {
  // `schema` and `prefix` as the config checked them (lower-case letters,
  // digits, underscores); quoted here all the same.
  TableNames(const std::string& schema, const std::string& prefix);

  std::string schema;    // "nebula"
  std::string insights;  // "nebula"."<prefix>insights"
  std::string nodes;     // "nebula"."<prefix>insight_nodes"
  std::string chains;    // "nebula"."<prefix>insight_chains"
  std::string version;   // "nebula"."<prefix>history_schema": the schema version
  std::string prefix;    // unquoted
  // Names the advisory locks of this history (schema creation, retention),
  // so histories under other prefixes do not wait on each other.
  std::string lock_name;

  // An index (unqualified: it lives in its table's schema), e.g. "<prefix>insights_by_topic".
  std::string index(const std::string& name) const;
};

}  // namespace nebula::sinks::postgres
