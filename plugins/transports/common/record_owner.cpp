#include "record_owner.hpp"

#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::transport {
namespace {

using json = nlohmann::json;

// Which objects carry a node_id the host reads.
enum class Role { other, top, node_data, batch, entry };

class OwnerScan : public nlohmann::json_sax<json> {
 public:
  OwnerScan(std::string_view node, bool document) : node_(node), document_(document) {}

  std::string foreign;  // the first node_id that is not ours
  bool mismatch = false;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool string(string_t& s) override {
    if (in_owner_object() && key_ == "node_id" && s != node_) {
      foreign = s;
      mismatch = true;
      return false;  // stop: one is enough
    }
    return value();
  }
  bool start_object(std::size_t) override { return open(child_role(true)); }
  bool start_array(std::size_t) override { return open(child_role(false)); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool in_owner_object() const {
    if (stack_.empty()) return false;
    Role r = stack_.back();
    return r == Role::top || r == Role::node_data || r == Role::entry;
  }
  // The role of the object/array value starting now.
  Role child_role(bool object) const {
    if (stack_.empty()) return object ? Role::top : Role::other;
    const Role parent = stack_.back();
    if (parent == Role::top && document_) {
      if (object && key_ == "node_data") return Role::node_data;
      if (!object && key_ == "data_batch") return Role::batch;
    }
    if (parent == Role::batch && object) return Role::entry;
    return Role::other;
  }
  bool value() {
    key_.clear();
    return true;
  }
  bool open(Role r) {
    stack_.push_back(r);
    key_.clear();
    return true;
  }
  bool close() {
    stack_.pop_back();
    key_.clear();
    return true;
  }

  std::string_view node_;
  bool document_;
  std::vector<Role> stack_;
  std::string key_;  // the key whose value comes next (objects only)
};

std::string not_ours(const std::string& foreign, std::string_view node) {
  return "node_id '" + foreign + "' is not the authenticated node '" + std::string(node) + "'";
}

}  // namespace

std::optional<OwnerProblem> foreign_node_in_document(std::string_view text, std::string_view node) {
  OwnerScan scan(node, true);
  if (json::sax_parse(text.begin(), text.end(), &scan)) return std::nullopt;
  if (scan.mismatch) return OwnerProblem{false, not_ours(scan.foreign, node)};
  return OwnerProblem{true, "body is not valid JSON"};
}

std::optional<OwnerProblem> foreign_node_in_lines(std::string_view text, std::string_view node) {
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    OwnerScan scan(node, false);
    if (json::sax_parse(line.begin(), line.end(), &scan)) continue;
    const std::string where = "record line " + std::to_string(line_no) + ": ";
    if (scan.mismatch) return OwnerProblem{false, where + not_ours(scan.foreign, node)};
    return OwnerProblem{true, where + "not valid JSON"};
  }
  return std::nullopt;
}

}  // namespace nebula::transport
