package org.council.node.netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting helpers over a set of {@link NetnsNode}s: conditions, never sleep-and-hope. */
final class NetCluster {

    private NetCluster() {
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError(message.get());
    }

    /** Every node connected to every other. */
    static void awaitMesh(List<NetnsNode> nodes, Duration timeout) {
        awaitTrue(() -> nodes.stream().allMatch(n -> n.status()[2] >= nodes.size() - 1), timeout,
                () -> "mesh not formed: " + describe(nodes));
    }

    /** Every node holds the same feeds at the same heads and the same balances. */
    static void awaitConverged(List<NetnsNode> nodes, Duration timeout) {
        awaitTrue(() -> same(nodes, "HEADS") && same(nodes, "BALANCES"), timeout,
                () -> "nodes did not converge: " + describe(nodes));
    }

    static boolean same(List<NetnsNode> nodes, String command) {
        String first = nodes.get(0).ask(command);
        return nodes.stream().allMatch(n -> n.ask(command).equals(first));
    }

    static String describe(List<NetnsNode> nodes) {
        List<String> parts = new ArrayList<>();
        for (NetnsNode n : nodes) {
            long[] s = n.status();
            parts.add(n.host().name() + "(" + n.address() + ") events=" + s[0] + " feeds=" + s[1] + " peers=" + s[2]);
        }
        return String.join("; ", parts);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
