package io.qemucompose.spec;

import java.util.Optional;

/**
 * The numeric ids of a guest's login user, when qemu-compose sets them: by default the host user's
 * uid and primary gid ({@link Origin#HOST}), or {@code uid:} from the file ({@link Origin#FILE}, gid =
 * uid as useradd's user groups have). Absent (the image's default uid) when qemu-compose runs as root,
 * for guests without cloud-init, and when the host uid is one the image may use itself.
 */
public record GuestUid(int uid, int gid, Origin origin) {

    public enum Origin { FILE, HOST }

    /** Debian's and Fedora's useradd hand out system ids below this (login.defs SYS_UID_MAX + 1). */
    public static final int FIRST_REGULAR = 1000;
    /** {@code nobody} on Debian and Fedora. */
    public static final int NOBODY = 65534;

    /**
     * Why a guest cannot have {@code uid}: root, or an id its image uses (or may hand out) itself, so
     * that cloud-init's {@code useradd --uid} would fail and nobody could log in.
     */
    public static Optional<String> takenInImage(long uid) {
        if (uid == 0) {
            return Optional.of("uid 0 is root; the guest's login user needs a uid of its own");
        }
        if (uid < FIRST_REGULAR) {
            return Optional.of("uid " + uid + " is in the image's system range (below " + FIRST_REGULAR
                    + "), where a system account may hold it");
        }
        if (uid == NOBODY || uid == NOBODY + 1) {
            return Optional.of("uid " + uid + (uid == NOBODY ? " is 'nobody'" : " is the 16-bit -1") + " in the image");
        }
        return Optional.empty();
    }

    /** The host user's ids for a guest, unless the host user is root or its uid is taken in images. */
    public static Optional<GuestUid> ofHost(HostUser host) {
        if (host.isRoot() || takenInImage(host.uid()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new GuestUid(host.uid(), host.gid(), Origin.HOST));
    }

    /** As the plan shows and records it. */
    public String describe() {
        return uid + ":" + gid;
    }
}
