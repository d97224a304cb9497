// Reads the other members' files of one agent kind for a federation round:
// only fresh ones (mtime within max_age_s), intact (container checksum) and
// compatible (same architecture). Everything else is reported as skipped
// with a reason; nothing here throws for a bad peer file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nebula/nebula_plugin.h>

#include "nebula_agents/param_file.hpp"

namespace nebula::agents {

struct PeerSkip {
  std::string member;
  std::string reason;
  nebula_log_level level;  // WARN: damaged or unreadable; INFO: incompatible; DEBUG: stale
};

struct PeerScan {
  std::vector<Contribution> fresh;  // sorted by member name
  std::vector<PeerSkip> skipped;
};

PeerScan scan_peers(const std::filesystem::path& kind_dir, const std::string& self, const std::string& agent_id,
                    const Architecture& arch, double now_unix, double max_age_s);

}  // namespace nebula::agents
