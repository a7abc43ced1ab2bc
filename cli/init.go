package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"text/template"

	"github.com/spf13/cobra"
)

func init() { register(newInitCmd) }

func newInitCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "init NAME",
		Short: "Write a new lab folder from a template, ready to run",
		Long: `Write a new lab folder NAME (inside --dir, default the current directory)
holding lab.yaml, a reference solution.lua and a README.md for students. The
template lab has an echo service and a client that talks to it; it passes
` + "`wirelab check`" + ` and its solution passes ` + "`wirelab run`" + `, so you can change it step by
step and rerun. An existing folder is never overwritten.`,
		Example: `  wirelab init dns-lookup
  wirelab check dns-lookup && wirelab run dns-lookup`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if !labID.MatchString(name) || len(name) > 64 || name == "." || name == ".." {
				return usagef("lab name %q is not valid: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 (like %q)", name, "dns-lookup")
			}
			target := filepath.Join(dir, name)
			if err := writeLabTemplate(target, name); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "created %s/ with lab.yaml, solution.lua and README.md\n", target)
			fmt.Fprintf(out, "next:\n  wirelab check %s\n  wirelab run %s\n", target, target)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the folder to create the lab folder in")
	return cmd
}

// labID is what `lab:` accepts as an id (runner's idPattern, and at most 64
// bytes): init takes every id a lab file may have (it rejected "dns.v2" and
// "net_101").
var labID = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// labName is a built-in lab's name as resolveLab recognises one: an id with
// no dot, so a file name that does not exist is not taken for a lab name.
var labName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// writeLabTemplate creates the folder target and writes the template's files
// into it. It refuses when target already exists, so nobody loses work. The
// folder holding target is created when missing, but not its parent.
func writeLabTemplate(target, name string) error {
	if _, err := os.Lstat(target); err == nil {
		return fmt.Errorf("%s already exists: choose another name, or remove the folder first", target)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// The folder the lab goes in (--dir) may be new, but not a whole tree:
	// a typo in --dir should not scatter folders over the disk.
	dir := filepath.Dir(target)
	if parent := filepath.Dir(dir); parent != dir {
		if st, err := os.Stat(parent); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot create %s: its parent folder %s does not exist (create it first, or choose another --dir)", dir, parent)
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	// Mkdir, not MkdirAll: if the folder appeared since the check, fail.
	if err := os.Mkdir(target, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: choose another name, or remove the folder first", target)
		}
		return err
	}
	data := struct{ Name string }{name}
	for _, f := range labTemplate {
		var buf bytes.Buffer
		if err := template.Must(template.New(f.name).Delims("[[", "]]").Parse(f.text)).Execute(&buf, data); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(target, f.name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// labTemplate is the new lab: the smallest lab that exercises every part —
// hosts, a service, a capture filter, a reference solution, and one check of
// each common kind. Its text uses [[ ]] delimiters, as lab files and Lua use {{ }}
// freely.
var labTemplate = []struct{ name, text string }{
	{"lab.yaml", `lab: [[.Name]]
title: Say hello to an echo server
description: |
  Connect to the echo service, send one line, print what comes back and close
  the connection. (Written by wirelab init: change it into your own lab.)
timeout: 10s
hosts:
  echo.lab: 10.0.0.7              # names resolve only inside the lab
  client: 10.0.0.10               # the submission's own address
services:
  - name: echo
    kind: tcp-echo                # http, tcp-echo, udp-echo, banner, lua, replay
    listen: echo.lab:7
capture:
  filter: tcp port 7              # pcap-filter syntax
submission:
  file: solution.lua              # the reference; --submission replaces it
  args: {host: echo.lab, port: 7, message: "hello, lab"}
checks:
  - name: three-way handshake
    points: 2
    sequence:
      - tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 7
      - tcp.flags.syn == 1 && tcp.flags.ack == 1 && tcp.srcport == 7
      - tcp.flags.ack == 1 && tcp.flags.syn == 0 && tcp.dstport == 7
    within: 1s
  - name: sends the message
    packet: tcp.dstport == 7 && tcp.payload contains "hello, lab"
    hint: Send the text in lab.args.message, followed by a newline.
  - name: closes with FIN
    packet: tcp.flags.fin == 1 && tcp.dstport == 7
    hint: Call close() on the connection when you are done.
  - name: no resets
    none: tcp.flags.reset == 1
  - name: prints the echo
    output: {lines: ["hello, lab"]}
    hint: Print the line the server sends back, without its line ending.
`},
	{"solution.lua", `-- Reference solution of the [[.Name]] lab: send a line to the echo service
-- and print the answer.
local socket = require("socket")

local conn = assert(socket.connect(lab.args.host, lab.args.port))
conn:settimeout(5)
assert(conn:send(lab.args.message .. "\n"))
local line, err = conn:receive("*l")
if not line then
  error("no echo: " .. err)
end
print(line)
conn:close()
`},
	{"README.md", `# [[.Name]] — say hello to an echo server

An echo server sends back whatever it receives. Your script connects to one,
sends a line, and prints what comes back.

## Your task

Write a Lua script that connects to ` + "`echo.lab`" + ` port 7, sends the line
` + "`hello, lab`" + `, prints the line the server answers with and closes the
connection. The values are in ` + "`lab.args.host`, `lab.args.port` and `lab.args.message`" + `.

## Hints

- ` + "`local socket = require(\"socket\")`, `socket.connect(host, port)`, `conn:send(text)`, `conn:receive(\"*l\")`, `conn:close()`" + `.

## Run it

` + "```sh" + `
wirelab run [[.Name]]                          # the reference solution
wirelab run [[.Name]] --submission my.lua      # your script
` + "```" + `
`},
}
