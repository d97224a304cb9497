-- wrk script: HTTP ingest with batches of 50 records per request, each
-- request for one node ({"node_id":…,"data_batch":[…]}), every node of a
-- wrk thread with its own increasing seq. Node ids are distinct across
-- threads: "wrk<thread>-<type>-<k>" with types alternating testnet/mainnet.
--   wrk -t2 -c64 -d10s -s bench/wrk/ingest.lua http://127.0.0.1:7000/api/v1/pool/ingest
-- WRK_NODES (per thread, default 1000) and WRK_BATCH (default 50) override.

local batch = tonumber(os.getenv("WRK_BATCH") or "50")
local nodes = tonumber(os.getenv("WRK_NODES") or "1000")
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local seqs, next_node
local base_time = os.time() - 86400  -- one sample per second of the last day: never in the future

local record = '{"timestamp":%d,"seq":%d,"node_type":"%s","chain_id":"%s",' ..
  '"blockchain":{"current_height":%d,"blocks_processed_last_interval":%d,"transaction_count":%d,"mining_hash_rate":%.1f},' ..
  '"network":{"peer_count":%d,"average_latency":%.1f,"bandwidth_usage":%.1f,"connection_quality":%.3f},' ..
  '"performance":{"cpu_usage":%.1f,"memory_usage":%.1f,"uptime":%d}}'

local function body(t, k, seq)
  local kind = (k % 2 == 0) and "testnet" or "mainnet"
  local parts = {}
  for i = 0, batch - 1 do
    local s = seq + i
    parts[i + 1] = string.format(record, base_time + s, s, kind, kind,
      1250000 + math.floor(s / 5), s % 5 == 0 and 1 or 0, 8 * s, 120 + (s % 7),
      8 + (k + s) % 40, 25 + (s % 60), 60 + (s % 90), 0.9, 20 + (s % 50), 40 + (s % 30), s)
  end
  return string.format('{"node_id":"wrk%d-%s-%05d","batch_size":%d,"data_batch":[%s]}',
    t, kind, k, batch, table.concat(parts, ","))
end

function init(args)
  seqs, next_node = {}, 0
end

function request()
  local k = next_node
  next_node = (next_node + 1) % nodes
  local seq = seqs[k] or 0
  seqs[k] = seq + batch
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body(tid, k, seq))
end

-- One JSON line for scripts/bench: request counts and the body size.
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests":%d,"non_2xx_or_errors":%d,"seconds":%.3f,"batch":%d,"body_bytes":%d,' ..
    '"latency_p50_ms":%.2f,"latency_p99_ms":%.2f}\n',
    summary.requests, errors, summary.duration / 1e6, batch, #body(0, 1, 1000000),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
