/* A worker's system call filter (libseccomp). The worker loads a plugin and draws: it
 * reads files (fonts, the plugin, its pictures), maps memory, uses futexes and threads,
 * writes to the fds it was given. The filter refuses, with EPERM, what a plugin has no
 * business doing: making sockets or connecting them, running programs, tracing other
 * processes, opening a file for writing (or making, renaming, removing one), and
 * signalling any process but itself (the kiosk above all). */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <unistd.h>

static int deny(scmp_filter_ctx f, const char *name)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0; /* not a call of this architecture (open on arm64) */
    return seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), nr, 0);
}

/* Refuses call when its flags argument (number arg) has any of the writing bits. */
static int deny_writing_open(scmp_filter_ctx f, const char *name, unsigned arg)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0;
    const unsigned bits[] = {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND};
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), nr, 1,
                             SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, bits[i], bits[i])))
            return -1;
    return 0;
}

int kiosk_worker_sandbox(void)
{
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
    if (!f)
        return -1;
    static const char *const refused[] = {
        "socket",
        "socketpair",
        "connect",
        "bind",
        "listen",
        "accept",
        "accept4",
        "execve",
        "execveat",
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "creat",
        "truncate",
        "unlink",
        "unlinkat",
        "rename",
        "renameat",
        "renameat2",
        "mkdir",
        "mkdirat",
        "rmdir",
        "link",
        "linkat",
        "symlink",
        "symlinkat",
        "chmod",
        "fchmodat",
        "chown",
        "fchownat",
        "lchown",
        "mknod",
        "mknodat",
        "tkill",
        "memfd_create",
        "pidfd_open",
        "pidfd_send_signal",
        "mount",
        "umount2",
        "setns",
        "unshare",
        "kexec_load",
        "init_module",
        "finit_module",
        "bpf",
        "perf_event_open",
        "userfaultfd",
        "io_uring_setup",
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0] && rc == 0; i++)
        rc = deny(f, refused[i]);
    if (rc == 0)
        rc = deny_writing_open(f, "open", 1);
    if (rc == 0)
        rc = deny_writing_open(f, "openat", 2);
    if (rc == 0)
        rc = deny(f, "openat2"); /* its flags are behind a pointer: refused whole */
    /* signals: only to itself (abort() and raise() use tgkill on its own pid) */
    /* the comparison spelled out: libseccomp's SCMP_A0() leaves datum_b to the compiler */
    const struct scmp_arg_cmp not_self = {
        .arg = 0, .op = SCMP_CMP_NE, .datum_a = (scmp_datum_t)getpid(), .datum_b = 0};
    if (rc == 0)
        rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 1, not_self);
    if (rc == 0)
        rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill), 1, not_self);
    if (rc == 0)
        rc = seccomp_load(f);
    seccomp_release(f);
    return rc == 0 ? 0 : -1;
}
