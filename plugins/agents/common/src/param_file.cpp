#include "nebula_agents/param_file.hpp"

#include <cmath>
#include <cstring>
#include <sstream>

#include <nebula/host.hpp>

#include "nebula_agents/checkpoint_frame.hpp"
#include "nebula_agents/shared_model.hpp"

namespace nebula::agents {
namespace {

[[noreturn]] void damaged(const std::string& why) { throw Error(NEBULA_INVALID, "damaged federation file: " + why); }

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

struct Cursor {
  const std::string& s;
  size_t pos = 0;
  uint32_t u32() {
    if (s.size() - pos < 4) damaged("parameters truncated");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<unsigned char>(s[pos + static_cast<size_t>(i)])} << (8 * i);
    pos += 4;
    return v;
  }
  std::vector<float> floats(size_t n) {
    if ((s.size() - pos) / sizeof(float) < n) damaged("parameters truncated");
    std::vector<float> v(n);
    std::memcpy(v.data(), s.data() + pos, n * sizeof(float));
    pos += n * sizeof(float);
    for (float f : v)
      if (!std::isfinite(f)) damaged("parameters are not finite");
    return v;
  }
};

nlohmann::json stats_json(const StatMap& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, s] : m) j[name] = s.to_json();
  return j;
}

StatMap stats_of(const nlohmann::json& j) {
  if (!j.is_object()) damaged("statistics are not an object");
  StatMap m;
  for (auto it = j.begin(); it != j.end(); ++it) m[it.key()] = RunningStat::from_json(it.value());
  return m;
}

std::string encode_layers(const std::vector<DenseLayer>& layers) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(layers.size()));
  for (const auto& L : layers) {
    put_u32(out, static_cast<uint32_t>(L.inputs));
    put_u32(out, static_cast<uint32_t>(L.outputs));
    out.append(reinterpret_cast<const char*>(L.weight.data()), L.weight.size() * sizeof(float));
    out.append(reinterpret_cast<const char*>(L.bias.data()), L.bias.size() * sizeof(float));
  }
  return out;
}

std::vector<DenseLayer> decode_layers(const std::string& bytes, const Architecture& arch) {
  Cursor c{bytes};
  const uint32_t count = c.u32();
  if (count != arch.hidden.size() + 1) damaged("layer count does not match the architecture");
  std::vector<DenseLayer> layers;
  int64_t in = arch.inputs;
  for (uint32_t l = 0; l < count; ++l) {
    const int64_t out = l < arch.hidden.size() ? arch.hidden[l] : arch.outputs;
    DenseLayer L;
    L.inputs = static_cast<int>(c.u32());
    L.outputs = static_cast<int>(c.u32());
    if (L.inputs != in || L.outputs != out) damaged("layer " + std::to_string(l) + " does not match the architecture");
    L.weight = c.floats(static_cast<size_t>(in * out));
    L.bias = c.floats(static_cast<size_t>(out));
    layers.push_back(std::move(L));
    in = out;
  }
  if (c.pos != bytes.size()) damaged("unexpected bytes after the parameters");
  return layers;
}

}  // namespace

std::string encode_contribution(const Contribution& c) {
  CheckpointWriter w;
  tag_agent_checkpoint(w, c.agent_id);
  const nlohmann::json meta = {{"member", c.member},
                               {"seq", c.seq},
                               {"published_unix", c.published_unix},
                               {"samples", c.samples},
                               {"joined", c.joined},
                               {"version", c.version},
                               {"architecture", c.architecture.to_json()},
                               {"learning_rate", c.learning_rate},
                               {"in_use", stats_json(c.in_use)},
                               {"local", stats_json(c.local)}};
  w.add("federation.meta", meta.dump());
  w.add("federation.params", encode_layers(c.layers));
  std::ostringstream out;
  w.write(out);
  return out.str();
}

Contribution decode_contribution(const std::string& bytes, const std::string& agent_id) {
  std::istringstream in(bytes);
  const CheckpointReader reader = read_agent_checkpoint(in, agent_id);  // magic, length, CRC, writer: throws
  Contribution c;
  c.agent_id = agent_id;
  const auto meta = nlohmann::json::parse(reader.at("federation.meta"), nullptr, false);
  if (!meta.is_object()) damaged("meta is not JSON");
  try {
    c.member = meta.at("member").get<std::string>();
    c.seq = meta.at("seq").get<uint64_t>();
    c.published_unix = meta.at("published_unix").get<double>();
    c.samples = meta.at("samples").get<uint64_t>();
    c.joined = meta.at("joined").get<bool>();
    c.version = meta.at("version").get<int>();
    c.architecture = Architecture::from_json(meta.at("architecture"));
    c.learning_rate = meta.at("learning_rate").get<double>();
    c.in_use = stats_of(meta.at("in_use"));
    c.local = stats_of(meta.at("local"));
  } catch (const nlohmann::json::exception& e) {
    damaged(std::string("meta: ") + e.what());
  }
  c.layers = decode_layers(reader.at("federation.params"), c.architecture);
  return c;
}

}  // namespace nebula::agents
