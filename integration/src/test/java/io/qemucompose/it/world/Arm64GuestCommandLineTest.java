package io.qemucompose.it.world;

import io.qemucompose.golden.GoldenFile;
import io.qemucompose.testkit.GuestImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The arm64 command line that {@link Arm64GuestIT} boots, one token a line, pinned in a golden
 * file: the arm64 profile's golden command line can be compared with it token by token
 * ({@code -Dgolden.update=true} rewrites it, then fails).
 */
class Arm64GuestCommandLineTest {

    @Test
    void commandLineIsTheOneThatBootedUnderTcg() {
        var files = Arm64Guest.GuestFiles.in(Path.of("/vm"));
        String argv = String.join("\n", Arm64Guest.commandLine("arm-vm", files, 2222)) + "\n";
        GoldenFile.assertMatches(GuestImage.repoRoot()
                .resolve("integration/src/test/resources/golden/arm64/qemu-system-aarch64.argv"), argv);
    }
}
