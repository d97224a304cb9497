#include "tcp_load.hpp"

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "socket.hpp"

namespace nebula::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Batch {
  std::string wire;  // record lines [+ commit line]
  uint64_t records = 0;
  uint64_t record_bytes = 0;
};

// Per connection: its nodes' lines cut into batches, built before the clock starts.
std::vector<std::vector<Batch>> plan(const std::vector<RecordLine>& lines, const TcpLoadOptions& o) {
  std::vector<std::vector<Batch>> out(o.connections);
  uint64_t batch_id = 0;
  for (const auto& l : lines) {
    auto& conn = out[l.node % o.connections];
    if (conn.empty() || conn.back().records == o.batch) conn.emplace_back();
    Batch& b = conn.back();
    b.wire.append(l.json).push_back('\n');
    b.record_bytes += l.json.size() + 1;
    ++b.records;
  }
  if (!o.raw)
    for (auto& conn : out)
      for (auto& b : conn) b.wire += R"({"nebula":"commit","batch":)" + std::to_string(batch_id++) + "}\n";
  return out;
}

struct Totals {
  std::atomic<uint64_t> records{0}, rejected{0}, retries{0}, bytes{0};
};

void send_all(Socket& s, const std::vector<Batch>& batches, const TcpLoadOptions& o, double conn_rate,
              Clock::time_point start, Totals& t) {
  uint64_t sent = 0;
  std::string ack;
  for (const auto& b : batches) {
    if (conn_rate > 0)
      std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(static_cast<double>(sent) / conn_rate)));
    sent += b.records;
    for (;;) {
      s.write_all(b.wire);
      if (o.raw) {
        t.records += b.records;
        break;
      }
      if (!s.read_line(ack)) throw std::runtime_error("the pool closed the connection");
      const auto j = nlohmann::json::parse(ack);
      const auto status = j.at("status").get<std::string>();
      if (status == "retry") {  // the server holds our bytes for retry_after_ms; resend at once
        ++t.retries;
        continue;
      }
      t.records += j.value("accepted", uint64_t{0});
      t.rejected += j.value("rejected", uint64_t{0});
      if (status != "accepted" && status != "rejected") throw std::runtime_error("unexpected ack: " + ack);
      break;
    }
    t.bytes += b.record_bytes;
  }
}

}  // namespace

TcpLoadResult run_tcp_load(const std::vector<RecordLine>& lines, const TcpLoadOptions& o) {
  const auto batches = plan(lines, o);
  std::vector<std::unique_ptr<Socket>> sockets;
  for (size_t c = 0; c < o.connections; ++c) sockets.push_back(std::make_unique<Socket>(o.port));

  Totals totals;
  std::latch ready(static_cast<std::ptrdiff_t>(o.connections) + 1);
  Clock::time_point start;
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> threads;
  for (size_t c = 0; c < o.connections; ++c)
    threads.emplace_back([&, c] {
      ready.arrive_and_wait();
      try {
        send_all(*sockets[c], batches[c], o, o.rate / static_cast<double>(o.connections), start, totals);
        if (o.raw) sockets[c]->shutdown_write();
      } catch (const std::exception& e) {
        if (!failed.exchange(true)) failure = e.what();
      }
    });
  start = Clock::now();
  ready.arrive_and_wait();
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) throw std::runtime_error(failure);
  return {totals.records, totals.rejected, totals.retries, totals.bytes, seconds};
}

}  // namespace nebula::bench
