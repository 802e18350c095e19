package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.spec.SubnetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SubnetAllocatorTest {

    private static final SubnetSpec AUTO = new SubnetSpec.Auto();

    private static Ipv4Cidr cidr(String text) {
        return Ipv4Cidr.parse(text);
    }

    private static Ipv4Cidr auto(List<Ipv4Cidr> used, List<Ipv4Cidr> others) {
        return SubnetAllocator.allocate("network 'n'", AUTO, Optional.empty(), used, others);
    }

    @Test
    void autoTakesTheFirstFreeSlash24OfThePool() {
        assertThat(auto(List.of(), List.of())).isEqualTo(cidr("172.16.0.0/24"));
        assertThat(auto(List.of(cidr("172.16.0.0/24")), List.of(cidr("172.16.1.0/24")))).isEqualTo(cidr("172.16.2.0/24"));
    }

    @Test
    void autoSkipsEveryRangeARouteCovers() {
        // docker0-like /16 and a host route inside the next /24
        var used = List.of(cidr("172.16.0.0/16"), cidr("172.17.0.9"));
        assertThat(auto(used, List.of())).isEqualTo(cidr("172.17.1.0/24"));
    }

    @Test
    void defaultRouteIsNotPassedSoOnlyRealPrefixesBlock() {
        assertThat(auto(List.of(cidr("10.0.2.0/24"), cidr("127.0.0.0/8")), List.of())).isEqualTo(cidr("172.16.0.0/24"));
    }

    @Test
    void exhaustedPoolIsAClearError() {
        assertThatThrownBy(() -> auto(List.of(cidr("172.16.0.0/12")), List.of()))
                .isInstanceOf(SubnetException.class)
                .hasMessageContaining("no free /24 in 172.16.0.0/12 for network 'n'")
                .hasMessageContaining("fixed subnet");
    }

    @Test
    void fixedSubnetIsTakenAsIsWhenFree() {
        var fixed = SubnetSpec.Fixed.parse("192.168.50.0/24");
        assertThat(SubnetAllocator.allocate("n", fixed, Optional.empty(), List.of(cidr("10.0.0.0/8")), List.of()))
                .isEqualTo(cidr("192.168.50.0/24"));
    }

    @Test
    void fixedSubnetOverlappingARouteOrAnotherProjectIsRefused() {
        var fixed = SubnetSpec.Fixed.parse("172.16.4.0/22");
        assertThatThrownBy(() -> SubnetAllocator.allocate("network 'db'", fixed, Optional.empty(),
                List.of(cidr("172.16.5.0/24")), List.of()))
                .isInstanceOf(SubnetException.class)
                .hasMessage("network 'db' asks for subnet 172.16.4.0/22, which overlaps 172.16.5.0/24 (an address or"
                        + " route on this machine); choose another subnet or 'auto'");
        assertThatThrownBy(() -> SubnetAllocator.allocate("network 'db'", fixed, Optional.empty(),
                List.of(), List.of(cidr("172.16.6.0/24"))))
                .hasMessageContaining("the subnet of another qemu-compose network");
    }

    @Test
    void currentSubnetIsKeptEvenWhenALowerOneIsFree() {
        var current = Optional.of(cidr("172.16.9.0/24"));
        assertThat(SubnetAllocator.allocate("n", AUTO, current, List.of(), List.of())).isEqualTo(cidr("172.16.9.0/24"));
    }

    @Test
    void currentSubnetIsGivenUpWhenARouteNowCoversIt() {
        var current = Optional.of(cidr("172.16.0.0/24"));
        assertThat(SubnetAllocator.allocate("n", AUTO, current, List.of(cidr("172.16.0.0/24")), List.of()))
                .isEqualTo(cidr("172.16.1.0/24"));
    }

    @Test
    void currentAutoSubnetIsReplacedByANewFixedRequest() {
        var current = Optional.of(cidr("172.16.0.0/24"));
        assertThat(SubnetAllocator.allocate("n", SubnetSpec.Fixed.parse("10.9.0.0/16"), current, List.of(), List.of()))
                .isEqualTo(cidr("10.9.0.0/16"));
    }

    /** Networks allocated one after another (as projects come up) never overlap each other nor what is in use. */
    @Property(tries = 200)
    void allocationsNeverOverlapEachOtherOrUsedPrefixes(
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 4095) Integer> usedSlots,
            @ForAll @Size(max = 12) List<@IntRange(min = 16, max = 28) Integer> usedPrefixes,
            @ForAll @IntRange(min = 1, max = 40) int networks) {
        List<Ipv4Cidr> used = new ArrayList<>();
        for (int i = 0; i < Math.min(usedSlots.size(), usedPrefixes.size()); i++) {
            int address = SubnetAllocator.POOL.address() + (usedSlots.get(i) << 8);
            used.add(Ipv4Cidr.containing(address, usedPrefixes.get(i)));
        }
        List<Ipv4Cidr> allocated = new ArrayList<>();
        for (int n = 0; n < networks; n++) {
            Ipv4Cidr next;
            try {
                next = SubnetAllocator.allocate("n" + n, AUTO, Optional.empty(), used, allocated);
            } catch (SubnetException poolFull) {
                assertThat(used).anySatisfy(u -> assertThat(u.prefixLength()).isLessThanOrEqualTo(16));
                return;
            }
            assertThat(used).noneMatch(next::overlaps);
            assertThat(allocated).noneMatch(next::overlaps);
            assertThat(SubnetAllocator.POOL.overlaps(next)).isTrue();
            allocated.add(next);
        }
    }
}
