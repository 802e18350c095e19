package io.qemucompose.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Makes a Unix socket reachable when its real path is longer than {@code sun_path} allows.
 *
 * <p>A deep project folder easily pushes {@code .qemu-compose/<vm>/qmp.sock} past 107 bytes, and
 * then neither QEMU can bind it nor a client connect to it. The fix: a private, short root
 * ({@code $XDG_RUNTIME_DIR/qemu-compose} or {@code /tmp/qemu-compose-<uid>}, mode 0700, owned by us)
 * holding one symlink per socket <em>directory</em>, named by a hash of that directory's real path:
 * {@code <root>/<hash12> -> /very/long/project/.qemu-compose/web}. The socket is then addressed as
 * {@code <root>/<hash12>/qmp.sock}. The directory (not the socket file) is linked because
 * {@code bind()} through a symlinked directory creates the socket in the real directory, where
 * observers look for it, whereas {@code bind()} on a symlink to a socket fails with EADDRINUSE.
 * The name is a pure function of the real path, so QEMU and every client derive the same alias
 * without sharing any state.
 */
public final class SocketAlias {

    /** {@code sizeof(sun_path)} is 108 on Linux, one byte of which is the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    public SocketAlias(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The alias root for this user: {@code $XDG_RUNTIME_DIR/qemu-compose} when short enough, else {@code /tmp}. */
    public static SocketAlias forCurrentUser() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        // leave room for "/<12 hex>/console.sock" (26 bytes) under the root
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                && (runtime + "/qemu-compose").length() + 26 <= MAX_SOCKET_PATH_BYTES) {
            return new SocketAlias(Path.of(runtime, "qemu-compose"));
        }
        return new SocketAlias(Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "qemu-compose-" + currentUid()));
    }

    public Path root() {
        return root;
    }

    public static boolean fits(Path socket) {
        return socket.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES;
    }

    /** {@code socket} itself if it fits, else {@code <root>/<hash>/<file name>} (creating the link). */
    public Path reachable(Path socket) {
        Path real = socket.toAbsolutePath().normalize();
        if (fits(real)) {
            return real;
        }
        Path dir = real.getParent();
        Path link = linkFor(dir);
        Path alias = link.resolve(real.getFileName());
        if (!fits(alias)) {
            throw new IllegalStateException("socket alias " + alias + " is still longer than "
                    + MAX_SOCKET_PATH_BYTES + " bytes; set XDG_RUNTIME_DIR to a short directory");
        }
        ensureLink(link, dir);
        return alias;
    }

    /** Removes the alias of {@code socketDir}, if any. */
    public void forget(Path socketDir) {
        Path link = linkFor(socketDir.toAbsolutePath().normalize());
        try {
            if (Files.isSymbolicLink(link)) {
                Files.delete(link);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove socket alias " + link + ": " + e.getMessage(), e);
        }
    }

    Path linkFor(Path dir) {
        return root.resolve(hash(dir.toString()));
    }

    private void ensureLink(Path link, Path target) {
        try {
            ensurePrivateRoot();
            for (int attempt = 0; attempt < 3; attempt++) {
                if (Files.isSymbolicLink(link)) {
                    if (Files.readSymbolicLink(link).equals(target)) {
                        return;
                    }
                    Files.delete(link); // stale (a hash collision, practically never): repoint it
                }
                try {
                    Files.createSymbolicLink(link, target);
                    return;
                } catch (FileAlreadyExistsException raced) {
                    // another process made it at the same moment: re-check what it points at
                }
            }
            throw new IllegalStateException("cannot create socket alias " + link + " -> " + target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create socket alias " + link + ": " + e.getMessage(), e);
        }
    }

    /** The root must be ours and private, or another local user could redirect our sockets. */
    private void ensurePrivateRoot() throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(root.getParent());
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException raced) {
                // made by a concurrent process of ours: verified below
            }
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("socket alias root " + root + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != currentUid()) {
            throw new IllegalStateException("socket alias root " + root + " belongs to uid " + owner
                    + ", not to us (uid " + currentUid() + "); remove it or set XDG_RUNTIME_DIR");
        }
        Files.setPosixFilePermissions(root, PRIVATE_DIR);
    }

    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read our own uid from /proc/self", e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
