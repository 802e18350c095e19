package io.qemucompose.driver.cloudinit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The login user for a VM: the {@code user:} field when given, else the conventional default user
 * of the distribution detected from the image reference (as the seed README lists).
 *
 * <p>Unknown images get {@value #FALLBACK}. Our seed <em>creates</em> the user (cloud-init
 * {@code users:}), so any name works on any distribution; a neutral, distribution-free name avoids
 * suggesting an OS we did not detect (a "debian" user on an Arch image would mislead).
 */
public final class DefaultUser {

    public static final String FALLBACK = "cloud-user";

    /** Substring of the image's file name (lower case) → user; first match wins. */
    private static final List<String[]> RULES = List.of(
            new String[] {"fedora", "fedora"},
            new String[] {"ubuntu", "ubuntu"},
            new String[] {"noble", "ubuntu"},
            new String[] {"jammy", "ubuntu"},
            new String[] {"focal", "ubuntu"},
            new String[] {"debian", "debian"},
            new String[] {"bookworm", "debian"},
            new String[] {"trixie", "debian"},
            new String[] {"bullseye", "debian"},
            new String[] {"centos", "centos"},
            new String[] {"rhel", "cloud-user"},
            new String[] {"almalinux", "almalinux"},
            new String[] {"rocky", "rocky"});

    private DefaultUser() {
    }

    public static String resolve(String imageRef, Optional<String> override) {
        return override.filter(u -> !u.isBlank()).orElseGet(() -> forImage(imageRef));
    }

    public static String forImage(String imageRef) {
        String name = imageRef.substring(imageRef.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        for (String[] rule : RULES) {
            if (name.contains(rule[0])) {
                return rule[1];
            }
        }
        return FALLBACK;
    }
}
