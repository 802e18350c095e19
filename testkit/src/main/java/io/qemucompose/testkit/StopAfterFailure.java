package io.qemucompose.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * For ordered scenario tests whose steps build on each other (one set of booted VMs shared by
 * every step): after one step fails, the rest are skipped instead of failing confusingly. Register
 * as an instance field with {@code @RegisterExtension}.
 */
public final class StopAfterFailure implements TestWatcher, BeforeEachCallback {

    private String failed;

    @Override
    public void beforeEach(ExtensionContext context) {
        assumeTrue(failed == null, () -> "skipped: step " + failed + " failed");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = context.getDisplayName();
    }
}
