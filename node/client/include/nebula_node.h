/*
 * libnebula_node — what a blockchain node links to stream its metrics to a
 * Nebula processing pool. Pure C99 (only <stddef.h>/<stdint.h>); the library
 * is C++ inside and no exception ever crosses this header.
 *
 *   char err[256];
 *   nebula_node* n = nebula_node_create(
 *       "{\"node_id\":\"validator-7\",\"node_type\":\"mainnet\",\"chain_id\":\"mainnet\","
 *       "\"endpoints\":[\"http://pool-a:7000\",\"http://pool-b:7000\"],"
 *       "\"spill_dir\":\"/var/lib/validator/nebula\"}", err, sizeof err);
 *   if (!n) { fprintf(stderr, "%s\n", err); ... }
 *   nebula_node_record(n, "{\"blockchain\":{\"current_height\":881234},\"network\":{\"peer_count\":17}}");
 *   ...
 *   nebula_node_destroy(n);   // flushes (bounded), keeps the rest on disk
 *
 * Delivery: records are buffered per node and sent in batches (the
 * data_batch wire shape) by background threads through a transport plugin's
 * client capability. A batch is retried, with backoff, until the pool accepts
 * it, so per-node order is kept and nothing is dropped except records the pool
 * rejects as invalid. Records beyond the memory bound go to a spill file and
 * survive a restart. See docs/node.md for every config key.
 *
 * Threading: every function is thread-safe except nebula_node_destroy, which
 * must be the last call on a handle.
 */
#ifndef NEBULA_NODE_H
#define NEBULA_NODE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NEBULA_NODE_API __attribute__((visibility("default")))
#else
#define NEBULA_NODE_API
#endif

/* Stable result codes, never renumbered. */
typedef enum nebula_node_result {
  NEBULA_NODE_OK = 0,
  NEBULA_NODE_INVALID = 1,  /* bad argument: not a JSON object, no node_id, ... */
  NEBULA_NODE_TIMEOUT = 2,  /* flush: the deadline passed with records still pending */
  NEBULA_NODE_CLOSED = 3,   /* the handle is shutting down */
  NEBULA_NODE_INTERNAL = 4  /* unexpected failure inside the library */
} nebula_node_result;

typedef enum nebula_node_log_level {
  NEBULA_NODE_LOG_DEBUG = 1,
  NEBULA_NODE_LOG_INFO = 2,
  NEBULA_NODE_LOG_WARN = 3,
  NEBULA_NODE_LOG_ERROR = 4
} nebula_node_log_level;

typedef struct nebula_node nebula_node; /* opaque */

/* Creates a client from a JSON config object (borrowed). Loads the transport
 * plugin(s), opens the spill directory (taking an exclusive lock on it) and
 * loads any records a previous process left there, then starts the delivery
 * threads. Returns NULL on failure with the reason in err (NUL-terminated,
 * truncated to cap). */
NEBULA_NODE_API nebula_node* nebula_node_create(const char* config_json, char* err, size_t cap);

/* Queues one record (JSON object in the canonical nested wire shape,
 * borrowed). Missing node_id, node_type and chain_id are filled from the
 * config, a missing seq gets the node's next sequence number and a missing
 * timestamp the current time. Never waits for the network or the pool: the
 * record goes to memory, or past buffer_max_records to the spill file. */
NEBULA_NODE_API nebula_node_result nebula_node_record(nebula_node* node, const char* record_json);

/* Sends everything queued before the call, partial batches included, and
 * waits until the pool has settled it (accepted, or rejected as invalid) or
 * timeout_ms passes (NEBULA_NODE_TIMEOUT; delivery goes on in the background). */
NEBULA_NODE_API nebula_node_result nebula_node_flush(nebula_node* node, uint64_t timeout_ms);

/* Writes a JSON object of counters into buf (NUL-terminated, truncated to
 * cap): recorded, buffered, spilled, pending, delivered, rejected, retries,
 * batches, failovers, nodes, endpoint, last_error. Returns the full length
 * the JSON needs (excluding the NUL), so a caller can retry with more room. */
NEBULA_NODE_API size_t nebula_node_stats(nebula_node* node, char* buf, size_t cap);

/* Records queued but not yet settled (memory + spill). Cheap: lets a
 * producer that can wait apply back-pressure instead of spilling. */
NEBULA_NODE_API uint64_t nebula_node_pending(nebula_node* node);

/* Routes the library's log lines to fn (called from any library thread;
 * msg borrowed for the call) instead of stderr. NULL restores stderr. */
typedef void (*nebula_node_log_fn)(void* user, nebula_node_log_level level, const char* msg);
NEBULA_NODE_API void nebula_node_set_log_callback(nebula_node* node, nebula_node_log_fn fn, void* user);

/* Flushes for at most the config's shutdown_timeout_ms, stops the delivery
 * threads (an in-flight delivery finishes first), writes whatever is still
 * undelivered to the spill file for the next process, and frees the handle.
 * NULL is ignored. */
NEBULA_NODE_API void nebula_node_destroy(nebula_node* node);

#ifdef __cplusplus
}
#endif

#endif /* NEBULA_NODE_H */
