package io.qemucompose.daemon.api;

import org.springframework.http.HttpStatus;

/** A command refused or failed: rendered as an RFC 9457 problem document by {@link ApiErrors}. */
final class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String title;

    ApiException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    HttpStatus status() {
        return status;
    }

    String title() {
        return title;
    }

    /** A command's failure: 404 for a VM the file does not name, 409 for a refusal, 500 otherwise. */
    static ApiException of(CommandFace.Outcome outcome) {
        String detail = outcome.err().strip().replaceAll("(?m)^qemu-compose: ", "");
        if (detail.contains("no VM named")) {
            return new ApiException(HttpStatus.NOT_FOUND, "No such VM", detail);
        }
        if (detail.matches("(?s).*\\.ya?ml:\\d+:\\d+: .*")) {
            return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid compose file", detail);
        }
        if (outcome.exitCode() == 2) {
            return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", detail);
        }
        if (detail.contains("is not running") || detail.contains("refuse") || detail.contains("never created")) {
            return new ApiException(HttpStatus.CONFLICT, "Refused", detail);
        }
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Command failed", detail);
    }
}
