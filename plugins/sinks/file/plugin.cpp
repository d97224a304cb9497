// Registration: binds the file sink (insight_line + RotatingFile) to the
// plugin ABI. Each delivered batch becomes one append of whole JSON lines;
// a failure leaves the file as it was, so the host's redelivery is clean.
#include <nebula/plugin.hpp>

#include "file_sink_config.hpp"
#include "insight_line.hpp"
#include "rotating_file.hpp"

namespace {

namespace file = nebula::sink::file;

std::filesystem::path resolve(const nebula::Host& host, const std::string& path) {
  std::filesystem::path p(path);
  return p.is_relative() ? host.state_dir() / p : p;
}

class FileSink : public nebula::Sink {
 public:
  static constexpr nebula::PluginMeta meta{"nebula.sink.file", "File Sink", "1.0.0",
                                           "Appends every insight as one JSON line to a size-rotated file"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { file::parse_config(cfg, &errors); }

  FileSink(nebula::Host host, const nlohmann::json& cfg)
      : Sink(std::move(host)), config_(file::parse_config(cfg)),
        file_(resolve(this->host(), config_.path), {config_.max_bytes, config_.max_files, config_.fsync},
              [h = this->host()](const std::string& msg) { h.warn(msg); }) {}

  void deliver(const std::vector<nebula::Insight>& batch) override {
    const uint64_t rotations = file_.rotations();
    try {
      std::string lines;
      for (const auto& insight : batch) lines += file::insight_line(insight);
      file_.append(lines);
    } catch (...) {
      host().count("insights_failed", static_cast<double>(batch.size()));
      throw;
    }
    host().count("insights_delivered", static_cast<double>(batch.size()));
    if (file_.rotations() != rotations) host().count("rotations", static_cast<double>(file_.rotations() - rotations));
    host().gauge("file_bytes", static_cast<double>(file_.size()));
  }

  void flush() override { file_.sync(); }

 private:
  file::Config config_;
  file::RotatingFile file_;
};

}  // namespace

NEBULA_PLUGINS(FileSink)
