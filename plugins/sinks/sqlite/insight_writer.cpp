#include "insight_writer.hpp"

#include <string>

#include "insight_fingerprint.hpp"

namespace nebula::sinks::sqlite {

InsightWriter::InsightWriter(Database& db)
    : db_(db),
      insert_insight_(db,
                      "INSERT INTO insights(topic, source, timestamp, fingerprint, json) "
                      "VALUES(:topic, :source, :timestamp, :fingerprint, :json) "
                      "ON CONFLICT(source, topic, timestamp, fingerprint) DO NOTHING"),
      insert_node_(db, "INSERT OR IGNORE INTO insight_nodes(node_id, insight_id) VALUES(:subject, :insight)"),
      insert_chain_(db, "INSERT OR IGNORE INTO insight_chains(chain_id, insight_id) VALUES(:subject, :insight)") {}

WriteOutcome InsightWriter::write(const std::vector<Insight>& batch) {
  // Every document is checked first, so a bad one fails the batch before
  // the transaction starts (the host then offers the insights one by one).
  std::vector<InsightSubjects> subjects;
  subjects.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) subjects.push_back(checked_subjects(batch[i], i, limits_));

  WriteOutcome out;
  Transaction tx(db_, Transaction::Kind::Write);
  for (size_t i = 0; i < batch.size(); ++i) {
    const Insight& in = batch[i];
    {
      StatementUse use(insert_insight_);
      insert_insight_.bind(":topic", in.topic);
      insert_insight_.bind(":source", in.source);
      insert_insight_.bind(":timestamp", in.timestamp);
      insert_insight_.bind(":fingerprint", insight_fingerprint(in.json));
      insert_insight_.bind(":json", in.json);
      insert_insight_.step();
    }
    if (sqlite3_changes(db_.get()) == 0) {
      ++out.already_stored;
      continue;
    }
    const int64_t id = sqlite3_last_insert_rowid(db_.get());
    for (const auto& node : subjects[i].nodes) add_subject(insert_node_, node, id);
    for (const auto& chain : subjects[i].chains) add_subject(insert_chain_, chain, id);
    out.subjects_left_out += subjects[i].left_out;
    ++out.stored;
  }
  tx.commit();
  return out;
}

void InsightWriter::add_subject(Statement& insert, const std::string& subject, int64_t insight_id) {
  StatementUse use(insert);
  insert.bind(":subject", subject);
  insert.bind(":insight", insight_id);
  insert.step();
}

}  // namespace nebula::sinks::sqlite
