package io.qemucompose.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** A command's failure becomes the problem document's status and detail. */
class ApiExceptionTest {

    @Test
    void unknownVmIs404UsageIs400RefusalIs409() {
        ApiException missing = ApiException.of(new CommandFace.Outcome(1, "", "qemu-compose: no VM named nope in project p (VMs: web)\n"));
        assertThat(missing.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(missing.getMessage()).isEqualTo("no VM named nope in project p (VMs: web)");
        assertThat(ApiException.of(new CommandFace.Outcome(2, "", "qemu-compose: Unknown option\n")).status())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(ApiException.of(new CommandFace.Outcome(1, "", "qemu-compose: web is not running\n")).status())
                .isEqualTo(HttpStatus.CONFLICT);
        assertThat(ApiException.of(new CommandFace.Outcome(1, "", "qemu-compose: disk full\n")).status())
                .isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
