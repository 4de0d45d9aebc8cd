package org.council.node.peer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * How the peer layer groups IP addresses, after Bitcoin Core's network groups. Two keys:
 * <ul>
 *   <li>the <em>host</em>: an IPv4 address, or an IPv6 /64 (one machine or one subscriber usually
 *       holds a whole /64, so counting single IPv6 addresses would bound nothing);</li>
 *   <li>the <em>netgroup</em>: an IPv4 /16 or an IPv6 /32, roughly one provider's allocation, so an
 *       attacker renting many addresses from one provider still lands in few groups. Non-routable
 *       addresses (loopback, private, link-local, unique-local) have no provider structure: each is
 *       its own netgroup, which also lets tests use 127.0.0.2, 127.0.0.3... as distinct "hosts".</li>
 * </ul>
 * Only IP literals are parsed (no DNS lookup ever happens here); a name is its own key. Stateless.
 */
final class NetAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private NetAddress() {
    }

    /** The address as an {@link InetAddress} when {@code host} is an IP literal, else null. Never resolves names. */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The key that per-address caps count by: an IPv4 address or an IPv6 /64. */
    static String hostKey(String host) {
        InetAddress a = literal(host);
        if (a instanceof Inet6Address) {
            return prefix(a.getAddress(), 8) + "/64";
        }
        return a == null ? host : a.getHostAddress();
    }

    /** The key that diversity and per-group caps count by: IPv4 /16, IPv6 /32, non-routable: the host key. */
    static String netgroup(String host) {
        InetAddress a = literal(host);
        if (a == null || isPrivate(a)) {
            return hostKey(host);
        }
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "/16";
        }
        return prefix(a.getAddress(), 4) + "/32";
    }

    /** True for loopback, private (RFC 1918), carrier-grade NAT, link-local, unique-local and unspecified addresses. */
    static boolean isPrivate(String host) {
        InetAddress a = literal(host);
        return a == null ? host.equalsIgnoreCase("localhost") : isPrivate(a);
    }

    private static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        boolean cgnat = a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocal = a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
        return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || cgnat || uniqueLocal;
    }

    private static String prefix(byte[] b, int bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes; i += 2) {
            s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(i + 2 < bytes ? ":" : "");
        }
        return s.toString();
    }
}
