package io.qemucompose.cli.command;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Pretty JSON for {@code --format json}: maps and lists built by the commands, keys in insertion order. */
final class JsonOutput {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonOutput() {
    }

    static String write(Object tree) {
        return JSON.writeValueAsString(tree) + "\n";
    }
}
