package org.council.ledger.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The store's column families and their key/value layouts; the codecs for each layout are in
 * {@link StoreKeys} (and {@code ProjectionKeys} for the projections column).
 *
 * <ul>
 *   <li>{@code events}: author(32) seq(8, big-endian) → signed envelope bytes</li>
 *   <li>{@code event_ids}: id(32) → author(32) seq(8)</li>
 *   <li>{@code heads}: author(32) → seq(8) id(32) timestamp_ms(8)</li>
 *   <li>{@code projections}: projection state (see {@code ProjectionKeys})</li>
 *   <li>{@code equivocations}: accused(32) seq(8) → len(4) first envelope, second envelope</li>
 *   <li>{@code meta}: UTF-8 name → value (schema version, projection checkpoint, event count)</li>
 * </ul>
 */
enum Columns {
    EVENTS("events"),
    EVENT_IDS("event_ids"),
    HEADS("heads"),
    PROJECTIONS("projections"),
    EQUIVOCATIONS("equivocations"),
    META("meta");

    static final List<Columns> ALL = List.of(values());

    private final byte[] name;

    Columns(String name) {
        this.name = name.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] nameBytes() {
        return name.clone();
    }
}
