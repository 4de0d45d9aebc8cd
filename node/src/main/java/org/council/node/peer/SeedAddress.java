package org.council.node.peer;

import org.council.crypto.NodeId;

/** A peer address from configuration: {@code host:port}, optionally {@code <node id hex>@host:port}. */
public record SeedAddress(NodeId expectedId, String host, int port) {

    public static SeedAddress parse(String text) {
        String s = text.strip();
        NodeId id = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            try {
                id = NodeId.fromHex(s.substring(0, at));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("peer address `" + text + "`: the part before @ must be a 64-hex node id");
            }
            s = s.substring(at + 1);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("peer address `" + text + "` must be host:port");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer address `" + text + "` has a non-numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer address `" + text + "` has a port outside 1..65535");
        }
        return new SeedAddress(id, s.substring(0, colon), port);
    }

    public String hostPort() {
        return host + ":" + port;
    }
}
