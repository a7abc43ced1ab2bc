// Package probe owns the network probes behind the scan and banner Lua modules:
// TCP connect scanning, UDP scanning and banner grabbing. It is plain Go with a
// context.Context and knows nothing of Lua; lualib binds it for scripts.
//
// Every function honours its context: cancelling it stops a scan promptly and
// closes every socket the scan opened.
package probe
