#!/usr/bin/env python3
"""Pipeline files for scripts/bench, derived from config/pipeline.yaml as
text so that everything not named here (pool, training, a `wal:` section,
env defaults) stays exactly as the default pipeline has it.

  pipeline_variant.py queue-only   SRC OUT   the transports of SRC + one no-op processor
  pipeline_variant.py training-off SRC OUT   SRC with training.enabled: false
  pipeline_variant.py training-priority P SRC OUT   SRC with training.priority: P
  pipeline_variant.py wal          SRC       JSON {"wal": text, "enabled": bool, "fsync": policy}
"""
import json
import pathlib
import re
import sys

import yaml

TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*:")


def sections(text):
    """Splits the file into top-level blocks: [(key or None, [lines])]."""
    out = [(None, [])]
    for line in text.splitlines(keepends=True):
        if TOP_KEY.match(line):
            out.append((line.split(":", 1)[0], []))
        out[-1][1].append(line)
    return out


def queue_only(text):
    out = []
    for key, lines in sections(text):
        if key != "components":
            out += lines
            continue
        items, cur = [], None
        for line in lines[1:]:
            if re.match(r"^\s*-\s+id:", line):
                cur = [line]
                items.append(cur)
            elif cur is not None:
                cur.append(line)
        transports = [i for i in items if re.search(r"plugin:\s*nebula\.transport\.", "".join(i))]
        ids = [re.search(r"id:\s*(\S+)", i[0]).group(1) for i in transports]
        out.append("components:\n")
        for item in transports:
            out += [l for l in item if l.strip() and not l.strip().startswith("#")]
        out.append("  # scripts/bench: records go to the pool queue and one processor that ignores them\n")
        out.append("  - id: noop\n    plugin: nebula.bench.noop\n    inputs: [%s]\n" % ", ".join(ids))
    return "".join(out)


def set_training(text, key, value):
    """SRC with training.<key>: <value>, replacing the key if the file sets it."""
    out = []
    pattern = re.compile(r"^(\s+)%s:[ \t]*[^\s#]*" % re.escape(key), re.M)
    for section, lines in sections(text):
        if section == "training":
            block = "".join(lines)
            if pattern.search(block):
                block = pattern.sub(lambda m: "%s%s: %s" % (m.group(1), key, value), block, count=1)
            else:
                block = block.replace("training:\n", "training:\n  %s: %s\n" % (key, value), 1)
            out.append(block)
        else:
            out += lines
    return "".join(out)


def wal(text, root):
    """The write-ahead log as this pipeline runs it: the host's defaults
    (WalSettings in host/src/config) overridden by the file's wal: section."""
    header = root / "host" / "src" / "config" / "pipeline_config.hpp"
    struct = re.search(r"struct WalSettings \{(.*?)\n\};", header.read_text(), re.S) if header.exists() else None
    if struct is None:
        return {"wal": "none (the host has no write-ahead log yet)", "enabled": False, "fsync": ""}
    enabled = re.search(r"bool enabled = (\w+)", struct.group(1)).group(1) == "true"
    fsync = re.search(r"Fsync fsync = Fsync::(\w+)", struct.group(1)).group(1).lower()
    section = (yaml.safe_load(text) or {}).get("wal") or {}

    def value(v):  # "${VAR:-default}" -> default (the bench does not set it)
        m = re.fullmatch(r"\$\{\w+:-(.*)\}", str(v))
        return m.group(1) if m else v

    if "enabled" in section:
        enabled = str(value(section["enabled"])).lower() in ("true", "yes", "on", "1")
    if "fsync" in section:
        f = section["fsync"]
        fsync = "interval" if isinstance(f, dict) else str(value(f))
    where = "pipeline file" if section else "host default"
    desc = ("on, fsync: %s (%s)" % (fsync, where)) if enabled else "off (%s)" % where
    return {"wal": desc, "enabled": enabled, "fsync": fsync if enabled else ""}


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "training-priority":
        priority, args = args[0], args[1:]
    text = pathlib.Path(args[0]).read_text()
    if mode == "wal":
        print(json.dumps(wal(text, pathlib.Path(__file__).resolve().parent.parent)))
        return
    if mode == "queue-only":
        result = queue_only(text)
    elif mode == "training-off":
        result = set_training(text, "enabled", "false")
    elif mode == "training-priority":
        result = set_training(text, "priority", priority)
    else:
        sys.exit("unknown mode: " + mode)
    pathlib.Path(args[1]).write_text(result)


if __name__ == "__main__":
    main()
