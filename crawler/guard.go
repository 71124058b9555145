package crawler

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// specialV4 are the blocks of the IANA IPv4 Special-Purpose Address
// Registry that are not globally reachable, with the multicast, reserved
// and broadcast space: a crawler steered by outside input must not reach
// them. The AS112 and AMT blocks, which are globally reachable, are left
// out.
var specialV4 = prefixes(
	"0.0.0.0/8",       // "this network" (RFC 791)
	"10.0.0.0/8",      // private (RFC 1918)
	"100.64.0.0/10",   // shared address space, CGNAT (RFC 6598)
	"127.0.0.0/8",     // loopback (RFC 1122)
	"169.254.0.0/16",  // link-local, cloud metadata (RFC 3927)
	"172.16.0.0/12",   // private (RFC 1918)
	"192.0.0.0/24",    // IETF protocol assignments (RFC 6890)
	"192.0.2.0/24",    // documentation TEST-NET-1 (RFC 5737)
	"192.88.99.0/24",  // deprecated 6to4 relay anycast (RFC 7526)
	"192.168.0.0/16",  // private (RFC 1918)
	"198.18.0.0/15",   // benchmarking (RFC 2544)
	"198.51.100.0/24", // documentation TEST-NET-2 (RFC 5737)
	"203.0.113.0/24",  // documentation TEST-NET-3 (RFC 5737)
	"224.0.0.0/4",     // multicast (RFC 5771)
	"240.0.0.0/4",     // reserved, and 255.255.255.255 broadcast (RFC 1112, RFC 919)
)

// specialV6 are the blocks of the IANA IPv6 Special-Purpose Address
// Registry that are not globally reachable, inside the global unicast
// space 2000::/3 (everything outside it is refused anyway, except the
// forms that embed an IPv4 address; see embeddedV4).
var specialV6 = prefixes(
	"2001::/23",     // IETF protocol assignments, Teredo included (RFC 2928, RFC 4380)
	"2001:db8::/32", // documentation (RFC 3849)
	"3fff::/20",     // documentation (RFC 9637)
)

// Blocks of IPv6 that carry an IPv4 address, which decides.
var (
	v4Compatible = netip.MustParsePrefix("::/96")          // deprecated IPv4-compatible (RFC 4291)
	v4Mapped     = netip.MustParsePrefix("::ffff:0:0/96")  // IPv4-mapped (RFC 4291)
	nat64        = netip.MustParsePrefix("64:ff9b::/96")   // NAT64 well-known prefix (RFC 6052)
	nat64Local   = netip.MustParsePrefix("64:ff9b:1::/48") // local-use IPv4/IPv6 translation (RFC 8215)
	sixToFour    = netip.MustParsePrefix("2002::/16")      // 6to4 (RFC 3056)
	globalV6     = netip.MustParsePrefix("2000::/3")       // global unicast
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// embeddedV4 returns the IPv4 address an IPv6 address stands for, in the
// IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms.
func embeddedV4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	switch {
	case v4Mapped.Contains(a), nat64.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case v4Compatible.Contains(a):
		if a == netip.IPv6Unspecified() || a == netip.IPv6Loopback() {
			return netip.Addr{}, false
		}
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// isPrivateAddr reports addresses that a crawler steered by outside input
// must not reach: every block of the IANA special-purpose registries that
// is not globally reachable (loopback, private, link-local, CGNAT,
// documentation, benchmarking, reserved), multicast, and IPv6 outside the
// global unicast space. An IPv6 address that embeds an IPv4 address
// (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
// 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) is judged by that address.
func isPrivateAddr(a netip.Addr) bool {
	if !a.IsValid() {
		return true
	}
	a = a.WithZone("")
	if a.Is6() {
		if v4, ok := embeddedV4(a); ok {
			a = v4
		}
	}
	if a.Is4() {
		for _, p := range specialV4 {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !globalV6.Contains(a) || nat64Local.Contains(a) {
		return true
	}
	for _, p := range specialV6 {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// guardControl is a net.Dialer.Control that refuses private addresses. It
// runs on the resolved address of every connection, so neither redirects nor
// DNS answers can lead around it.
func guardControl(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	a, err := netip.ParseAddr(host)
	if err != nil || isPrivateAddr(a) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	return nil
}
