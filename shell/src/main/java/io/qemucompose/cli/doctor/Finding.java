package io.qemucompose.cli.doctor;

import java.util.Optional;

/**
 * The outcome of one host check. {@code debianPackage} names what to install when the check
 * fails; {@code required} decides whether a failure makes {@code doctor} exit 1.
 */
public record Finding(String name, Status status, String detail, Optional<String> debianPackage, boolean required) {

    public enum Status { OK, WARNING, MISSING }

    public static Finding ok(String name, String detail) {
        return new Finding(name, Status.OK, detail, Optional.empty(), false);
    }

    public static Finding missing(String name, String detail, String debianPackage, boolean required) {
        return new Finding(name, required ? Status.MISSING : Status.WARNING, detail,
                Optional.ofNullable(debianPackage), required);
    }

    public static Finding warning(String name, String detail) {
        return new Finding(name, Status.WARNING, detail, Optional.empty(), false);
    }

    public boolean blocksUse() {
        return status == Status.MISSING && required;
    }
}
