package org.council.node.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A multi-host test network made of Linux network namespaces on this machine: one namespace
 * holding a bridge is "the internet" (198.18.0.0/15, the benchmarking range), each host is a
 * namespace with one veth link to it, and {@link NatRouter}s put home LANs (10.200.x.0/24) behind
 * MASQUERADE. Every name carries {@link #PREFIX} and a random suffix so parallel or aborted runs do
 * not collide; {@link #close()} (and a shutdown hook) removes everything this lab made, and
 * {@link #removeLeftovers()} removes what an earlier, killed run left. No address or link is ever
 * created outside these namespaces. Not thread-safe: one test thread drives a lab.
 */
public final class NetLab implements AutoCloseable {

    /** Every namespace a lab makes starts with this, so leftovers can be found and removed. */
    public static final String PREFIX = "cnx-";

    private final String tag;
    private final String inet;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<Process> helpers = new ArrayList<>(); // emulators, captures: ended at close
    private final Thread hook = new Thread(this::removeAll, "netlab-cleanup");
    private int nextPublic = 1;
    private int nextLan = 1;

    /** One machine: its namespace, its address, and the bridge port of its link (inside {@link #inet}). */
    public record Host(String name, String ns, String address, String linkNs, String linkDev, String dev) {
    }

    private NetLab() {
        // The JVM's pid tells a leftover (its JVM is gone) from a parallel run's network.
        this.tag = ProcessHandle.current().pid() + "-"
                + Integer.toString(new Random().nextInt(1 << 20) | (1 << 20), 36);
        this.inet = PREFIX + tag + "-inet";
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Creates the internet: a namespace holding bridge {@code br0}, which has no address of its own. */
    public static NetLab create() {
        removeLeftovers();
        NetLab lab = new NetLab();
        lab.addNs(lab.inet);
        sh("ip", "-n", lab.inet, "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", lab.inet, "link", "set", "br0", "up");
        return lab;
    }

    /** A public host on the internet, e.g. 198.18.0.1/15. */
    public Host publicHost(String name) {
        String ns = PREFIX + tag + "-" + name;
        addNs(ns);
        String address = "198.18.0." + nextPublic;
        String port = "p" + nextPublic++;
        sh("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", inet);
        sh("ip", "-n", ns, "addr", "add", address + "/15", "dev", "eth0");
        sh("ip", "-n", ns, "link", "set", "eth0", "up");
        sh("ip", "-n", inet, "link", "set", port, "master", "br0");
        sh("ip", "-n", inet, "link", "set", port, "up");
        Host h = new Host(name, ns, address, inet, port, "eth0");
        hosts.put(name, h);
        return h;
    }

    /**
     * A home router: a public host whose WAN is {@code eth0}, with a LAN bridge {@code lan0} at
     * 10.200.x.1/24, forwarding on, MASQUERADE of the LAN out of the WAN, and inbound connections
     * from the WAN dropped unless they belong to a connection made from inside (a stateful home
     * router). Needs {@code iptables}.
     */
    public NatRouter natRouter(String name) {
        Host wan = publicHost(name);
        int lan = nextLan++;
        String net = "10.200." + lan;
        sh("ip", "-n", wan.ns(), "link", "add", "lan0", "type", "bridge");
        sh("ip", "-n", wan.ns(), "addr", "add", net + ".1/24", "dev", "lan0");
        sh("ip", "-n", wan.ns(), "link", "set", "lan0", "up");
        sh("ip", "netns", "exec", wan.ns(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        sh("ip", "netns", "exec", wan.ns(), "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", net + ".0/24",
                "-o", "eth0", "-j", "MASQUERADE");
        sh("ip", "netns", "exec", wan.ns(), "iptables", "-A", "FORWARD", "-i", "eth0", "-m", "conntrack",
                "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        sh("ip", "netns", "exec", wan.ns(), "iptables", "-A", "FORWARD", "-i", "eth0", "-j", "DROP");
        return new NatRouter(wan, net);
    }

    /** A home router and the LAN behind it. */
    public final class NatRouter {
        private final Host wan;
        private final String net;
        private int nextHost = 2;

        NatRouter(Host wan, String net) {
            this.wan = wan;
            this.net = net;
        }

        public Host wan() {
            return wan;
        }

        public String lanPrefix() {
            return net + ".0/24";
        }

        /** A host on this LAN, default route through the router. */
        public Host privateHost(String name) {
            String ns = PREFIX + tag + "-" + name;
            addNs(ns);
            String address = net + "." + nextHost;
            String port = "l" + nextHost++;
            sh("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", wan.ns());
            sh("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
            sh("ip", "-n", ns, "link", "set", "eth0", "up");
            sh("ip", "-n", ns, "route", "add", "default", "via", net + ".1");
            sh("ip", "-n", wan.ns(), "link", "set", port, "master", "lan0");
            sh("ip", "-n", wan.ns(), "link", "set", port, "up");
            Host h = new Host(name, ns, address, wan.ns(), port, "eth0");
            hosts.put(name, h);
            return h;
        }
    }

    /**
     * Gives {@code host} a route to {@code router}'s LAN through the router's WAN address, so that a
     * failed connection to a private address is the router refusing it, not a missing route.
     */
    public void routeTo(Host host, NatRouter router) {
        sh("ip", "-n", host.ns(), "route", "add", router.lanPrefix(), "via", router.wan().address());
    }

    /**
     * Delay and loss on both directions of the host's link: {@code tc netem} on each end, or, where
     * the kernel has no netem, the {@link NfqueueShaper}. Returns which one it used.
     */
    public String shape(Host h, int delayMs, double lossPercent) {
        if (NetPreconditions.netemProblem() == null) {
            netem(h, delayMs, lossPercent);
            return "tc netem";
        }
        try {
            helpers.add(NfqueueShaper.start(h, delayMs, lossPercent));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not start the NFQUEUE emulator", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return "NFQUEUE emulator (no sch_netem in this kernel)";
    }

    /** Starts a packet capture on the host's link; the lab ends it at close if the test did not. */
    public Capture capture(Host h, java.nio.file.Path file) {
        try {
            Capture c = Capture.start(h, file);
            helpers.add(c.process());
            return c;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not start tcpdump in " + h.ns(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Delay and loss on both directions of the host's link ({@code tc netem} on each end). */
    public void netem(Host h, int delayMs, double lossPercent) {
        for (String[] end : new String[][]{{h.ns(), h.dev()}, {h.linkNs(), h.linkDev()}}) {
            sh("ip", "netns", "exec", end[0], "tc", "qdisc", "replace", "dev", end[1], "root", "netem",
                    "delay", delayMs + "ms", "loss", lossPercent + "%");
        }
    }

    /** Cuts the host's link (both ends down): its packets go nowhere, its TCP sessions stall. */
    public void linkDown(Host h) {
        sh("ip", "-n", h.linkNs(), "link", "set", h.linkDev(), "down");
        sh("ip", "-n", h.ns(), "link", "set", h.dev(), "down");
    }

    public void linkUp(Host h) {
        sh("ip", "-n", h.linkNs(), "link", "set", h.linkDev(), "up");
        sh("ip", "-n", h.ns(), "link", "set", h.dev(), "up");
        if (h.address().startsWith("10.200.")) { // routes through a downed device are gone with it
            String gw = h.address().substring(0, h.address().lastIndexOf('.')) + ".1";
            run("ip", "-n", h.ns(), "route", "replace", "default", "via", gw);
        }
    }

    public Host host(String name) {
        return hosts.get(name);
    }

    /** The command prefix that runs a program inside the host's namespace. */
    public static List<String> inside(Host h, List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", h.ns()));
        c.addAll(command);
        return c;
    }

    private void addNs(String ns) {
        sh("ip", "netns", "add", ns);
        namespaces.add(ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs (and finds nothing left)
        }
    }

    private synchronized void removeAll() {
        for (Process p : helpers) {
            p.destroyForcibly(); // a capture was closed (and flushed) by its test, or is abandoned
        }
        helpers.clear();
        // Deleting a namespace deletes its veth ends, and with them the peers in other namespaces.
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            run("ip", "netns", "del", namespaces.get(i));
        }
        namespaces.clear();
    }

    /**
     * Removes the namespaces of earlier runs that were killed before they could clean up: those
     * named {@code cnx-<pid>-…} whose JVM no longer exists. A parallel run's namespaces stay.
     */
    public static void removeLeftovers() {
        Result r = run("ip", "netns", "list");
        for (String line : r.out().split("\n")) {
            String ns = line.split(" ")[0].trim();
            String[] parts = ns.split("-");
            if (ns.startsWith(PREFIX) && parts.length > 2 && parts[1].matches("\\d+")
                    && ProcessHandle.of(Long.parseLong(parts[1])).map(h -> !h.isAlive()).orElse(true)) {
                // Processes of the killed run (nodes, emulators) still live in it: end them by id.
                for (String pid : run("ip", "netns", "pids", ns).out().split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                run("ip", "netns", "del", ns);
            }
        }
    }

    /** What a command printed and how it ended. */
    public record Result(int exit, String out) {
        public boolean ok() {
            return exit == 0;
        }
    }

    static void sh(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.out());
        }
    }

    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
