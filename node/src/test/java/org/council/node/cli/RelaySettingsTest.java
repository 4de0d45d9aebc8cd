package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.council.node.peer.RelayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code relay.*} settings: relaying on by default with its limits, each one configurable. */
class RelaySettingsTest {

    @TempDir
    Path dir;

    private RelayConfig relay(Map<String, String> env) {
        return Settings.load(dir, env, Map.of()).nodeConfig(dir).peers().relay();
    }

    @Test
    void defaultsAreTheRelayDefaults() {
        assertThat(relay(Map.of())).isEqualTo(RelayConfig.defaults());
    }

    @Test
    void everyLimitIsASetting() {
        RelayConfig r = relay(Map.of("COUNCIL_RELAY_ENABLED", "false", "COUNCIL_RELAY_MAX_RESERVATIONS", "3",
                "COUNCIL_RELAY_MAX_CIRCUITS_PER_RESERVATION", "2", "COUNCIL_RELAY_MAX_CIRCUITS", "5",
                "COUNCIL_RELAY_MAX_CIRCUIT_MIB", "7", "COUNCIL_RELAY_MAX_CIRCUIT_SECONDS", "90"));
        assertThat(r.enabled()).isFalse();
        assertThat(r.maxReservations()).isEqualTo(3);
        assertThat(r.maxCircuitsPerReservation()).isEqualTo(2);
        assertThat(r.maxCircuits()).isEqualTo(5);
        assertThat(r.maxCircuitBytes()).isEqualTo(7L << 20);
        assertThat(r.maxCircuitDuration()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aZeroLimitIsRefusedWithItsKey() {
        assertThatThrownBy(() -> relay(Map.of("COUNCIL_RELAY_MAX_CIRCUITS", "0")))
                .hasMessageContaining("relay.max.circuits");
    }
}
