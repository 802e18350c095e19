/**
 * The compose file: find it ({@link io.qemucompose.spec.ComposeFiles}), load it
 * ({@link io.qemucompose.spec.ComposeLoader}) into a validated, fully resolved
 * {@link io.qemucompose.spec.ComposeProject}, and print it back ({@link io.qemucompose.spec.ComposeRenderer}).
 *
 * <p>Decisions users can see:
 * <ul>
 *   <li>{@code QEMU_COMPOSE_FILE} may name several files separated by ':' (docker's COMPOSE_FILE).</li>
 *   <li>Several files (and several YAML documents in one file) merge by docker compose's rules:
 *       mappings key by key, lists appended and made unique per field, {@code !reset} and
 *       {@code !override} honoured (see docs/compose-file.md).</li>
 *   <li>No implicit {@code default} network: a VM without {@code networks:} uses user-mode
 *       networking (as the seed README says); every listed network must be declared.</li>
 *   <li>Size units are powers of 1024 whatever the spelling (G = GB = GiB), as qemu-img reads them;
 *       a plain number is bytes, except {@code memory}, where a plain number is MB.</li>
 *   <li>YAML 1.2 core schema: {@code yes}/{@code no}/{@code on} are strings, booleans are only
 *       true/false.</li>
 *   <li>Interpolation applies to values, not keys, and not inside {@code x-} fields (kept as
 *       written for {@code config}); {@code .env} values are interpolated as compose does.</li>
 *   <li>{@code x-} marks an extension only among a mapping's fields; a VM, network or volume
 *       named {@code x-foo} is a name like any other.</li>
 *   <li>Field paths index lists from 0: {@code vms.web.volumes[0].target}; line and column from 1.</li>
 * </ul>
 */
package io.qemucompose.spec;
