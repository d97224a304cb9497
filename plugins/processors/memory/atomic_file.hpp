// Crash-safe file replacement: a reader sees the old content or the new,
// never a torn write (write temp, fsync, rename, fsync the directory).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace nebula::memory {

// Throws std::runtime_error with the failing step and errno text.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The whole file, or nullopt when it does not exist. Throws on a read error.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace nebula::memory
