#include "insight_writer.hpp"

#include "insight_fingerprint.hpp"

namespace nebula::sinks::postgres {
namespace {

// The nodes and chains as JSON arrays: one text parameter each, which the
// statement unpacks with jsonb_array_elements_text.
struct SubjectParams {
  std::string nodes;
  std::string chains;
  size_t left_out = 0;
};

SubjectParams subject_params(const Insight& in, size_t index, const SubjectLimits& limits) {
  const InsightSubjects s = checked_subjects(in, index, limits);
  return {nlohmann::json(s.nodes).dump(), nlohmann::json(s.chains).dump(), s.left_out};
}

std::string insert_sql(const TableNames& t) {
  return "WITH stored AS (\n"
         "  INSERT INTO " + t.insights + "(topic, source, host, \"timestamp\", fingerprint, json)\n"
         "  VALUES ($1, $2, $3, $4::double precision, $5::bigint, $6::jsonb)\n"
         "  ON CONFLICT (source, topic, \"timestamp\", fingerprint) DO NOTHING\n"
         "  RETURNING id),\n"
         "nodes AS (\n"
         "  INSERT INTO " + t.nodes + "(node_id, insight_id)\n"
         "  SELECT node, stored.id FROM stored, jsonb_array_elements_text($7::jsonb) AS node),\n"
         "chains AS (\n"
         "  INSERT INTO " + t.chains + "(chain_id, insight_id)\n"
         "  SELECT chain, stored.id FROM stored, jsonb_array_elements_text($8::jsonb) AS chain)\n"
         "SELECT count(*) FROM stored";
}

}  // namespace

InsightWriter::InsightWriter(const TableNames& tables, std::string host_id)
    : insert_{"nebula_insert_insight", insert_sql(tables)}, host_id_(std::move(host_id)) {}

WriteOutcome InsightWriter::write(Connection& c, const std::vector<Insight>& batch) {
  // Every document is checked first, so a bad one fails the batch before
  // the transaction starts (the host then offers the insights one by one).
  std::vector<SubjectParams> subjects;
  subjects.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) subjects.push_back(subject_params(batch[i], i, limits_));

  WriteOutcome out;
  Transaction tx(c);
  for (size_t i = 0; i < batch.size(); ++i) {
    const Insight& in = batch[i];
    try {
      const Result r = c.exec(insert_, {std::string(in.topic), std::string(in.source), host_id_, sql_number(in.timestamp),
                                        std::to_string(insight_fingerprint(in.json)), std::string(in.json),
                                        subjects[i].nodes, subjects[i].chains});
      if (r.integer(0, 0) == 0) {
        ++out.already_stored;
        continue;
      }
    } catch (const Error& e) {
      if (e.status() != NEBULA_INVALID) throw;
      throw Error(NEBULA_INVALID, describe_insight(in, i) + " was refused: " + e.what());
    }
    out.subjects_left_out += subjects[i].left_out;
    ++out.stored;
  }
  tx.commit();
  return out;
}

}  // namespace nebula::sinks::postgres
