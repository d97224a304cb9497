#!/usr/bin/env python3
"""Pipeline files for scripts/bench, derived from config/pipeline.yaml as
text so that everything not named here (pool, training, a `wal:` section,
env defaults) stays exactly as the default pipeline has it.

  pipeline_variant.py queue-only   SRC OUT   the transports of SRC + one no-op processor
  pipeline_variant.py alone ID     SRC OUT   the transports of SRC + component ID of SRC fed by them
                                             (an agent: with the learning processor feeding it)
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


def component_items(lines):
    """The `components:` section's items: [(id, [lines])], comments left out."""
    items, cur = [], None
    for line in lines[1:]:
        if re.match(r"^\s*-\s+id:", line):
            cur = [line]
            items.append(cur)
        elif cur is not None and line.strip() and not line.strip().startswith("#"):
            cur.append(line)
    return [(re.search(r"id:\s*(\S+)", i[0]).group(1), i) for i in items]


def with_components(text, build):
    """SRC with its components replaced by build(items, transport ids) -> text."""
    out = []
    for key, lines in sections(text):
        if key != "components":
            out += lines
            continue
        items = component_items(lines)
        transports = [(i, l) for i, l in items if re.search(r"plugin:\s*nebula\.transport\.", "".join(l))]
        out.append("components:\n")
        for _, item in transports:
            out += item
        out.append(build(dict(items), [i for i, _ in transports]))
    return "".join(out)


def queue_only(text):
    return with_components(text, lambda items, ids: (
        "  # scripts/bench: records go to the pool queue and one processor that ignores them\n"
        "  - id: noop\n    plugin: nebula.bench.noop\n    inputs: [%s]\n" % ", ".join(ids)))


def alone(text, component):
    """The transports and one component fed by them alone; an agent learns
    from the learning processor (fed by the transports), as it does by default."""
    def item(items, cid, inputs):
        lines = [l for l in items[cid] if not re.match(r"^\s*inputs:", l)]
        return "".join(lines[:2]) + "    inputs: [%s]\n" % ", ".join(inputs) + "".join(lines[2:])

    def build(items, ids):
        if component not in items:
            sys.exit("no component %r in the pipeline" % component)
        if re.search(r"plugin:\s*nebula\.agent\.", "".join(items[component])):
            return item(items, "learning", ids) + item(items, component, ["learning"])
        return item(items, component, ids)
    return with_components(text, build)


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
    if mode in ("training-priority", "alone"):
        choice, args = args[0], args[1:]
    text = pathlib.Path(args[0]).read_text()
    if mode == "wal":
        print(json.dumps(wal(text, pathlib.Path(__file__).resolve().parent.parent)))
        return
    if mode == "queue-only":
        result = queue_only(text)
    elif mode == "training-off":
        result = set_training(text, "enabled", "false")
    elif mode == "training-priority":
        result = set_training(text, "priority", choice)
    elif mode == "alone":
        result = alone(text, choice)
    else:
        sys.exit("unknown mode: " + mode)
    pathlib.Path(args[1]).write_text(result)


if __name__ == "__main__":
    main()
