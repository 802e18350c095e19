package io.qemucompose.cli;

import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.Problem;
import java.util.List;

/**
 * Turns an exception into the lines a user reads. Expected failures (ones the user can act on)
 * print their message as is; anything else is a bug or an environment problem, so its type is
 * named too.
 */
final class ErrorMessages {

    private ErrorMessages() {
    }

    static List<String> describe(Throwable exception) {
        if (exception instanceof UserFacingException) {
            return List.of(firstLine(exception.getMessage()));
        }
        if (exception instanceof ComposeFileException compose) {
            // compiler style, one line per problem: file:line:col: field.path: what is wrong
            return compose.problems().stream().map(Problem::render).toList();
        }
        String message = exception.getMessage();
        String type = exception.getClass().getSimpleName();
        return List.of(message == null || message.isBlank() ? type : type + ": " + firstLine(message));
    }

    static boolean isExpected(Throwable exception) {
        return exception instanceof UserFacingException || exception instanceof ComposeFileException;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
