#include "insight_reader.hpp"

#include <string>
#include <vector>

#include <nebula/host.hpp>

#include "history_answer.hpp"

namespace nebula::sinks::postgres {
namespace {

// The page's statement for one combination of filters (each has the join
// and WHERE clause its indexes can serve) and its parameters in order.
struct PageQuery {
  PreparedSql statement;
  std::vector<std::string> params;
};

// Ids sorted bytewise (COLLATE "C"), as every history sink sorts them,
// whatever the database's collation.
std::string subjects_sql(const std::string& table, const char* column) {
  return "(SELECT coalesce(json_agg(s." + std::string(column) + " ORDER BY s." + column + " COLLATE \"C\"), '[]')::text FROM " +
         table + " s WHERE s.insight_id = i.id)";
}

PageQuery page_query(const TableNames& t, const HistoryRequest& r) {
  PageQuery q;
  std::string name = "nebula_history_page_";  // one letter per filter used
  std::string where;
  const auto add = [&](char letter, const std::string& condition, std::string value) {
    name += letter;
    q.params.push_back(std::move(value));
    where += " AND " + condition + "$" + std::to_string(q.params.size());
  };
  if (r.topic) add('t', "i.topic = ", *r.topic);
  if (r.node_id) add('n', "n.node_id = ", *r.node_id);
  if (r.chain_id) add('c', "c.chain_id = ", *r.chain_id);
  if (r.since) add('s', "i.\"timestamp\" >= ", sql_number(*r.since));
  if (r.until) add('u', "i.\"timestamp\" < ", sql_number(*r.until));
  if (r.after_id) add('a', "i.id < ", std::to_string(*r.after_id));
  q.params.push_back(std::to_string(rows_to_fetch(r)));

  std::string sql = "SELECT i.id, i.topic, i.source, i.host, i.\"timestamp\", i.json::text, " +
                    subjects_sql(t.nodes, "node_id") + ", " + subjects_sql(t.chains, "chain_id") + " FROM " +
                    t.insights + " i";
  if (r.node_id) sql += " JOIN " + t.nodes + " n ON n.insight_id = i.id";
  if (r.chain_id) sql += " JOIN " + t.chains + " c ON c.insight_id = i.id";
  sql += " WHERE true" + where + " ORDER BY i.id DESC LIMIT $" + std::to_string(q.params.size());
  q.statement = {std::move(name), std::move(sql)};
  return q;
}

std::vector<std::string> string_list(const std::string& json_array) {
  return nlohmann::json::parse(json_array).get<std::vector<std::string>>();
}

}  // namespace

InsightReader::InsightReader(const TableNames& tables, Session session)
    : tables_(tables), session_(std::move(session)) {}

nlohmann::json InsightReader::page(Connection& c, const HistoryRequest& request) {
  const PageQuery q = page_query(tables_, request);
  // One statement: one snapshot for the page and its subjects, whatever
  // retention deletes meanwhile.
  const Result r = c.exec(q.statement, q.params);
  std::vector<HistoryRow> rows;
  std::vector<std::string> hosts;
  for (int i = 0; i < r.rows(); ++i) {
    HistoryRow row;
    row.id = r.integer(i, 0);
    row.topic = r.text(i, 1);
    row.source = r.text(i, 2);
    hosts.push_back(r.text(i, 3));
    row.timestamp = r.real(i, 4);
    row.json = r.text(i, 5);
    row.nodes = string_list(r.text(i, 6));
    row.chains = string_list(r.text(i, 7));
    rows.push_back(std::move(row));
  }
  nlohmann::json answer = history_answer(rows, request);
  auto& insights = answer.at("insights");
  for (size_t i = 0; i < insights.size(); ++i) insights[i]["host"] = hosts[i];
  return answer;
}

nlohmann::json InsightReader::query(const HistoryRequest& request) {
  std::lock_guard lock(mu_);
  Connection& c = session_.connection();
  try {
    return page(c, request);
  } catch (const Error& e) {
    // A connection the server closed while it sat idle (a restart) only
    // shows when used: one more try on a new one, as a query changes nothing.
    if (e.status() != NEBULA_RETRY || session_.fresh() || !c.broken()) throw;
  }
  return page(session_.connection(), request);
}

}  // namespace nebula::sinks::postgres
