package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VmLaunchTest {

    @Test
    void asRootTheGuestsOwnersAndModesAreNeverAppliedToHostFiles() {
        // passthrough as root: the guest's root could create set-uid root files on the host
        assertThat(VmLaunch.securityModel(true)).isEqualTo("mapped-xattr");
    }

    @Test
    void asAUserHostOwnershipIsShownAsItIs() {
        assertThat(VmLaunch.securityModel(false)).isEqualTo("none");
    }
}
