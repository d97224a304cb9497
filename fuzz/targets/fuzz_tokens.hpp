// The tokens_file the transport targets authenticate against (the real
// TokenStore of plugins/transports/common): node-1 → s3cret, n2 → "t 2".
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "token_store.hpp"

namespace nebula::fuzz {

inline std::shared_ptr<transport::TokenStore> fuzz_tokens() {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("nebula-fuzz-tokens-" + std::to_string(::getpid()) + ".yaml");
  static auto store = [] {
    std::ofstream(file) << "node-1: s3cret\nn2: \"t 2\"\n";
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove(file, ec);
    });
    auto s = std::make_shared<transport::TokenStore>(file, nullptr);
    s->load();
    return s;
  }();
  return store;
}

}  // namespace nebula::fuzz
