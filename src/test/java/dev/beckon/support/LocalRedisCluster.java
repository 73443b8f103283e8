package dev.beckon.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.beckon.redis.EmbeddedRedisServer;

/**
 * A real three-master Redis Cluster on loopback ports, formed with CLUSTER ADDSLOTS and
 * CLUSTER MEET (so it needs no redis-cli and works with the embedded 6.2 binary as well).
 */
public final class LocalRedisCluster {

    private static final int SLOTS = 16384;

    private final List<EmbeddedRedisServer> nodes = new ArrayList<>();

    public static LocalRedisCluster start(int masters) {
        return start(masters, null);
    }

    /** A cluster whose nodes require {@code password} of clients and of each other (requirepass, masterauth). */
    public static LocalRedisCluster start(int masters, String password) {
        LocalRedisCluster cluster = new LocalRedisCluster();
        List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
        if (password != null) {
            args.addAll(List.of("--requirepass", password, "--masterauth", password));
        }
        for (int i = 0; i < masters; i++) {
            cluster.nodes.add(new EmbeddedRedisServer(EmbeddedRedisServer.freePort(), args.toArray(String[]::new)).start());
        }
        for (int i = 0; i < masters; i++) {
            int from = i * SLOTS / masters, to = (i + 1) * SLOTS / masters;
            String[] command = new String[2 + to - from];
            command[0] = "CLUSTER";
            command[1] = "ADDSLOTS";
            for (int slot = from; slot < to; slot++) {
                command[2 + slot - from] = Integer.toString(slot);
            }
            cluster.nodes.get(i).call(command);
        }
        for (int i = 1; i < masters; i++) {
            cluster.nodes.get(0).call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(cluster.nodes.get(i).port()));
        }
        cluster.awaitReady(masters);
        return cluster;
    }

    private void awaitReady(int masters) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean ready = true;
            for (EmbeddedRedisServer node : nodes) {
                String info = (String) node.call("CLUSTER", "INFO");
                ready &= info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + masters);
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The Redis Cluster did not form");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The node that serves {@code key}. */
    public EmbeddedRedisServer nodeOf(String key) {
        long slot = (Long) nodes.get(0).call("CLUSTER", "KEYSLOT", key);
        int node = 0;
        while ((long) (node + 1) * SLOTS / nodes.size() <= slot) {
            node++;
        }
        return nodes.get(node);
    }

    public List<EmbeddedRedisServer> nodes() {
        return nodes;
    }

    /** The hosts to configure: every master. */
    public String hosts() {
        return String.join(",", nodes.stream().map(EmbeddedRedisServer::uri).toList());
    }

    public void stop() {
        nodes.forEach(EmbeddedRedisServer::stop);
    }
}
