package sandbox

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// asUser, when set (by tests running as root), starts the worker the way an
// ordinary user's run starts: in a user namespace, as this uid and gid on the
// host.
var asUser *[2]int

// sysProcAttr returns how to start the worker: in a new network namespace as
// root, in new user and network namespaces otherwise.
func sysProcAttr(iso Isolation) (*syscall.SysProcAttr, error) {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if iso == IsolationNone {
		return attr, nil
	}
	uid, gid := os.Getuid(), os.Getgid()
	if asUser != nil {
		uid, gid = asUser[0], asUser[1]
		// Become the namespace's root, that is uid on the host, before exec.
		attr.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true}
	} else if os.Geteuid() == 0 && hasCapSysAdmin() {
		attr.Cloneflags = syscall.CLONE_NEWNET
		return attr, nil
	}
	// An ordinary user, or root without CAP_SYS_ADMIN (a container's root: a
	// CI job, an autograder image) who cannot make a network namespace
	// directly but may make a user namespace holding one, as a user does.
	attr.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET
	attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}}
	attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}}
	attr.GidMappingsEnableSetgroups = false
	return attr, nil
}

// hasCapSysAdmin reports whether this process may create a network namespace
// directly: CAP_SYS_ADMIN in its effective set.
func hasCapSysAdmin() bool {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return true // cannot tell: try, and explain a failure
	}
	return capEffHas(string(b), 21) // CAP_SYS_ADMIN
}

// capEffHas reports whether the CapEff line of a /proc/PID/status text has
// capability bit set; true when there is no readable line.
func capEffHas(status string, bit uint) bool {
	for _, line := range strings.Split(status, "\n") {
		hex, ok := strings.CutPrefix(line, "CapEff:")
		if !ok {
			continue
		}
		v, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
		if err != nil {
			return true
		}
		return v&(1<<bit) != 0
	}
	return true
}

// namespaceError explains why the worker could not start, and how to fix it.
func namespaceError(iso Isolation, err error) string {
	if iso == IsolationNone || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOEXEC) {
		return fmt.Sprintf("cannot start the worker: %v", err)
	}
	if os.Geteuid() == 0 {
		return fmt.Sprintf("cannot create a network namespace for the run: %v (is this a container without CAP_SYS_ADMIN? run with --privileged or CAP_SYS_ADMIN, or pass --isolation=none to run unisolated)", err)
	}
	why := "cannot create a user and network namespace for the run: " + err.Error()
	var fixes []string
	if v := readSysctl("/proc/sys/kernel/unprivileged_userns_clone"); v == "0" {
		fixes = append(fixes, "unprivileged user namespaces are disabled: `sudo sysctl kernel.unprivileged_userns_clone=1`")
	}
	if v := readSysctl("/proc/sys/user/max_user_namespaces"); v == "0" {
		fixes = append(fixes, "user namespaces are limited to 0: `sudo sysctl user.max_user_namespaces=15000`")
	}
	if v := readSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"); v == "1" {
		fixes = append(fixes, "AppArmor restricts unprivileged user namespaces: `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`, or an AppArmor profile allowing userns for wirelab")
	}
	if errors.Is(err, syscall.EPERM) && len(fixes) == 0 {
		fixes = append(fixes, "user namespaces are not permitted here; in a container the seccomp profile refuses CLONE_NEWUSER: run Docker with `--security-opt seccomp=unconfined` (or a profile allowing it), Kubernetes with `securityContext.seccompProfile.type: Unconfined` (see docs/security.md, \"Running in a container\")")
	}
	fixes = append(fixes, "or run as root, or pass --isolation=none to run unisolated on the host's loopback")
	return why + "; " + strings.Join(fixes, "; ")
}

func readSysctl(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
