package org.council.node.inference;

import org.council.node.wire.InferenceErrorCode;

/** Whether the server runs a verified request: admitted, or refused with a typed code. Immutable. */
sealed interface Admission {

    Admission ADMITTED = new Admitted();

    record Admitted() implements Admission {
    }

    /** {@code detail} is for the requester's operator: what was wrong, never a secret. */
    record Refused(InferenceErrorCode code, String detail) implements Admission {
    }
}
