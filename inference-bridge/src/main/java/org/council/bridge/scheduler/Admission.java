package org.council.bridge.scheduler;

import java.time.Duration;
import java.util.Optional;

/**
 * The answer of {@link FairQueue#offer}: admitted (possibly pushing out the lowest-priority
 * waiting ticket, which must then be answered {@code OVERLOADED}), or rejected with a reason and a
 * retry-after hint. Immutable.
 *
 * @param <T> the payload type
 */
public sealed interface Admission<T> {

    /** Queued. {@code evicted} is the ticket pushed out to make room, if the queue was full. */
    record Admitted<T>(Ticket<T> ticket, Optional<Ticket<T>> evicted) implements Admission<T> {
    }

    /** Not queued: the queue (or this requester's share of it) is full. */
    record Rejected<T>(String reason, Duration retryAfter) implements Admission<T> {
    }
}
