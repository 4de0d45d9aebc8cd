package org.council.node.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Delay and loss where the kernel has no {@code sch_netem} (some VM kernels ship without it): the
 * host's namespace sends every packet in or out of its link to an iptables NFQUEUE, and a small
 * Python process (raw netlink, no libraries) gives each its verdict after the delay, dropping the
 * given share. Packets are really held and really dropped in the kernel's path, one emulator per
 * host, like netem on both ends of the link. Needs {@code iptables} and {@code python3}.
 */
final class NfqueueShaper {

    private static final String SCRIPT = """
import heapq, os, random, select, socket, struct, sys, time
queue, delay, loss = int(sys.argv[1]), float(sys.argv[2]) / 1000.0, float(sys.argv[3]) / 100.0
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((0, 0))
def attr(t, data):
    a = struct.pack("=HH", 4 + len(data), t) + data
    return a + b"\\0" * ((4 - len(a) % 4) % 4)
def send(msg, q, attrs):
    body = struct.pack("=BBH", 0, 0, socket.htons(q)) + attrs
    s.send(struct.pack("=IHHII", 16 + len(body), (3 << 8) | msg, 1, 0, 0) + body)
send(2, 0, attr(1, struct.pack("=BBH", 4, 0, socket.htons(2))))   # PF_UNBIND AF_INET
send(2, 0, attr(1, struct.pack("=BBH", 3, 0, socket.htons(2))))   # PF_BIND AF_INET
send(2, queue, attr(1, struct.pack("=BBH", 1, 0, socket.htons(2))))  # BIND queue
send(2, queue, attr(2, struct.pack(">IB", 0, 1) + b"\\0\\0\\0"))  # COPY_META
send(2, queue, attr(3, struct.pack(">I", 8192)))  # QUEUE_MAXLEN
print("READY", flush=True)
held = []
while True:
    timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
    r, _, _ = select.select([s], [], [], timeout)
    if r:
        data = s.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            ln, typ = struct.unpack_from("=IH", data, off)
            if ln < 16:
                break
            if typ == (3 << 8):
                a = off + 20
                while a + 4 <= off + ln:
                    alen, atyp = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    if atyp & 0x7fff == 1:
                        pid = struct.unpack_from(">I", data, a + 4)[0]
                        heapq.heappush(held, (time.monotonic() + delay, pid, 0 if random.random() < loss else 1))
                    a += (alen + 3) & ~3
            off += (ln + 3) & ~3
    now = time.monotonic()
    while held and held[0][0] <= now:
        _, pid, verdict = heapq.heappop(held)
        send(1, queue, attr(2, struct.pack(">II", verdict, pid)))
            """;

    private NfqueueShaper() {
    }

    /** True when iptables and python3 can run this emulator here. */
    static boolean available() {
        return NetLab.run("iptables", "-V").ok() && NetLab.run("python3", "-c", "import socket").ok();
    }

    /** Starts the emulator in {@code h}'s namespace and queues the link's traffic to it; the caller stops it. */
    static Process start(NetLab.Host h, int delayMs, double lossPercent) throws IOException, InterruptedException {
        Path script = Files.createTempFile("nfq-delay", ".py");
        Files.writeString(script, SCRIPT);
        script.toFile().deleteOnExit();
        Process p = new ProcessBuilder(NetLab.inside(h, List.of("python3", script.toString(), "0",
                Integer.toString(delayMs), Double.toString(lossPercent)))).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (!"READY".equals(ready)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("NFQUEUE emulator did not start in " + h.ns() + ": " + ready);
        }
        // Only after the queue is bound: packets queued to an unbound queue are dropped.
        NetLab.sh("ip", "netns", "exec", h.ns(), "iptables", "-A", "OUTPUT", "-o", h.dev(), "-j", "NFQUEUE",
                "--queue-num", "0");
        NetLab.sh("ip", "netns", "exec", h.ns(), "iptables", "-A", "INPUT", "-i", h.dev(), "-j", "NFQUEUE",
                "--queue-num", "0");
        return p;
    }
}
