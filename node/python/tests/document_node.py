"""A node with the attributes and methods the architecture document's
NodePoolInterface reads, returning fixed, recognisable values."""
import time
from types import SimpleNamespace


class DocumentNode:
    def __init__(self, node_id="py-node-1", node_type="testnet", chain_id="testnet",
                 height=881234, peers=17, latency=42.5, bandwidth=512.0, quality=0.93):
        self.node_id = node_id
        self.node_type = node_type
        self.chain_config = SimpleNamespace(chain_id=chain_id)
        self.peers = [f"peer-{i}" for i in range(peers)]
        self.start_time = time.time() - 60
        self.running = True
        self.hash_rate = 1250.0
        self.height = height
        self.latency = latency
        self.bandwidth = bandwidth
        self.quality = quality

    def get_blockchain_height(self):
        return self.height

    def get_recent_block_count(self):
        return 1

    def get_transaction_count(self):
        return 40

    def calculate_average_latency(self):
        return self.latency

    def get_bandwidth_usage(self):
        return self.bandwidth

    def get_connection_quality(self):
        return self.quality
