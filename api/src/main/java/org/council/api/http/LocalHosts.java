package org.council.api.http;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which names and addresses count as "this machine" for the DNS-rebinding check, the same rule as
 * Ollama's: loopback, private and unspecified IP literals, an address of a local interface,
 * {@code localhost}, the machine's host name, and names under {@code .localhost}, {@code .local}
 * and {@code .internal}. Never resolves a name (a DNS lookup on an event loop would block it, and
 * the answer is exactly what a rebinding attacker controls). Thread-safe.
 */
public final class LocalHosts {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private LocalHosts() {
    }

    /** Whether a bind address keeps a server on this machine: {@code localhost} or a loopback IP literal. */
    public static boolean isLoopback(String bindHost) {
        String h = unbracket(bindHost);
        return h.equalsIgnoreCase("localhost") || ipLiteral(h).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    /**
     * Whether the host of a {@code Host} header ({@link #hostPart}; empty for HTTP/1.0) names this
     * machine.
     */
    static boolean allowedHost(String hostName) {
        String host = hostName.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("localhost") || Names.HOSTNAME.equals(host)) {
            return true;
        }
        Optional<InetAddress> ip = ipLiteral(host);
        if (ip.isPresent()) {
            InetAddress a = ip.get();
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || isPrivate(a) || Names.INTERFACES.contains(a);
        }
        return host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal");
    }

    /** The host of {@code host[:port]}, {@code [v6][:port]} or a bare IPv6 literal, without brackets. */
    static String hostPart(String hostHeader) {
        String h = hostHeader == null ? "" : hostHeader.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
    }

    /** RFC 1918 for IPv4, unique-local fc00::/7 for IPv6 (Go's {@code IsPrivate}, which Ollama uses). */
    private static boolean isPrivate(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.isSiteLocalAddress();
        }
        return (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** {@code host} without surrounding whitespace and IPv6 brackets. */
    static String unbracket(String host) {
        String h = host == null ? "" : host.strip();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The address an IP literal denotes, or empty for anything else; never a DNS lookup. */
    static Optional<InetAddress> ipLiteral(String s) {
        try {
            if (IPV4.matcher(s).matches()) {
                byte[] b = new byte[4];
                String[] parts = s.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        return Optional.empty();
                    }
                    b[i] = (byte) v;
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
            if (s.contains(":") && IPV6_CHARS.matcher(s).matches()) {
                // brackets make the JDK treat it as a literal and fail rather than look it up
                return Optional.of(InetAddress.getByName("[" + s + "]"));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Facts about this machine, read once (lazily, on first use). */
    private static final class Names {
        static final String HOSTNAME = hostname();
        static final Set<InetAddress> INTERFACES = interfaces();

        /** The host name without DNS: the kernel's, else the usual variables; empty when unknown. */
        private static String hostname() {
            for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
                try {
                    String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                    if (!s.isEmpty()) {
                        return s.toLowerCase(Locale.ROOT);
                    }
                } catch (IOException | RuntimeException e) {
                    // not Linux: try the next source
                }
            }
            for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
                String s = System.getenv(var);
                if (s != null && !s.isBlank()) {
                    return s.strip().toLowerCase(Locale.ROOT);
                }
            }
            return "\0"; // matches no header
        }

        private static Set<InetAddress> interfaces() {
            Set<InetAddress> out = new HashSet<>();
            try {
                for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    out.addAll(Collections.list(n.getInetAddresses()));
                }
            } catch (SocketException | RuntimeException e) {
                // no interface list: loopback and private addresses still pass
            }
            return Set.copyOf(out);
        }
    }
}
