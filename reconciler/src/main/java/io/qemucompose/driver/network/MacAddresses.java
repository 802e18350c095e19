package io.qemucompose.driver.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MAC addresses of bridge NICs, derived from (project, VM, network) so that they survive
 * re-creation of the VM: dnsmasq's reservation, cloud-init's {@code match: macaddress} and QEMU's
 * {@code -device ...,mac=} all use the same value without anything being stored.
 *
 * <p>{@code 52:54:00} is QEMU's own prefix: locally administered (bit 1 of the first octet) and
 * unicast (bit 0 clear), so it never collides with a real vendor's card. The other 3 bytes come
 * from SHA-256; 24 bits make a collision between two NICs of one network unlikely
 * ({@link GuestAddresses} refuses a project in which one happens).
 */
public final class MacAddresses {

    public static final String PREFIX = "52:54:00";

    private MacAddresses() {
    }

    public static String of(String project, String vm, String network) {
        byte[] digest = sha256(project + "\0" + vm + "\0" + network);
        return PREFIX + ":" + HexFormat.ofDelimiter(":").formatHex(digest, 0, 3);
    }

    /**
     * The user-mode (management) NIC's MAC: the same prefix, the first 3 bytes of
     * SHA-256({@code project\0vm}), so that it differs from every bridge NIC of the VM.
     */
    public static String userNic(String project, String vm) {
        byte[] digest = sha256(project + "\0" + vm);
        return PREFIX + ":" + HexFormat.ofDelimiter(":").formatHex(digest, 0, 3);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
