"""The real nebula-pool process on a small YAML pipeline in a temp dir: http and
tcp transports, the block data and network monitor processors, the admin API on
an ephemeral port (found in <state_dir>/endpoints.json)."""
import json
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from polling import wait_until

PIPELINE = """\
plugins:
  paths: ["{plugin_dir}"]
state_dir: "{state_dir}"
log_level: info
admin: {{address: 127.0.0.1, port: 0}}
pool: {{batch_max_records: 100, batch_max_wait_ms: 50}}
training: {{enabled: false}}
shutdown: {{timeout_ms: 10000}}
components:
  - {{id: http_in, plugin: nebula.transport.http, config: {{address: 127.0.0.1, port: {http_port}}}}}
  - {{id: tcp_in, plugin: nebula.transport.tcp, config: {{address: 127.0.0.1, port: 0}}}}
  - {{id: block_data, plugin: nebula.processor.block_data, inputs: [http_in, tcp_in]}}
  - {{id: network, plugin: nebula.processor.network_monitor, inputs: [http_in, tcp_in]}}
"""


class PoolProcess:
    def __init__(self, pool_bin, plugin_dir, directory, http_port=0):
        self.pool_bin = pool_bin
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.state_dir = self.dir / "state"
        self.yaml = self.dir / "pipeline.yaml"
        self.yaml.write_text(PIPELINE.format(plugin_dir=plugin_dir, state_dir=self.state_dir, http_port=http_port))
        self.log_path = self.dir / "pool.log"
        self.process = None
        self.endpoints = None

    def start(self):
        """Starts the pool and waits until its admin API answers /readyz with 200."""
        (self.state_dir / "endpoints.json").unlink(missing_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([self.pool_bin, "run", "-c", str(self.yaml)],
                                            stdout=log, stderr=subprocess.STDOUT)
        endpoints_file = self.state_dir / "endpoints.json"
        wait_until(lambda: endpoints_file.exists() or self.process.poll() is not None)
        assert self.process.poll() is None, f"nebula-pool exited early:\n{self.log()}"
        self.endpoints = json.loads(endpoints_file.read_text())
        assert wait_until(lambda: self.get_status("/readyz") == 200), f"pool never ready:\n{self.log()}"
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else None

    @property
    def admin_port(self):
        return self.endpoints["admin"]["port"]

    def endpoint(self, scheme):
        """The URL a node uses to reach this pool with the given transport."""
        transport = {"http": "http_in", "tcp": "tcp_in"}[scheme]
        return f"{scheme}://127.0.0.1:{self.endpoints['transports'][transport]['port']}"

    def get_status(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.admin_port}{path}", timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return None

    def get_json(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.admin_port}{path}", timeout=5) as r:
            return json.loads(r.read())

    def pool_stats(self):
        return self.get_json("/api/v1/pool/stats")["pool"]

    def latest_insight(self, topic):
        insights = self.get_json(f"/api/v1/pool/insights?topic={topic}&limit=1")["insights"]
        return insights[0] if insights else None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
