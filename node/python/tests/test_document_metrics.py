"""The pool decodes the document's records as NodePoolInterface sends them:
every metric under blockchain_metrics / network_metrics shows up in the
insights. (This needs the pool to accept the *_metrics group names, issue #14.)"""
from document_node import DocumentNode
from nebula_node import NodePoolInterface
from polling import wait_until


def chain_of(insight, chain):
    return ((insight or {}).get("data") or {}).get("chains", {}).get(chain)


def test_the_insights_show_the_metrics_the_node_sent(pool, client_config):
    node = DocumentNode(node_id="doc-node", chain_id="testnet", peers=17, latency=42.5, height=881234)
    with NodePoolInterface(node, client_config(pool.endpoint("http")), submit_batch_size=4) as interface:
        for _ in range(4):
            interface.record_metrics()
        assert wait_until(lambda: interface.stats()["delivered"] == 4), interface.stats()
    assert wait_until(lambda: pool.pool_stats()["records_processed"] == 4), pool.pool_stats()

    network = wait_until(lambda: chain_of(pool.latest_insight("network"), "testnet"))
    assert network, pool.latest_insight("network")
    assert network["peer_count"]["count"] == 4, network
    assert (network["peer_count"]["min"], network["peer_count"]["max"]) == (17, 17)
    assert network["latency_ms"]["mean"] == 42.5
    assert network["bandwidth"]["total"] == 512.0 and network["connection_quality"]["mean"] == 0.93

    blockchain = wait_until(lambda: chain_of(pool.latest_insight("blockchain"), "testnet"))
    assert blockchain and blockchain["tip_height"] == 881234, pool.latest_insight("blockchain")
