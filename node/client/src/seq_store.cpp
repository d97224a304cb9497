#include "seq_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nebula::node {

SeqMap load_seq_state(const std::filesystem::path& file, std::string* warning) {
  SeqMap out;
  std::ifstream in(file);
  if (!in) return out;
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (!doc.is_object() || !doc.contains("next_seq") || !doc["next_seq"].is_object()) {
    if (warning) *warning = file.string() + " is damaged; sequence numbers restart from the spilled records";
    return out;
  }
  for (const auto& [node, n] : doc["next_seq"].items())
    if (n.is_number_integer() && n.get<std::int64_t>() >= 0) out[node] = n.get<std::int64_t>();
  return out;
}

void save_seq_state(const std::filesystem::path& file, const SeqMap& next_seq) {
  const std::string text = nlohmann::json{{"next_seq", next_seq}}.dump() + "\n";
  const std::filesystem::path tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + file.string() + ": " + why);
  }
}

}  // namespace nebula::node
