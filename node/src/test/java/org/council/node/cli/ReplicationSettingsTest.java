package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.scope.ScopeConfig;
import org.council.node.DataDir;
import org.council.node.peer.PeerConfig;
import org.council.node.readmodel.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replication.scope.*}: full replication unless asked, then the scope's hops and bound. */
class ReplicationSettingsTest {

    @TempDir
    Path dir;

    private PeerConfig.Replication replication(Map<String, String> env) {
        return Settings.load(dir, env, Map.of()).nodeConfig(dir).peers().replication();
    }

    @Test
    void byDefaultEveryFeedIsReplicated() {
        PeerConfig.Replication r = replication(Map.of());
        assertThat(r.scoped()).isFalse();
        assertThat(r.scope()).isEqualTo(ScopeConfig.defaults());
    }

    @Test
    void scopeFromTheFileWithItsHopsBoundAndTheTrustedPeers() throws Exception {
        String trusted = NodeKeyPair.generate().id().hex();
        Files.writeString(new DataDir(dir).settingsFile(), "replication.scope.enabled=true\n"
                + "replication.scope.hops=3\nreplication.scope.max.feeds=500\ntrusted=" + trusted + "\n");
        PeerConfig.Replication r = replication(Map.of());
        assertThat(r.scoped()).isTrue();
        assertThat(r.scope()).isEqualTo(new ScopeConfig(3, 500));
        assertThat(r.trusted()).extracting(id -> id.hex()).containsExactly(trusted);
    }

    @Test
    void historyRepeatsPerAddressAreASettingOnByDefault() {
        PeerConfig.Admission byDefault = Settings.load(dir, Map.of(), Map.of()).nodeConfig(dir).peers().admission();
        assertThat(byDefault.hostBudgets()).isTrue();
        assertThat(byDefault.repeatsPerSecond()).isEqualTo(1_024);
        PeerConfig.Admission set = Settings.load(dir, Map.of("COUNCIL_REPEATS_PER_ADDRESS_PER_SECOND", "4096"), Map.of())
                .nodeConfig(dir).peers().admission();
        assertThat(set.repeatsPerSecond()).isEqualTo(4_096);
        assertThatThrownBy(() -> Settings.load(dir, Map.of("COUNCIL_REPEATS_PER_ADDRESS_PER_SECOND", "0"), Map.of())
                .nodeConfig(dir)).isInstanceOf(CliException.class).hasMessageContaining("repeats.per.address.per.second");
    }

    @Test
    void hopsOutOfRangeAreAConfigurationError() {
        assertThatThrownBy(() -> replication(Map.of("COUNCIL_REPLICATION_SCOPE_HOPS", "12")))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                .hasMessageContaining("setting `replication.scope.hops`")
                .hasMessageContaining("1..8");
    }

    @Test
    void theModelDirectoryBoundIsASetting() throws Exception {
        assertThat(replication(Map.of()).models()).isEqualTo(ModelDirectory.Limits.defaults());
        Files.writeString(new DataDir(dir).settingsFile(), "models.directory.max.authors=300\n");
        ModelDirectory.Limits limits = replication(Map.of()).models();
        assertThat(limits.maxAuthors()).isEqualTo(300);
        assertThat(limits.maxPerModel()).isEqualTo(8); // the per-model default, under the author bound
    }
}
