package io.qemucompose.plan;

import io.qemucompose.desired.Effect;
import io.qemucompose.desired.Value;

/**
 * One field that differs between what was applied and what the file says.
 *
 * @param before the applied value, {@code null} when the resource is created
 * @param after the wanted value, {@code null} when the resource is destroyed
 * @param effect what the change costs; {@link Effect#REPLACE} renders as {@code # forces replacement}
 */
public record FieldChange(String field, Value before, Value after, Effect effect) {}
