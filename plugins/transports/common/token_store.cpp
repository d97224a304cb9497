#include "token_store.hpp"

#include <sys/stat.h>

#include <yaml-cpp/yaml.h>

#include <nebula/host.hpp>

#include "http/security/secret.hpp"

namespace nebula::transport {

TokenStore::TokenStore(std::filesystem::path file, std::function<void(const std::string&)> warn)
    : file_(std::move(file)), warn_(std::move(warn)) {}

bool TokenStore::stat_file(const std::filesystem::path& p, Stamp& out) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return false;
  out.dev = st.st_dev;
  out.ino = st.st_ino;
  out.size = static_cast<uint64_t>(st.st_size);
  out.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = int64_t{st.st_ctim.tv_sec} * 1'000'000'000 + st.st_ctim.tv_nsec;
  return true;
}

std::map<std::string, std::string, std::less<>> TokenStore::parse() const {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file_.string());  // JSON is valid YAML, so one parser serves both
  } catch (const YAML::BadFile&) {
    throw Error(NEBULA_IO, "tokens_file '" + file_.string() + "' cannot be read");
  } catch (const YAML::Exception& e) {
    throw Error(NEBULA_INVALID, "tokens_file '" + file_.string() + "': " + e.what());
  }
  std::map<std::string, std::string, std::less<>> out;
  if (root.IsNull()) return out;
  if (!root.IsMap()) throw Error(NEBULA_INVALID, "tokens_file '" + file_.string() + "' must map node_id to token");
  for (const auto& kv : root) {
    if (!kv.first.IsScalar() || !kv.second.IsScalar() || kv.second.Scalar().empty())
      throw Error(NEBULA_INVALID, "tokens_file '" + file_.string() + "': every node_id needs a non-empty token");
    out[kv.first.Scalar()] = kv.second.Scalar();
  }
  return out;
}

void TokenStore::load() {
  Stamp s;
  if (!stat_file(file_, s)) throw Error(NEBULA_IO, "tokens_file '" + file_.string() + "' does not exist");
  auto tokens = parse();
  std::lock_guard lock(mu_);
  tokens_ = std::move(tokens);
  stamp_ = s;
}

void TokenStore::reload_if_changed() {
  Stamp s;
  if (!stat_file(file_, s)) return;  // deleted or mid-replace: keep what we have
  {
    std::lock_guard lock(mu_);
    if (s == stamp_ || s == failed_stamp_) return;
  }
  try {
    auto tokens = parse();
    std::lock_guard lock(mu_);
    tokens_ = std::move(tokens);
    stamp_ = s;
  } catch (const std::exception& e) {
    {
      std::lock_guard lock(mu_);
      failed_stamp_ = s;
    }
    if (warn_) warn_(std::string("keeping previous tokens: ") + e.what());
  }
}

TokenStore::Check TokenStore::check(std::string_view node_id, std::string_view token) {
  if (node_id.empty()) return Check::missing_node;
  if (token.empty()) return Check::missing_token;
  reload_if_changed();
  std::lock_guard lock(mu_);
  auto it = tokens_.find(node_id);
  if (it == tokens_.end()) return Check::unknown_node;
  return security::secret_equal(it->second, token) ? Check::ok : Check::wrong_token;
}

size_t TokenStore::size() const {
  std::lock_guard lock(mu_);
  return tokens_.size();
}

const char* refusal_reason(TokenStore::Check check) {
  switch (check) {
    case TokenStore::Check::ok: return "";
    case TokenStore::Check::missing_node: return "missing node id";
    case TokenStore::Check::missing_token: return "missing bearer token";
    case TokenStore::Check::unknown_node:
    case TokenStore::Check::wrong_token: break;
  }
  return "invalid token for this node";  // unknown and wrong look alike: node ids are not probed
}

std::shared_ptr<TokenStore> open_token_store(const std::string& path, const Host& host) {
  if (path.empty()) return nullptr;
  auto store = std::make_shared<TokenStore>(path, [host](const std::string& m) { host.warn(m); });
  store->load();
  return store;
}

void check_tokens_file(const std::string& path, const std::string& pointer, ConfigErrors& errors) {
  if (path.empty()) return;
  try {
    TokenStore(path, nullptr).load();
  } catch (const std::exception& e) {
    errors.add(pointer, e.what());
  }
}

}  // namespace nebula::transport
