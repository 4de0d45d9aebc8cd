package org.council.ledger.store;

import org.council.crypto.NodeId;

/** A server's half of a receipt that its requester has not acknowledged (yet): unpaid work. */
public record PendingReceipt(NodeId server, long seq, NodeId requester, long creditsMilli) {
}
