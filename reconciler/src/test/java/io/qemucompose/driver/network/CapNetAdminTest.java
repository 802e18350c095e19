package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapNetAdminTest {

    private static String status(String capEff) {
        return "Name:\tjava\nCapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff
                + "\nCapBnd:\t000001ffffffffff\n";
    }

    @Test
    void rootsFullSetHoldsIt() {
        assertThat(CapNetAdmin.inStatus(status("000001ffffffffff"))).contains(true);
        assertThat(CapNetAdmin.inStatus(status("000001fffeffffff"))).contains(true);
    }

    @Test
    void bit12AloneDecides() {
        assertThat(CapNetAdmin.inStatus(status("0000000000001000"))).contains(true);
        assertThat(CapNetAdmin.inStatus(status("000001ffffffefff"))).contains(false);
        assertThat(CapNetAdmin.inStatus(status("0000000000000000"))).contains(false);
    }

    @Test
    void noCapEffLineIsUnknown() {
        assertThat(CapNetAdmin.inStatus("Name:\tx\n")).isEmpty();
    }

    @Test
    void messageSaysWhatToDo() {
        assertThat(CapNetAdmin.MISSING_MESSAGE).contains("CAP_NET_ADMIN", "as root", "rootless");
    }

    @Test
    void thisProcessAnswersWithoutError() {
        assertThat(CapNetAdmin.held()).isIn(true, false);
    }
}
