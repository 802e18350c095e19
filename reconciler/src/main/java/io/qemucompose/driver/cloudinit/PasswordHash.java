package io.qemucompose.driver.cloudinit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * The guest user's password as it goes into the seed: a SHA-512 crypt hash ({@code $6$}), which
 * cloud-init's {@code chpasswd} hands to the guest as is. The seed ISO is a file on the host; the
 * clear password must not be in it.
 *
 * <p>The salt is derived, not random: the instance-id is a hash of user-data, and a fresh salt on
 * every render would make every plan a restart. It comes from the host name, the user and the
 * project's SSH public key (random per project), never from the password, so it tells nothing about
 * the password and still differs between projects and VMs.
 */
final class PasswordHash {

    /** crypt(3)'s default is 5000; more rounds make a stolen hash slower to guess, at ~50 ms per render. */
    static final int ROUNDS = 65536;

    private static final String CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private PasswordHash() {
    }

    static String sha512Crypt(String password, String saltSource) {
        return sha512Crypt(password, saltSource, ROUNDS);
    }

    static String sha512Crypt(String password, String saltSource, int rounds) {
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8),
                "$6$rounds=" + rounds + "$" + salt(saltSource));
    }

    /** 16 characters of crypt's alphabet (96 bits), a pure function of {@code source}. */
    static String salt(String source) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(("qemu-compose password salt\u0000" + source).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        StringBuilder salt = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            salt.append(CRYPT_ALPHABET.charAt(digest[i] & 63));
        }
        return salt.toString();
    }
}
