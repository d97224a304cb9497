#include "spill_line.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace nebula::node {

void encode_spill_line(std::string& out, std::string_view node_id, std::int64_t seq, std::string_view record) {
  out += nlohmann::json(std::string(node_id)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += '\t';
  out += std::to_string(seq);
  out += '\t';
  out += record;
  out += '\n';
}

std::optional<SpillLine> decode_spill_line(std::string_view line) {
  const auto tab1 = line.find('\t');
  if (tab1 == std::string_view::npos) return std::nullopt;
  const auto tab2 = line.find('\t', tab1 + 1);
  if (tab2 == std::string_view::npos) return std::nullopt;

  auto id = nlohmann::json::parse(line.substr(0, tab1), nullptr, false);
  if (!id.is_string()) return std::nullopt;
  SpillLine out;
  out.node_id = id.get<std::string>();
  const std::string_view seq = line.substr(tab1 + 1, tab2 - tab1 - 1);
  auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), out.seq);
  if (ec != std::errc() || end != seq.data() + seq.size() || out.seq < 0) return std::nullopt;
  out.record = std::string(line.substr(tab2 + 1));
  if (out.record.size() < 2 || out.record.front() != '{' || out.record.back() != '}') return std::nullopt;
  return out;
}

}  // namespace nebula::node
