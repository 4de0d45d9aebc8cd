package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.ledger.reputation.KarmaNet.DAY;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.council.ledger.event.SignedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up scan hands every stored event, in log order, to a second read model too. */
class KarmaScanSharingTest {

    @TempDir
    Path dir;

    @Test
    void theStartUpScanHandsEveryStoredEventToTheSecondConsumerInLogOrder() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaNet.Feed a = new KarmaNet.Feed();
            KarmaNet.Feed b = new KarmaNet.Feed();
            net.receipt(a, b, 10, DAY);
            net.receipt(b, a, 5, 2 * DAY);
            net.unacknowledged(a, b.id(), 3);
            net.flush();
            List<SignedEvent> shared = new ArrayList<>();
            KarmaEngine engine = KarmaEngine.start(net.store, net.config(), List.of(), null, shared::add);
            List<SignedEvent> log;
            try (Stream<SignedEvent> all = net.store.allEvents()) {
                log = all.toList();
            }
            assertThat(shared).hasSize(5).isEqualTo(log);
            // the shared pass changes nothing for karma: same standing as an engine scanning alone
            KarmaEngine alone = net.engine();
            assertThat(engine.karma(a.id())).isEqualTo(alone.karma(a.id()));
            assertThat(engine.settledReceipts()).isEqualTo(2);
        }
    }
}
