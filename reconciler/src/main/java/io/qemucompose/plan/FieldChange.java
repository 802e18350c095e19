package io.qemucompose.plan;

import io.qemucompose.desired.Effect;

/** One field that differs between what was applied and what the file says. */
public record FieldChange(String field, String from, String to, Effect effect) {}
