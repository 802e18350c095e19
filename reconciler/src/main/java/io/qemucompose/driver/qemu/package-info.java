/**
 * The QEMU driver: the command line ({@link io.qemucompose.driver.qemu.QemuCommandLine} from a
 * {@link io.qemucompose.driver.qemu.VmRuntimeSpec}), QMP ({@link io.qemucompose.driver.qemu.QmpClient}),
 * the guest agent ({@link io.qemucompose.driver.qemu.GuestAgentClient}), the serial console
 * ({@link io.qemucompose.driver.qemu.SerialConsole}) and the graceful stop steps
 * ({@link io.qemucompose.driver.qemu.StopChain}).
 *
 * <p>Facts measured on QEMU 7.2 that shape this code:
 * <ul>
 *   <li>Every chardev socket server (QMP, console, guest agent) serves <b>one client at a time</b>. A
 *       second client's connect succeeds, then it hears nothing until the first leaves, when QEMU hands
 *       it over silently. QMP reports that as a missing greeting; the console checks /proc/net/unix.</li>
 *   <li>The QMP socket closes while QEMU tears down; the process (and its image locks) lives a moment
 *       longer.</li>
 *   <li>{@code QEMU_COMPOSE_USERNET_RESTRICT=true} in the environment gives every user-mode network
 *       {@code restrict=on} (see {@link io.qemucompose.driver.qemu.UserNetwork#RESTRICT_ENV}); the
 *       integration tests run with it.</li>
 * </ul>
 */
package io.qemucompose.driver.qemu;
