package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.spec.SubnetSpec;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void parsesPrefixesAndBareHostRoutes() {
        assertThat(Ipv4Cidr.parse("172.16.3.0/24").toString()).isEqualTo("172.16.3.0/24");
        assertThat(Ipv4Cidr.parse("10.0.2.2")).isEqualTo(Ipv4Cidr.parse("10.0.2.2/32"));
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
        assertThat(Ipv4Cidr.containing(Ipv4Cidr.parseAddress("172.16.0.1"), 24)).isEqualTo(Ipv4Cidr.parse("172.16.0.0/24"));
        assertThat(Ipv4Cidr.of(SubnetSpec.Fixed.parse("192.168.100.0/24"))).isEqualTo(Ipv4Cidr.parse("192.168.100.0/24"));
    }

    @Test
    void badTextIsRefusedWithTheText() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("172.16.0.1/24")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> Ipv4Cidr.parse("256.0.0.0/8")).hasMessageContaining("above 255");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.0/33")).hasMessageContaining("outside 0-32");
        assertThatThrownBy(() -> Ipv4Cidr.parse("default")).hasMessageContaining("'default'");
    }

    @Test
    void overlapIsContainmentEitherWay() {
        var big = Ipv4Cidr.parse("172.16.0.0/12");
        var small = Ipv4Cidr.parse("172.20.5.0/24");
        assertThat(big.overlaps(small)).isTrue();
        assertThat(small.overlaps(big)).isTrue();
        assertThat(small.overlaps(Ipv4Cidr.parse("172.20.6.0/24"))).isFalse();
        assertThat(small.overlaps(Ipv4Cidr.parse("172.20.5.77"))).isTrue();
    }

    @Test
    void gatewayIsDotOneWithThePrefixLength() {
        var net = Ipv4Cidr.parse("172.16.7.0/24");
        assertThat(net.gatewayCidr()).isEqualTo("172.16.7.1/24");
        assertThat(net.netmask()).isEqualTo("255.255.255.0");
        assertThat(Ipv4Cidr.dotted(net.host(254))).isEqualTo("172.16.7.254");
        assertThatThrownBy(() -> net.host(256)).hasMessageContaining("outside");
    }
}
