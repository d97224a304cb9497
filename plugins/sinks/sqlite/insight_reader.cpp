#include "insight_reader.hpp"

#include <string>
#include <vector>

#include "history_answer.hpp"

namespace nebula::sinks::sqlite {
namespace {

constexpr unsigned kTopic = 1u << 0;
constexpr unsigned kNode = 1u << 1;
constexpr unsigned kChain = 1u << 2;
constexpr unsigned kSince = 1u << 3;
constexpr unsigned kUntil = 1u << 4;
constexpr unsigned kAfter = 1u << 5;

unsigned filters_of(const HistoryRequest& r) {
  return (r.topic ? kTopic : 0u) | (r.node_id ? kNode : 0u) | (r.chain_id ? kChain : 0u) | (r.since ? kSince : 0u) |
         (r.until ? kUntil : 0u) | (r.after_id ? kAfter : 0u);
}

std::string page_sql(unsigned filters) {
  std::string sql = "SELECT i.id, i.topic, i.source, i.timestamp, i.json FROM insights i";
  if (filters & kNode) sql += " JOIN insight_nodes n ON n.insight_id = i.id";
  if (filters & kChain) sql += " JOIN insight_chains c ON c.insight_id = i.id";
  sql += " WHERE 1";
  if (filters & kTopic) sql += " AND i.topic = :topic";
  if (filters & kNode) sql += " AND n.node_id = :node_id";
  if (filters & kChain) sql += " AND c.chain_id = :chain_id";
  if (filters & kSince) sql += " AND i.timestamp >= :since";
  if (filters & kUntil) sql += " AND i.timestamp < :until";
  if (filters & kAfter) sql += " AND i.id < :after";
  return sql + " ORDER BY i.id DESC LIMIT :limit";
}

}  // namespace

InsightReader::InsightReader(const std::filesystem::path& path)
    : db_(path, Database::Mode::ReadOnly),
      nodes_of_(db_, "SELECT node_id FROM insight_nodes WHERE insight_id = :insight ORDER BY node_id"),
      chains_of_(db_, "SELECT chain_id FROM insight_chains WHERE insight_id = :insight ORDER BY chain_id") {}

Statement& InsightReader::page_statement(const HistoryRequest& request) {
  const unsigned filters = filters_of(request);
  auto it = pages_.find(filters);
  if (it == pages_.end()) it = pages_.emplace(filters, Statement(db_, page_sql(filters))).first;
  return it->second;
}

std::vector<std::string> InsightReader::subjects(Statement& lookup, int64_t insight_id) {
  StatementUse use(lookup);
  lookup.bind(":insight", insight_id);
  std::vector<std::string> out;
  while (lookup.step()) out.push_back(lookup.text(0));
  return out;
}

nlohmann::json InsightReader::query(const HistoryRequest& request) {
  std::lock_guard lock(mu_);
  // One snapshot for the page and its subjects, whatever retention deletes meanwhile.
  Transaction snapshot(db_, Transaction::Kind::Read);
  std::vector<HistoryRow> rows;
  {
    Statement& page = page_statement(request);
    StatementUse use(page);
    if (request.topic) page.bind(":topic", *request.topic);
    if (request.node_id) page.bind(":node_id", *request.node_id);
    if (request.chain_id) page.bind(":chain_id", *request.chain_id);
    if (request.since) page.bind(":since", *request.since);
    if (request.until) page.bind(":until", *request.until);
    if (request.after_id) page.bind(":after", *request.after_id);
    page.bind(":limit", static_cast<int64_t>(rows_to_fetch(request)));
    while (page.step()) {
      HistoryRow row;
      row.id = page.integer(0);
      row.topic = page.text(1);
      row.source = page.text(2);
      row.timestamp = page.real(3);
      row.json = page.text(4);
      rows.push_back(std::move(row));
    }
  }
  for (size_t i = 0; i < rows.size() && i < request.limit; ++i) {  // the extra row only says "more"
    rows[i].nodes = subjects(nodes_of_, rows[i].id);
    rows[i].chains = subjects(chains_of_, rows[i].id);
  }
  snapshot.commit();
  return history_answer(rows, request);
}

}  // namespace nebula::sinks::sqlite
