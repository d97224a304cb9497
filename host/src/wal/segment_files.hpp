// File-level helpers of the write-ahead log: segment names, listing, whole
// file reads and the POSIX calls whose errors we must see (write, fdatasync,
// fsync of the directory so a new segment's name survives a power cut).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::wal {

// "00000000000000000042.wal"
std::string segment_name(uint64_t id);
// The id of a segment file name, or nullopt for any other file.
std::optional<uint64_t> segment_id(const std::filesystem::path& file);
// Segment files in `dir`, by id.
std::vector<std::filesystem::path> list_segments(const std::filesystem::path& dir);

// Reads a whole file; "" + error text when it cannot.
std::string read_whole_file(const std::filesystem::path& file, std::string& error);

// Writes all of `bytes` at the end of fd. Returns "" or the errno text.
std::string write_all(int fd, std::string_view bytes);
// fsync of a directory, so entries created or removed in it are durable.
std::string sync_directory(const std::filesystem::path& dir);

}  // namespace nebula::wal
