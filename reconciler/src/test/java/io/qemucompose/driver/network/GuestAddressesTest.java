package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class GuestAddressesTest {

    private static final Ipv4Cidr NET = Ipv4Cidr.parse("172.16.3.0/24");

    @Test
    void macIsDeterministicLocallyAdministeredUnicastAndDiffersPerNetwork() {
        String mac = MacAddresses.of("shop", "web", "backend");
        assertThat(mac).matches("52:54:00(:[0-9a-f]{2}){3}").isEqualTo(MacAddresses.of("shop", "web", "backend"));
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        assertThat(first & 0b10).as("locally administered").isNotZero();
        assertThat(first & 0b01).as("unicast").isZero();
        assertThat(MacAddresses.of("shop", "web", "front")).isNotEqualTo(mac);
        assertThat(MacAddresses.of("blog", "web", "backend")).isNotEqualTo(mac);
        // the separator keeps ("a-b", "c") and ("a", "b-c") apart
        assertThat(MacAddresses.of("a", "bc", "n")).isNotEqualTo(MacAddresses.of("ab", "c", "n"));
    }

    @Test
    void everyVmGetsAnAddressBetweenDot2AndDot254AndTheMacOfItsNic() {
        var plan = GuestAddresses.plan(NET, "shop", "backend", List.of("web", "db", "cache"));
        assertThat(plan.gateway()).isEqualTo("172.16.3.1");
        assertThat(plan.reservations()).extracting(GuestAddresses.Reservation::vm).containsExactly("cache", "db", "web");
        for (var r : plan.reservations()) {
            assertThat(NET.contains(r.address())).isTrue();
            assertThat(r.address() & 0xFF).isBetween(2, 254);
            assertThat(r.mac()).isEqualTo(MacAddresses.of("shop", r.vm(), "backend"));
        }
        assertThat(plan.reservations()).extracting(GuestAddresses.Reservation::address).doesNotHaveDuplicates();
    }

    @Test
    void planDoesNotDependOnTheOrderOfVms() {
        var a = GuestAddresses.plan(NET, "p", "n", List.of("web", "db", "cache"));
        var b = GuestAddresses.plan(NET, "p", "n", List.of("cache", "web", "db"));
        assertThat(a.reservations()).isEqualTo(b.reservations());
    }

    @Test
    void fullSubnetStillPlacesEveryVmAndOneMoreIsAClearError() {
        List<String> vms = IntStream.range(0, 253).mapToObj(i -> "vm" + i).toList();
        var plan = GuestAddresses.plan(NET, "p", "n", vms);
        assertThat(plan.reservations()).extracting(r -> r.address() & 0xFF).doesNotHaveDuplicates()
                .allSatisfy(host -> assertThat(host).isBetween(2, 254));
        var tooMany = new ArrayList<>(vms);
        tooMany.add("one-more");
        assertThatThrownBy(() -> GuestAddresses.plan(NET, "p", "n", tooMany))
                .isInstanceOf(SubnetException.class).hasMessageContaining("has room for 253");
    }

    /** A newcomer whose hash slot is free moves nobody: linear probing never passes a slot that was free. */
    @Property(tries = 300)
    void addingAVmWhoseSlotIsFreeRenumbersNoOtherVm(
            @ForAll @Size(min = 1, max = 60) @UniqueElements List<@AlphaChars @StringLength(min = 1, max = 8) String> vms,
            @ForAll @AlphaChars @StringLength(min = 9, max = 10) String newcomer) {
        var before = GuestAddresses.plan(NET, "p", "n", vms);
        int home = GuestAddresses.plan(NET, "p", "n", List.of(newcomer)).of(newcomer).orElseThrow().address();
        Assume.that(before.reservations().stream().noneMatch(r -> r.address() == home));
        List<String> more = new ArrayList<>(vms);
        more.add(newcomer);
        var after = GuestAddresses.plan(NET, "p", "n", more);
        assertThat(after.of(newcomer).orElseThrow().address()).isEqualTo(home);
        for (var r : before.reservations()) {
            assertThat(after.of(r.vm())).contains(r);
        }
    }
}
