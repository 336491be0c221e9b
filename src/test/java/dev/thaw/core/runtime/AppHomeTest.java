package dev.thaw.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppHomeTest {

    @Test
    void propertyWinsOverEnvironment() {
        AppHome h = AppHome.resolve("/tmp/a", Map.of("THAW_HOME", "/tmp/b"), "Linux", "/home/u");
        assertThat(h.root()).isEqualTo(Path.of("/tmp/a"));
    }

    @Test
    void environmentWinsOverPlatformDefault() {
        assertThat(AppHome.resolve(null, Map.of("THAW_HOME", "/tmp/b"), "Linux", "/home/u").root()).isEqualTo(Path.of("/tmp/b"));
    }

    @Test
    void platformDefaults() {
        assertThat(AppHome.resolve(null, Map.of(), "Linux", "/home/u").root()).isEqualTo(Path.of("/home/u/.local/share/thaw"));
        assertThat(AppHome.resolve(null, Map.of("XDG_DATA_HOME", "/x"), "Linux", "/home/u").root()).isEqualTo(Path.of("/x/thaw"));
        assertThat(AppHome.resolve(null, Map.of(), "Mac OS X", "/Users/u").root())
                .isEqualTo(Path.of("/Users/u/Library/Application Support/Thaw"));
        assertThat(AppHome.resolve(null, Map.of("APPDATA", "/appdata"), "Windows 11", "/u").root()).isEqualTo(Path.of("/appdata/Thaw"));
    }

    @Test
    void foldersLiveUnderTheRoot() {
        AppHome h = AppHome.at(Path.of("/tmp/thaw"));
        assertThat(h.logs()).startsWithRaw(h.root());
        assertThat(h.djlCache()).startsWithRaw(h.root());
        assertThat(h.runs()).startsWithRaw(h.root());
        assertThat(h.settingsFile().getFileName().toString()).isEqualTo("settings.json");
    }
}
