package io.qemucompose.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page's libraries come from npm (shell/web) and reach the jar through Maven's resources: a
 * build without {@code scripts/install-web-deps} would ship a page that cannot load them. Every
 * module the page imports must be in the jar, under the path the page imports it from.
 */
class WebAssetsTest {

    private static final String WEB = "io/qemucompose/daemon/web/";

    @Test
    void everyModuleThePageImportsIsInTheJar() throws IOException {
        String app = read("app.js");
        Matcher imports = Pattern.compile("from '\\./([^']+)'").matcher(app);
        int count = 0;
        while (imports.find()) {
            assertThat(WebAssetsTest.class.getClassLoader().getResource(WEB + imports.group(1)))
                    .as("%s (imported by app.js) is missing from the jar: run scripts/install-web-deps", imports.group(1))
                    .isNotNull();
            count++;
        }
        assertThat(count).isEqualTo(2);
        assertThat(read("index.html")).contains("vendor/xterm/css/xterm.css");
        assertThat(WebAssetsTest.class.getClassLoader().getResource(WEB + "vendor/xterm/css/xterm.css")).isNotNull();
        // noVNC's own relative imports resolve inside the copied tree
        assertThat(read("vendor/novnc/core/rfb.js")).contains("from './util/logging.js'");
        assertThat(WebAssetsTest.class.getClassLoader().getResource(WEB + "vendor/novnc/core/util/logging.js")).isNotNull();
        assertThat(WebAssetsTest.class.getClassLoader().getResource(WEB + "vendor/novnc/vendor/pako/lib/zlib/inflate.js")).isNotNull();
    }

    private static String read(String name) throws IOException {
        try (InputStream in = WebAssetsTest.class.getClassLoader().getResourceAsStream(WEB + name)) {
            assertThat(in).as("%s in the jar (scripts/install-web-deps)", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
