package crawler

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// cgnat is the shared address space of RFC 6598, used by carrier-grade NAT.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// isPrivateAddr reports addresses that a crawler steered by outside input
// must not reach: loopback, RFC 1918 and fc00::/7 private, link-local,
// unspecified, CGNAT and multicast addresses.
func isPrivateAddr(a netip.Addr) bool {
	a = a.Unmap()
	return !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() ||
		a.IsUnspecified() || cgnat.Contains(a)
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
