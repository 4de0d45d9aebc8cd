package org.council.node.netns;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

/**
 * Whether this machine lets a test build a namespace network. A suite that cannot have one is
 * skipped with the reason (a JUnit assumption), never run on loopback in disguise.
 */
public final class NetPreconditions {

    private static volatile String namespacesProblem;
    private static volatile Boolean namespacesChecked;
    private static volatile String netemProblem;
    private static volatile Boolean netemChecked;

    private NetPreconditions() {
    }

    /** Root, iproute2, and {@code ip netns add} working; the reason if not. */
    public static synchronized String namespacesProblem() {
        if (namespacesChecked == null) {
            namespacesProblem = probeNamespaces();
            namespacesChecked = Boolean.TRUE;
        }
        return namespacesProblem;
    }

    private static String probeNamespaces() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "network namespaces need Linux";
        }
        NetLab.Result ip = NetLab.run("ip", "-V");
        if (!ip.ok()) {
            return "iproute2 ('ip') is not installed: " + ip.out();
        }
        NetLab.Result uid = NetLab.run("id", "-u");
        if (!uid.ok() || !uid.out().equals("0")) {
            return "network namespaces need root (uid " + uid.out() + ")";
        }
        String probe = NetLab.PREFIX + "probe-" + Integer.toString(new Random().nextInt(1 << 24), 36);
        NetLab.Result add = NetLab.run("ip", "netns", "add", probe);
        NetLab.run("ip", "netns", "del", probe);
        return add.ok() ? null : "'ip netns add' is not permitted here: " + add.out();
    }

    public static void assumeNamespaces() {
        String problem = namespacesProblem();
        if (problem != null) {
            System.out.println("[netns] SKIPPED: " + problem);
        }
        assumeTrue(problem == null, () -> "namespace network unavailable: " + problem);
    }

    /** The kernel's netem qdisc (sch_netem), tried in a throwaway namespace; the reason if not. */
    public static synchronized String netemProblem() {
        if (netemChecked == null) {
            String probe = NetLab.PREFIX + "probe-" + Integer.toString(new Random().nextInt(1 << 24), 36);
            NetLab.run("ip", "netns", "add", probe);
            NetLab.Result r = NetLab.run("ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev", "lo", "root",
                    "netem", "delay", "1ms");
            NetLab.run("ip", "netns", "del", probe);
            netemProblem = r.ok() ? null : "tc netem unavailable (kernel without sch_netem, or tc missing): " + r.out();
            netemChecked = Boolean.TRUE;
        }
        return netemProblem;
    }

    /** Delay and loss on links: tc netem, or else the {@link NfqueueShaper} (iptables and python3). */
    public static void assumeLinkShaping() {
        assumeNamespaces();
        String problem = netemProblem();
        if (problem != null && !NfqueueShaper.available()) {
            String why = problem + "; and no iptables + python3 for the NFQUEUE emulator";
            System.out.println("[netns] SKIPPED: " + why);
            assumeTrue(false, why);
        }
    }

    /** {@code iptables} with the nat table, tried in a throwaway namespace. */
    public static void assumeIptables() {
        assumeNamespaces();
        String probe = NetLab.PREFIX + "probe-" + Integer.toString(new Random().nextInt(1 << 24), 36);
        NetLab.run("ip", "netns", "add", probe);
        NetLab.Result r = NetLab.run("ip", "netns", "exec", probe, "iptables", "-t", "nat", "-L", "-n");
        NetLab.run("ip", "netns", "del", probe);
        if (!r.ok()) {
            System.out.println("[netns] SKIPPED: iptables (nat table) unavailable: " + r.out());
        }
        assumeTrue(r.ok(), () -> "iptables with the nat table unavailable: " + r.out());
    }
}
