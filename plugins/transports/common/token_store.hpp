// Bearer tokens per node, read from a YAML or JSON mapping node_id -> token
// (the `tokens_file` of the HTTP and TCP transports). The file is re-read when
// it changes (checked on each lookup with one stat(2)), so operators can
// rotate tokens without restarting the pool.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nebula/host.hpp>

namespace nebula::transport {

class TokenStore {
 public:
  enum class Check { ok, missing_node, missing_token, unknown_node, wrong_token };

  // `warn` receives reload problems; the previous tokens stay in force then.
  TokenStore(std::filesystem::path file, std::function<void(const std::string&)> warn);

  // Loads the file; throws nebula::Error(NEBULA_INVALID/NEBULA_IO) when it
  // cannot be read or is not a mapping of strings (start() fails loudly).
  void load();

  // [thread-safe] Reloads if the file changed, then compares in constant time.
  Check check(std::string_view node_id, std::string_view token);

  size_t size() const;

 private:
  // What identifies one version of the file. Rewrites by rename change the
  // inode; in-place edits change size or the (ns) timestamps.
  struct Stamp {
    uint64_t dev = 0, ino = 0, size = 0;
    int64_t mtime_ns = 0, ctime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  static bool stat_file(const std::filesystem::path& p, Stamp& out);
  std::map<std::string, std::string, std::less<>> parse() const;  // throws
  void reload_if_changed();

  std::filesystem::path file_;
  std::function<void(const std::string&)> warn_;
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> tokens_;
  Stamp stamp_;
  Stamp failed_stamp_;  // a broken version is reported once, not on every request
};

// What a sender is told when check() is not ok (the same words on every transport).
const char* refusal_reason(TokenStore::Check check);

// The store of a server's `tokens_file`, loaded (throws like load()), with
// reload problems logged as warnings; null when `path` is empty (no tokens).
std::shared_ptr<TokenStore> open_token_store(const std::string& path, const Host& host);

// validate_config: records "<pointer>: <why>" when `path` is not a usable tokens file.
void check_tokens_file(const std::string& path, const std::string& pointer, ConfigErrors& errors);

}  // namespace nebula::transport
