package org.council.ledger.codec;

import org.council.ledger.event.SignedEvent;

/** The outcome of decoding envelope bytes: a structurally valid event, or why it is not one. */
public sealed interface DecodeResult {

    /** The bytes form a structurally valid event (signature not yet checked). */
    record Decoded(SignedEvent event) implements DecodeResult {
    }

    /** The bytes are not an event: {@code oversize} when over the limit, else malformed. */
    record Undecodable(boolean oversize, String detail) implements DecodeResult {
    }
}
