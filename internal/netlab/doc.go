// Package netlab builds a lab's network inside the namespace it is called in:
// a network namespace per host, each with its own loopback and Ethernet
// interfaces (veth pairs), MAC addresses, ARP, addresses and routes, joined by
// bridges (one per segment) that live in a namespace of their own, the
// switch. Routers are hosts that forward between their interfaces.
//
// Namespaces are held by file descriptors, never bind-mounted: when the
// process that built the lab exits, however it exits, the kernel tears every
// namespace down with everything in it (interfaces, addresses, routes,
// nftables rules). Nothing is ever created in the caller's own namespace
// except by a host that adopts it (Spec.Adopt).
//
// Each namespace has a goroutine locked to an OS thread that lives in it; NS.Do
// runs a function there, which is how sockets get created in a host (a socket
// belongs to the namespace of the thread that creates it, and keeps it for its
// life). The thread never leaves its namespace and is never returned to the Go
// scheduler: when the namespace closes, its goroutine exits still locked, and
// the runtime ends the thread.
package netlab
