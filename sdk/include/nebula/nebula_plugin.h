/*
 * Nebula Pool plugin ABI — the one contract between the host and a plugin.
 *
 * Pure C99: only <stdint.h> and <stddef.h>. No C++ types, exceptions or
 * allocators cross this boundary. Plugin authors normally use the header-only
 * C++ layer (nebula/plugin.hpp) and never touch these structs directly.
 *
 * Rules (see docs/architecture.md):
 *  - A plugin library exports exactly one symbol, `nebula_plugin_entry`.
 *  - The host refuses a library whose abi_major differs from its own, or whose
 *    abi_minor is newer than its own, and says so naming the file.
 *  - Every growable struct starts with `struct_size`; fields are only ever
 *    appended. A reader checks `struct_size` before touching a later field.
 *  - Optional capabilities are found by versioned string id, e.g.
 *    NEBULA_CAP_PROCESSOR "nebula.processor/1".
 *  - Errors are values: a nebula_status plus a caller-owned error buffer
 *    (`err`, `err_cap`), always NUL-terminated by the callee when written.
 *
 * Threading / ownership tags used on every function:
 *  [control]      called from the host's control thread, never concurrently
 *                 with another [control] or [data] call on the same instance.
 *  [data]         called from a worker thread; at most one [data] call at a
 *                 time per instance, but different instances run in parallel.
 *  [thread-safe]  may be called from any thread at any time.
 *  "borrowed"     valid only for the duration of the call; copy to keep.
 *  "moved"        ownership passes to the callee (it must call release).
 *  "owned by X until Y"  lifetime stated explicitly.
 */
#ifndef NEBULA_PLUGIN_H
#define NEBULA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NEBULA_ABI_MAJOR 1
#define NEBULA_ABI_MINOR 4

/* Name of the single exported entry function. */
#define NEBULA_ENTRY_SYMBOL "nebula_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define NEBULA_EXPORT __attribute__((visibility("default")))
#else
#define NEBULA_EXPORT
#endif

/* Recommended size of a caller-owned error buffer. */
#define NEBULA_ERROR_CAP 1024

/* ------------------------------------------------------------------ */
/* Status codes: stable values, never renumbered.                      */
/* ------------------------------------------------------------------ */
typedef enum nebula_status {
  NEBULA_OK = 0,
  NEBULA_RETRY = 1,       /* transient: try again later (e.g. queue full) */
  NEBULA_INVALID = 2,     /* bad input or config; retrying will not help */
  NEBULA_IO = 3,          /* file / socket / disk error */
  NEBULA_INTERNAL = 4,    /* bug or unexpected exception inside the callee */
  NEBULA_UNSUPPORTED = 5, /* capability or operation not provided */
  NEBULA_NOT_FOUND = 6    /* named thing (topic, node, version) does not exist */
} nebula_status;

typedef enum nebula_log_level {
  NEBULA_LOG_TRACE = 0,
  NEBULA_LOG_DEBUG = 1,
  NEBULA_LOG_INFO = 2,
  NEBULA_LOG_WARN = 3,
  NEBULA_LOG_ERROR = 4
} nebula_log_level;

typedef enum nebula_metric_type { /* ABI 1.3 */
  NEBULA_METRIC_COUNTER = 1,
  NEBULA_METRIC_GAUGE = 2,
  NEBULA_METRIC_HISTOGRAM = 3
} nebula_metric_type;

typedef enum nebula_plugin_kind {
  NEBULA_KIND_TRANSPORT = 1,
  NEBULA_KIND_PROCESSOR = 2,
  NEBULA_KIND_AGENT = 3,
  NEBULA_KIND_SINK = 4 /* ABI 1.3 */
} nebula_plugin_kind;

/* ------------------------------------------------------------------ */
/* Arrow C Data Interface (layout from the public Arrow specification). */
/* Record batches cross the boundary as a struct-typed ArrowArray whose */
/* children are the columns; column names are the dotted field names.  */
/* Formats used: "u" utf8, "l" int64, "g" float64, "+s" struct.          */
/* ------------------------------------------------------------------ */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/* ------------------------------------------------------------------ */
/* Insights: UTF-8 JSON text published on a topic.                     */
/* ------------------------------------------------------------------ */
typedef struct nebula_insight {
  size_t struct_size;
  const char* topic;  /* NUL-terminated, e.g. "patterns" */
  const char* source; /* component id that emitted it (set by the host) */
  const char* json;   /* UTF-8 JSON document, json_len bytes (NUL-terminated too) */
  size_t json_len;
  double timestamp;   /* seconds since the Unix epoch when emitted */
} nebula_insight;

/* A byte sink the host lends to a plugin: query answers, checkpoints.
 * Borrowed for the call that receives it. */
typedef struct nebula_sink {
  void* ctx;
  /* [data] Appends len bytes. Returns NEBULA_OK or NEBULA_IO. */
  nebula_status (*write)(void* ctx, const void* data, size_t len);
} nebula_sink;

/* A byte source the host lends to a plugin: checkpoint loading.
 * Borrowed for the call that receives it. */
typedef struct nebula_source {
  void* ctx;
  /* [data] Reads up to cap bytes into buf; returns bytes read, 0 at end,
   * or -1 on an I/O error. */
  int64_t (*read)(void* ctx, void* buf, size_t cap);
} nebula_source;

/* What the host answers a transport that submitted a payload.
 * Filled by the host; `body` is owned by the host until `release` is called
 * by the transport (always call it, whatever the status). */
typedef struct nebula_verdict {
  size_t struct_size;
  nebula_status status;     /* OK = accepted (maybe partially), RETRY = full,
                               INVALID = rejected as a whole, IO = not durable */
  uint32_t accepted;        /* records safely queued */
  uint32_t rejected;        /* records refused as invalid */
  uint32_t retry_after_ms;  /* with RETRY: when to come back */
  uint32_t http_status;     /* suggested HTTP status (200, 400, 413, 429, 503...) */
  int64_t last_seq;         /* highest `seq` accepted in this payload, -1 if none */
  const char* body;         /* JSON answer for the sender, body_len bytes */
  size_t body_len;
  void (*release)(struct nebula_verdict*);
  void* private_data;
} nebula_verdict;

/* Payload formats a transport can hand to the host for decoding. */
#define NEBULA_FORMAT_JSON "application/json"        /* one document: contribution or batch */
#define NEBULA_FORMAT_NDJSON "application/x-ndjson"  /* one record per line */

/* ------------------------------------------------------------------ */
/* The host table: one per plugin instance, owned by the host until the */
/* instance is destroyed. Plugins call back through it instead of       */
/* linking against host symbols, which makes a mock host trivial.       */
/* ------------------------------------------------------------------ */
typedef struct nebula_host {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  void* ctx; /* opaque; pass back as the first argument */

  /* [thread-safe] Writes a log line attributed to this instance. msg borrowed. */
  void (*log)(void* ctx, nebula_log_level level, const char* msg);

  /* [thread-safe] Publishes an insight on `topic`. topic/json borrowed.
   * Returns NEBULA_RETRY when the downstream queues are full (nothing was
   * published; the caller may retry), NEBULA_INVALID if json is not JSON. */
  nebula_status (*emit_insight)(void* ctx, const char* topic, const char* json, size_t json_len,
                                char* err, size_t err_cap);

  /* [thread-safe] For transports: hands a raw payload to the host, which
   * decodes and validates it (the same way for every transport), makes the
   * records durable and queues them. `meta_json` (borrowed, may be NULL)
   * carries sender facts such as {"peer":"127.0.0.1:5555","token":"..."}.
   * `out` is filled by the host and must be released by the caller. */
  nebula_status (*submit_payload)(void* ctx, const char* format, const void* data, size_t len,
                                  const char* meta_json, nebula_verdict* out);

  /* [thread-safe] Adds delta to the counter `name` of this instance
   * (exported as nebula_component_<name>_total{component="<id>"}). */
  void (*counter_add)(void* ctx, const char* name, double delta);

  /* [thread-safe] Sets the gauge `name` of this instance. */
  void (*gauge_set)(void* ctx, const char* name, double value);

  /* [thread-safe] Directory this instance may keep state in; it exists.
   * Owned by the host until the instance is destroyed. */
  const char* (*state_dir)(void* ctx);

  /* [thread-safe] Runs cb(user) on a host timer thread after delay_ms, then
   * every period_ms if period_ms > 0, until the instance stops. Callbacks of
   * one instance never overlap with its [data] calls. */
  nebula_status (*schedule)(void* ctx, uint64_t delay_ms, uint64_t period_ms, void (*cb)(void* user),
                            void* user);

  /* ---- ABI 1.1: check struct_size before calling (NEBULA_HOST_HAS). ---- */

  /* [data] Only from inside process_records: row `row` of the batch being
   * processed is rejected for good (this processor can never use it; not a
   * transient failure). The host writes the record and `reason` (borrowed)
   * to the dead-letter file, from where an operator can list and replay it;
   * the rest of the batch counts as processed. Returning NEBULA_INVALID from
   * process_records dead-letters the whole batch the same way. Returns
   * NEBULA_INVALID for a row outside the batch or a call from elsewhere. */
  nebula_status (*reject_record)(void* ctx, int64_t row, const char* reason);

  /* ---- ABI 1.2 ---- */

  /* [thread-safe] For transports that take payloads from a broker which has
   * already accepted them (e.g. a Redis stream): a payload that can never be
   * submitted (it does not decode, or it was delivered too many times) goes
   * to the dead-letter file with `reason` instead of being dropped or retried
   * forever. format/data/reason borrowed. Returns NEBULA_OK once the letter is
   * durable, NEBULA_IO if it could not be written (keep the payload then). */
  nebula_status (*dead_letter_payload)(void* ctx, const char* format, const void* data, size_t len,
                                       const char* reason);

  /* [thread-safe] Reports whether this instance can do its job (e.g. a
   * transport that lost its broker). While any instance reports not ready,
   * /readyz answers 503 naming it and `reason` (borrowed). Instances start
   * ready. */
  void (*set_ready)(void* ctx, int ready, const char* reason);

  /* ---- ABI 1.3 ---- */

  /* [thread-safe] Declares a labelled metric family, exported on /metrics
   * as nebula_<name> (a counter's name ends in _total: given or added) with
   * the label component="<this instance's id>" added. `help` (borrowed) is
   * its HELP text. label_names (borrowed, at most 8, [a-z_][a-z0-9_]*) are
   * the labels every update gives, in this order. Histograms: `bounds`
   * (ascending upper bounds, borrowed; NULL = 0.005 s … 10 s, Prometheus'
   * defaults). max_series bounds the family's label sets across instances
   * (0 = 1000): past it a new label set is refused and counted in
   * nebula_metric_series_refused_total, so keep label values to a small,
   * known set (a chain, a kind, a band; never a node id). Declaring the same
   * family again with the same shape is a no-op. NEBULA_INVALID (err says
   * why) for a bad name, a different shape than an earlier declaration, or
   * too many labels. */
  nebula_status (*metric_declare)(void* ctx, const char* name, nebula_metric_type type, const char* help,
                                  const char* const* label_names, size_t n_labels, const double* bounds,
                                  size_t n_bounds, size_t max_series, char* err, size_t err_cap);

  /* [thread-safe] Updates a family this instance declared: a counter adds
   * `value` (>= 0), a gauge is set to it, a histogram observes it.
   * label_values (borrowed) in the declared order. NEBULA_INVALID for an
   * undeclared name, a wrong number of values or a negative counter delta. */
  nebula_status (*metric_update)(void* ctx, const char* name, const char* const* label_values, size_t n_values,
                                 double value);
} nebula_host;

/* True when the host table `h` has the member `field` (added in a later minor). */
#define NEBULA_HOST_HAS(h, field) \
  ((h)->struct_size >= offsetof(nebula_host, field) + sizeof(((nebula_host*)0)->field))

/* True when the capability table `t` of type `type` has the member `field`
 * (added in a later minor) and sets it. */
#define NEBULA_TABLE_HAS(type, t, field) \
  ((t)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field) && (t)->field != NULL)

/* ------------------------------------------------------------------ */
/* Capabilities, found with descriptor->get_capability(id).            */
/* Every function takes the instance pointer returned by create().     */
/* ------------------------------------------------------------------ */
#define NEBULA_CAP_PROCESSOR "nebula.processor/1"
#define NEBULA_CAP_AGENT "nebula.agent/1"
#define NEBULA_CAP_TRANSPORT_SERVER "nebula.transport.server/1"
#define NEBULA_CAP_TRANSPORT_CLIENT "nebula.transport.client/1"
#define NEBULA_CAP_SINK "nebula.sink/1" /* ABI 1.3 */

typedef struct nebula_processor_v1 {
  size_t struct_size;
  /* [data] A record batch (struct array, columns by name). schema and array
   * are borrowed for the call; do not release them. Returning an error makes
   * this processor's result null for this batch only. */
  nebula_status (*process_records)(void* instance, const struct ArrowSchema* schema,
                                   const struct ArrowArray* batch, char* err, size_t err_cap);
  /* [data] One insight from an upstream component. Borrowed for the call. */
  nebula_status (*process_insight)(void* instance, const nebula_insight* insight, char* err,
                                   size_t err_cap);
  /* [control] Emits whatever is pending (called on drain). May be NULL. */
  nebula_status (*flush)(void* instance, char* err, size_t err_cap);

  /* ---- ABI 1.4: check struct_size before calling; may be NULL. ---- */

  /* [data] Ends one pool cycle for this instance: called right after the
   * cycle's record batch and insights were delivered to it, and only when at
   * least one was. A processor whose answer depends on all of its inputs
   * together (e.g. a ranked list) computes and emits it here, once per cycle,
   * instead of once per input. An error is counted like any [data] failure
   * and delays nothing else. */
  nebula_status (*end_cycle)(void* instance, char* err, size_t err_cap);
} nebula_processor_v1;

typedef struct nebula_agent_v1 {
  size_t struct_size;
  /* [control] Topics this instance learns from; writes up to cap borrowed
   * pointers (valid until destroy) and returns how many there are. */
  size_t (*subscriptions)(void* instance, const char** topics, size_t cap);
  /* [data] One training batch: n insights, borrowed for the call. Only ever
   * called from this agent's own training thread. */
  nebula_status (*learn)(void* instance, const nebula_insight* batch, size_t n, char* err,
                         size_t err_cap);
  /* [thread-safe] JSON request in, JSON answer written to `out`. */
  nebula_status (*query)(void* instance, const char* request_json, size_t len, const nebula_sink* out,
                         char* err, size_t err_cap);
  /* [thread-safe] JSON status: {"steps":..,"samples":..,"train_loss":..,
   * "val_loss":..,"version":..,...} written to `out`. */
  nebula_status (*stats)(void* instance, const nebula_sink* out, char* err, size_t err_cap);
  /* [data] Writes a checkpoint (model, optimiser, normalisation) to `out`. */
  nebula_status (*save)(void* instance, const nebula_sink* out, char* err, size_t err_cap);
  /* [data] Restores a checkpoint. NEBULA_INVALID if it is damaged; the
   * instance must then still be usable (fresh). */
  nebula_status (*load)(void* instance, const nebula_source* in, char* err, size_t err_cap);
} nebula_agent_v1;

typedef struct nebula_transport_server_v1 {
  size_t struct_size;
  /* [control] Start listening/tailing; payloads go to host->submit_payload. */
  nebula_status (*start)(void* instance, char* err, size_t err_cap);
  /* [control] Stop taking new input; in-flight submissions finish first. */
  nebula_status (*stop)(void* instance, char* err, size_t err_cap);
  /* [thread-safe] Where it listens, as JSON: {"address":"127.0.0.1","port":7000}. */
  nebula_status (*describe)(void* instance, const nebula_sink* out, char* err, size_t err_cap);

  /* ---- ABI 1.2: check struct_size before calling; may be NULL. ---- */

  /* [control] Called before start(), while the host replays its
   * write-ahead log, once per logged payload this transport submitted with
   * an "origin" in its meta_json (borrowed here). Answers whether the host
   * should still process it:
   *   NEBULA_OK         keep: it is still this host's to process;
   *   NEBULA_NOT_FOUND  drop: another host has taken it over (it was handed
   *                     on before this host could confirm it);
   *   NEBULA_RETRY      cannot tell yet (broker unreachable): ask again.
   * Anything else keeps it. */
  nebula_status (*confirm_replay)(void* instance, const char* origin, char* err, size_t err_cap);
} nebula_transport_server_v1;

/* Outcome of a client-side delivery. */
typedef struct nebula_delivery {
  size_t struct_size;
  nebula_status status;    /* OK accepted, RETRY come back later, INVALID rejected */
  uint32_t accepted;
  uint32_t rejected;
  uint32_t retry_after_ms; /* with RETRY: the server's hint, 0 if none */
  char message[256];       /* short reason for the node's log */
} nebula_delivery;

typedef struct nebula_transport_client_v1 {
  size_t struct_size;
  /* [control] Creates a client for `endpoint` (e.g. "http://127.0.0.1:7000",
   * "tcp://host:7001", "file:///var/spool/nebula/node.jsonl"). config_json
   * borrowed. The client is owned by the caller until client_destroy. */
  nebula_status (*client_create)(const char* endpoint, const char* config_json, void** client,
                                 char* err, size_t err_cap);
  /* [data] Delivers one batch document (the data_batch wire shape, UTF-8
   * JSON, borrowed) and waits for the verdict. One call at a time per client. */
  nebula_status (*deliver)(void* client, const char* batch_json, size_t len, nebula_delivery* out);
  /* [control] */
  void (*client_destroy)(void* client);
} nebula_transport_client_v1;

/* ABI 1.3. A sink takes insights out of the pool (history, alerts,
 * webhooks, files). The host gives each sink instance its own bounded queue
 * and delivery thread: a slow or dead sink never stalls processors, agents or
 * ingest. The host retries a batch the sink could not deliver (RETRY, IO)
 * with backoff, and dead-letters what it can never deliver (INVALID, the
 * retries used up, or the queue full), counted and replayable. A sink may
 * call host->schedule (e.g. to re-send active alerts); those callbacks never
 * overlap its [data] calls. Agents may emit insights too (ABI 1.3): from
 * learn() on their training thread, like processors from theirs. */
typedef struct nebula_sink_v1 {
  size_t struct_size;
  /* [data] Delivers n insights (borrowed for the call), oldest first, each
   * topic's insights in emission order. Only ever called from this sink's
   * own delivery thread.
   *   NEBULA_OK       all delivered (or durably handed to the destination);
   *   NEBULA_RETRY,
   *   NEBULA_IO       none or only some delivered, transient: the host
   *                   delivers the same batch again after a backoff, so the
   *                   destination must tolerate a repeat (insights carry
   *                   their source, topic and timestamp to key on);
   *   NEBULA_INVALID  the batch can never be delivered: the host then offers
   *                   its insights one by one and dead-letters only those
   *                   refused again. */
  nebula_status (*deliver)(void* instance, const nebula_insight* batch, size_t n, char* err, size_t err_cap);
  /* [thread-safe] May be NULL. A sink that keeps history answers queries:
   * JSON request in (e.g. {"topic":..,"node_id":..,"chain_id":..,"since":..,
   * "until":..,"after":<cursor>,"limit":..}), JSON answer written to `out`.
   * NEBULA_INVALID for a bad request (err says why). */
  nebula_status (*query)(void* instance, const char* request_json, size_t len, const nebula_sink* out,
                         char* err, size_t err_cap);
  /* [control] May be NULL. Called on drain after the last deliver():
   * write out whatever is buffered. */
  nebula_status (*flush)(void* instance, char* err, size_t err_cap);
} nebula_sink_v1;

/* ------------------------------------------------------------------ */
/* Plugin descriptor: one per plugin in the library. Static storage.   */
/* ------------------------------------------------------------------ */
typedef struct nebula_plugin_descriptor {
  size_t struct_size;
  const char* id;          /* reverse-DNS, e.g. "nebula.processor.pattern" */
  const char* name;        /* human name, e.g. "Pattern Recognizer" */
  const char* version;     /* plugin version, semver */
  const char* description;
  nebula_plugin_kind kind;

  /* [control] Checks a config (JSON object text, borrowed) without creating
   * anything. On NEBULA_INVALID, err holds one problem per line, each
   * "<json-pointer>: <message>" (pointer "" for the whole object), so the
   * host can point at the YAML line and column. */
  nebula_status (*validate_config)(const char* config_json, char* err, size_t err_cap);

  /* [control] Creates an instance. host is owned by the host until
   * destroy(); config_json borrowed. *instance is owned by the plugin. */
  nebula_status (*create)(const nebula_host* host, const char* config_json, void** instance,
                          char* err, size_t err_cap);

  /* [control] Destroys an instance. No other call is in flight. */
  void (*destroy)(void* instance);

  /* [thread-safe] Returns the capability table for id (static storage),
   * or NULL when this plugin does not provide it. */
  const void* (*get_capability)(const char* capability_id);
} nebula_plugin_descriptor;

/* What the entry function returns: static storage, valid until the process exits
 * (plugins are never unloaded). */
typedef struct nebula_plugin_entry_t {
  size_t struct_size;
  uint32_t abi_major; /* NEBULA_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor; /* NEBULA_ABI_MINOR the plugin was built with */
  size_t plugin_count;
  const nebula_plugin_descriptor* const* plugins;
} nebula_plugin_entry_t;

/* [thread-safe] The single exported symbol. The host passes its own ABI
 * version so a plugin may adapt; the plugin returns its descriptors. */
typedef const nebula_plugin_entry_t* (*nebula_plugin_entry_fn)(uint32_t host_abi_major,
                                                               uint32_t host_abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* NEBULA_PLUGIN_H */
