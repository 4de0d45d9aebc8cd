package org.council.bench.scale;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one run of the simulation measured, as the fields of its JSON line. */
record ScaleResult(int nodes, Map<String, Object> fields) {

    static ScaleResult of(ScaleParams p, List<SimNode> nodes, SimNetwork network, SimJobs jobs, ReceiptProbe probe,
                          List<SimNode> requesters, int announcers, long announcedAtMs, double wallSeconds,
                          long tasks) {
        List<SimNode> joined = nodes.stream().filter(n -> n.joined).toList();
        long[] events = joined.stream().mapToLong(n -> n.store.eventCount()).sorted().toArray();
        long[] feeds = joined.stream().mapToLong(n -> n.store.feedCount()).sorted().toArray();
        long[] scopes = joined.stream().mapToLong(n -> n.peer.scope().size()).sorted().toArray();
        long networkEvents = nodes.stream().mapToLong(n -> n.store.head(n.id).map(h -> h.seq()).orElse(0L)).sum();
        double seconds = p.durationMs() / 1000.0;
        double replication = nodes.stream().mapToLong(n -> n.replicationBytes).sum() / (double) p.nodes() / seconds;
        double gossip = nodes.stream().mapToLong(n -> n.gossipBytes).sum() / (double) p.nodes() / seconds;
        long sampled = nodes.stream().filter(n -> n.karma != null).mapToLong(n -> n.requests).sum();
        long known = nodes.stream().filter(n -> n.karma != null).mapToLong(n -> n.requestsKarmaKnown).sum();
        long[] converged = probe.convergedMs.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] parties = probe.partiesMs.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] found = requesters.stream().filter(n -> n.discoveredAtMs >= 0)
                .mapToLong(n -> n.discoveredAtMs - announcedAtMs).sorted().toArray();

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("nodes", p.nodes());
        f.put("events_per_node_median", percentile(events, 50));
        f.put("events_per_node_p99", percentile(events, 99));
        f.put("network_events", networkEvents);
        f.put("feeds_per_node_median", percentile(feeds, 50));
        f.put("scope_feeds_median", percentile(scopes, 50));
        f.put("scope_feeds_p99", percentile(scopes, 99));
        f.put("bytes_per_node_s", round(replication + gossip));
        f.put("replication_bytes_per_node_s", round(replication));
        f.put("gossip_bytes_per_node_s", round(gossip));
        // flooding sends each announcement over every session about once: this stays flat as the network grows
        f.put("gossip_bytes_per_node_per_announcement", announcers == 0 ? null : round(gossip * seconds / announcers));
        // a receipt still short of a node when the run ended counts as slower than every converged one
        f.put("receipt_parties_p50_s", seconds(percentile(parties, probe.partiesUnconverged(), 50)));
        f.put("receipt_parties_p99_s", seconds(percentile(parties, probe.partiesUnconverged(), 99)));
        f.put("receipt_p50_s", seconds(percentile(converged, probe.unconverged(), 50)));
        f.put("receipt_p99_s", seconds(percentile(converged, probe.unconverged(), 99)));
        f.put("receipts_probed", probe.probed);
        f.put("receipts_unconverged", probe.unconverged());
        f.put("receipts_converged_by_leaving_scope", probe.leftScope);
        f.put("nodes_needing_receipt_mean", probe.probed == 0 ? 0 : round((double) probe.needers / probe.probed));
        f.put("karma_known_share", sampled == 0 ? null : round((double) known / sampled));
        f.put("karma_sample_nodes", p.karmaSample());
        f.put("model_servers", announcers);
        f.put("model_found_share", requesters.isEmpty() ? null : round((double) found.length / requesters.size()));
        f.put("model_found_p99_s", found.length < requesters.size() * 0.99 ? null
                : seconds(found[Math.max(0, (int) Math.ceil(requesters.size() * 0.99) - 1)]));
        f.put("jobs_per_node_hour", p.jobsPerNodeHour());
        f.put("jobs", jobs.completed);
        f.put("jobs_failed_churn", jobs.failed);
        f.put("sim_minutes", p.durationMs() / 60_000);
        f.put("sessions_opened", network.sessionsOpened);
        f.put("catch_up_sessions", network.catchUps);
        f.put("sessions_ended_by_protocol", network.closedBy);
        if (!network.closeDetail.isEmpty()) {
            f.put("first_protocol_end", network.closeDetail.toString());
        }
        f.put("sim_tasks", tasks);
        f.put("wall_s", round(wallSeconds));
        return new ScaleResult(p.nodes(), f);
    }

    static long percentile(long[] sorted, int pct) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The percentile of converged times when {@code missing} more never converged (null when it falls among those). */
    static Long percentile(long[] sorted, long missing, int pct) {
        long total = sorted.length + missing;
        if (total == 0) {
            return 0L;
        }
        long i = Math.max(0, (long) Math.ceil(pct / 100.0 * total) - 1);
        return i < sorted.length ? sorted[(int) i] : null;
    }

    private static Double seconds(Long ms) {
        return ms == null ? null : round(ms / 1000.0);
    }

    private static double seconds(long ms) {
        return round(ms / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
