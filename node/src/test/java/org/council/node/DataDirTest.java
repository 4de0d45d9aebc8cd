package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataDirTest {

    // These names are on operators' disks: renaming one would orphan existing nodes' files.
    @Test
    void namesTheFilesExistingNodesHave() {
        DataDir d = new DataDir(Path.of("/srv/council"));
        assertThat(d.keyFile()).isEqualTo(Path.of("/srv/council/node.key"));
        assertThat(d.tokenFile()).isEqualTo(Path.of("/srv/council/api.token"));
        assertThat(d.settingsFile()).isEqualTo(Path.of("/srv/council/council.properties"));
        assertThat(d.ledgerDir()).isEqualTo(Path.of("/srv/council/ledger"));
    }

    @Test
    void noOptionMeansTheHomeDirectory() {
        assertThat(DataDir.orDefault(null).root())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".council"));
        assertThat(DataDir.orDefault(Path.of("x")).root()).isEqualTo(Path.of("x"));
    }

    @Test
    void nodeConfigUsesTheLayout() {
        NodeConfig c = NodeConfig.local(Path.of("/srv/council"));
        assertThat(c.keyFile()).isEqualTo(c.files().keyFile());
        assertThat(c.tokenFile()).isEqualTo(c.files().tokenFile());
        assertThat(c.ledgerDir()).isEqualTo(c.files().ledgerDir());
    }
}
