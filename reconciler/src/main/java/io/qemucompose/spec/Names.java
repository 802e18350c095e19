package io.qemucompose.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that decides which names are allowed and what host objects they become.
 *
 * <p>Names end up in folder names ({@code .qemu-compose/<vm>/}), systemd unit names
 * ({@code qemu-compose-<project>-<vm>.service}), guest host names and Linux interface names,
 * which hold at most 15 bytes. So:
 * <ul>
 *   <li>VM names are RFC 1123 host name labels, lower case: {@code [a-z0-9]([a-z0-9-]*[a-z0-9])?},
 *       at most 63 characters (the VM name is the guest's host name and its DNS name on bridges);</li>
 *   <li>network and volume names: {@code [a-zA-Z0-9][a-zA-Z0-9_-]*}, at most 63 characters;</li>
 *   <li>project names: {@code [a-z0-9][a-z0-9_-]*}, at most 63 characters.</li>
 * </ul>
 * None of these can hold {@code /}, {@code .} or {@code \}, so no name escapes its folder, and
 * none holds a character systemd would escape in a unit name.
 *
 * <p>Interface names that would exceed 15 characters keep a readable head and end in 6 base-36
 * characters of a SHA-256 of the full identity, so they stay deterministic and short; the loader
 * refuses a project in which two of them still collide.
 */
public final class Names {
    public static final int MAX_NAME_LENGTH = 63;
    public static final int MAX_INTERFACE_NAME = 15;
    private static final Pattern VM = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern RESOURCE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]*");
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final int HASH_CHARS = 6;
    /**
     * Siblings of the VM folders in {@code .qemu-compose/}, and {@code reconciler} (the unit
     * {@code qemu-compose-<project>-reconciler} runs {@code watch --detach}): a VM of that name would clash.
     */
    public static final java.util.Set<String> RESERVED_VM_NAMES =
            java.util.Set.of("ssh", "volumes", "networks", "reconciler");

    private Names() {}

    /** Why {@code name} is no valid VM name, or empty when it is. */
    public static Optional<String> vmNameProblem(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of(tooLong(name));
        }
        if (RESERVED_VM_NAMES.contains(name)) {
            return Optional.of("found '" + name + "', a name reserved for qemu-compose's own folders in"
                    + " .qemu-compose/ and units; reserved: " + String.join(", ", new java.util.TreeSet<>(RESERVED_VM_NAMES)));
        }
        if (!VM.matcher(name).matches()) {
            return Optional.of("found '" + name + "', expected a VM name of lower-case letters, digits and '-'"
                    + " that starts and ends with a letter or digit (it becomes the guest's host name,"
                    + " a folder and a systemd unit name)");
        }
        return Optional.empty();
    }

    /** Why {@code name} is no valid network or volume name, or empty when it is. */
    public static Optional<String> resourceNameProblem(String kind, String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of(tooLong(name));
        }
        if (!RESOURCE.matcher(name).matches()) {
            return Optional.of("found '" + name + "', expected a " + kind + " name of letters, digits, '_' and '-'"
                    + " that starts with a letter or digit (it becomes a folder and an interface name)");
        }
        return Optional.empty();
    }

    /** Why {@code name} is no valid project name, or empty when it is. */
    public static Optional<String> projectNameProblem(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of(tooLong(name));
        }
        if (!PROJECT.matcher(name).matches()) {
            return Optional.of("found '" + name + "', expected a project name of lower-case letters, digits, '_'"
                    + " and '-' that starts with a letter or digit");
        }
        return Optional.empty();
    }

    /**
     * docker compose's normalization of a folder name into a project name: lower case, only
     * {@code [a-z0-9_-]} kept, leading {@code _}/{@code -} dropped. Empty when nothing is left.
     */
    public static Optional<String> normalizeProjectName(String folderName) {
        String kept = folderName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "")
                .replaceFirst("^[_-]+", "");
        if (kept.length() > MAX_NAME_LENGTH) {
            kept = kept.substring(0, MAX_NAME_LENGTH);
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept);
    }

    /** {@code qemu-compose-<project>-<vm>} (without {@code .service}). */
    public static String unitName(String project, String vm) {
        return io.qemucompose.state.ProjectLayout.withoutSuffix(io.qemucompose.state.ProjectLayout.vmUnit(project, vm));
    }

    /** {@code qemu-compose-dnsmasq-<project>-<network>} (without {@code .service}). */
    public static String dnsmasqUnitName(String project, String network) {
        return io.qemucompose.state.ProjectLayout.withoutSuffix(io.qemucompose.state.ProjectLayout.dnsmasqUnit(project, network));
    }

    /** {@code qc-<project>-<network>}, shortened to 15 characters when longer. */
    public static String bridgeName(String project, String network) {
        return fit("qc-", project + "-" + network, "bridge\0" + project + "\0" + network);
    }

    /** {@code tap-<project>-<vm>-<index>}, shortened to 15 characters when longer. */
    public static String tapName(String project, String vm, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("NIC index must be >= 0: " + index);
        }
        return fit("tap-", project + "-" + vm + "-" + index, "tap\0" + project + "\0" + vm + "\0" + index);
    }

    private static String fit(String prefix, String readable, String identity) {
        String whole = prefix + readable;
        if (whole.length() <= MAX_INTERFACE_NAME) {
            return whole;
        }
        int head = MAX_INTERFACE_NAME - prefix.length() - HASH_CHARS;
        return prefix + readable.substring(0, head) + hash(identity);
    }

    /** 6 base-36 characters (31 bits) of SHA-256: more spread than hex in the same room. */
    private static String hash(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            long value = java.nio.ByteBuffer.wrap(digest).getLong() >>> 1;
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < HASH_CHARS; i++) {
                out.append(Character.forDigit((int) (value % 36), 36));
                value /= 36;
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String tooLong(String name) {
        return "found a name of " + name.length() + " characters, expected at most " + MAX_NAME_LENGTH;
    }
}
