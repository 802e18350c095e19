package io.qemucompose.driver.qemu;

import java.io.IOException;

/** Another client holds the serial console: QEMU serves one at a time. */
public class ConsoleBusyException extends IOException {

    public ConsoleBusyException(String message) {
        super(message);
    }
}
